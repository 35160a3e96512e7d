-- Axon's JDBC event store, token store and snapshot table, in snake_case.
-- Owned by ${owner_role}; the services connect as ${app_role}.

CREATE TABLE domain_event_entry (
    -- The global position. Has gaps (rolled-back inserts) and commits out of order; readers
    -- that tail this table must be gap-aware (see ENGINEERING.md).
    global_index         BIGSERIAL    PRIMARY KEY,
    event_identifier     VARCHAR(255) NOT NULL UNIQUE,
    aggregate_identifier VARCHAR(255) NOT NULL,
    sequence_number      BIGINT       NOT NULL,
    type                 VARCHAR(255),
    time_stamp           VARCHAR(255) NOT NULL,
    payload_type         VARCHAR(255) NOT NULL,
    payload_revision     VARCHAR(255),
    payload              BYTEA        NOT NULL,
    meta_data            BYTEA,
    -- Settles races between command-service instances: one sequence number per board, once.
    CONSTRAINT domain_event_entry_aggregate_sequence UNIQUE (aggregate_identifier, sequence_number)
);

CREATE TABLE snapshot_event_entry (
    aggregate_identifier VARCHAR(255) NOT NULL,
    sequence_number      BIGINT       NOT NULL,
    type                 VARCHAR(255) NOT NULL,
    event_identifier     VARCHAR(255) NOT NULL UNIQUE,
    time_stamp           VARCHAR(255) NOT NULL,
    payload_type         VARCHAR(255) NOT NULL,
    payload_revision     VARCHAR(255),
    payload              BYTEA        NOT NULL,
    meta_data            BYTEA,
    PRIMARY KEY (aggregate_identifier, sequence_number)
);

CREATE TABLE token_entry (
    processor_name VARCHAR(255) NOT NULL,
    segment        INTEGER      NOT NULL,
    token          BYTEA,
    token_type     VARCHAR(255),
    timestamp      VARCHAR(255),
    owner          VARCHAR(255),
    PRIMARY KEY (processor_name, segment)
);

REVOKE ALL ON domain_event_entry, snapshot_event_entry, token_entry FROM PUBLIC;

-- Events: read and append, nothing else. Snapshots and tokens are replaceable derived state.
GRANT SELECT, INSERT ON domain_event_entry TO ${app_role};
GRANT USAGE, SELECT ON SEQUENCE domain_event_entry_global_index_seq TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON snapshot_event_entry, token_entry TO ${app_role};
