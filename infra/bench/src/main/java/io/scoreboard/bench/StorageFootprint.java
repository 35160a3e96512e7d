package io.scoreboard.bench;

import io.scoreboard.startup.EventStoreTables;
import io.scoreboard.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * What an event costs to keep, measured on what a benchmark left behind (for sizing, docs/production.md): bytes
 * per event in the event store (the table with its indexes, and the payload alone) and in the topic (the log
 * segments of every partition's replicas on the brokers, divided by the records and by the replication factor).
 */
final class StorageFootprint {

    private StorageFootprint() {
    }

    static ResultTable measure(TestDatabases databases, String bootstrap, String topic, int partitions)
            throws Exception {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("measured", "after the runs above: PostgreSQL's pg_total_relation_size("
                + EventStoreTables.EVENTS + ") "
                + "(heap, TOAST, indexes) and Kafka's log-dir sizes of the topic's replicas (LZ4-compressed batches, "
                + "as the replicator sends them), each divided by its events");
        ResultTable table = new ResultTable("Storage per event (for sizing)", context);
        try (Connection c = BenchStack.owner(databases.eventsJdbcUrl(), databases);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(("SELECT count(*), pg_total_relation_size('%1$s'), "
                     + "pg_relation_size('%1$s'), pg_indexes_size('%1$s'), "
                     + "coalesce(avg(octet_length(payload)), 0) FROM %1$s").formatted(EventStoreTables.EVENTS))) {
            rs.next();
            long events = rs.getLong(1);
            context.put("event store rows", String.format("%,d", events));
            double perEvent = events == 0 ? 0 : (double) rs.getLong(2) / events;
            table.add(row("event store: bytes per event (table, TOAST and indexes)", perEvent));
            table.add(row("event store: of which indexes", events == 0 ? 0 : (double) rs.getLong(4) / events));
            table.add(row("event store: of which the JSON payload", rs.getDouble(5)));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> from =
                    admin.listOffsets(earliest).all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> to =
                    admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            long records = 0;
            for (TopicPartition tp : latest.keySet()) {
                records += to.get(tp).offset() - from.get(tp).offset();
            }
            List<Integer> brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream()
                    .map(n -> n.id()).toList();
            long bytes = 0;
            int replicas = 0;
            for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions()
                    .get(30, TimeUnit.SECONDS).values()) {
                for (LogDirDescription dir : dirs.values()) {
                    for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
                        if (replica.getKey().topic().equals(topic)) {
                            bytes += replica.getValue().size();
                            replicas++;
                        }
                    }
                }
            }
            double factor = Math.max(1, (double) replicas / partitions);
            context.put("topic records (with the duplicates a redelivery may leave)", String.format("%,d", records));
            context.put("topic replicas", replicas + " over " + brokers.size() + " broker(s)");
            table.add(row("topic: bytes per record, one replica", records == 0 ? 0 : bytes / factor / records));
        }
        return table;
    }

    private static ResultTable.Row row(String figure, double bytes) {
        return new ResultTable.Row(figure, bytes, "bytes", "—", Double.NaN, 0, ResultTable.Goal.NONE, Double.NaN);
    }
}
