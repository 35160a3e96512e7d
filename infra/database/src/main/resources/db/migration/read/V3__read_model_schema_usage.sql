-- The read model has its own schema (read_model, or a rebuild's shadow copy): the service role
-- needs to be allowed into it. Table rights come from V1; this runs in every copy.
GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO ${app_role};
