-- Which incarnation of the topic a checkpoint's offsets belong to (Kafka's topic id). A topic that
-- was deleted and recreated (then refilled by `republish`) has the same name but new offsets; the
-- projection runner re-reads such a topic from the start instead of trusting offsets of the old
-- one (its per-board version check skips what it already applied). NULL: written before V4.
ALTER TABLE projection_checkpoints ADD COLUMN topic_id VARCHAR(32);
