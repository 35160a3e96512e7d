-- Private boards (issue 17, ADR 0041): a PRIVATE board's reads need one of its tokens. Boards created before
-- boards could be private are public.
ALTER TABLE scoreboards ADD COLUMN visibility VARCHAR(8) NOT NULL DEFAULT 'PUBLIC'
    CONSTRAINT scoreboards_visibility_known CHECK (visibility IN ('PUBLIC', 'PRIVATE'));
