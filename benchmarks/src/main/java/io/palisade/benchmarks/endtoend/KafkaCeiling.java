package io.palisade.benchmarks.endtoend;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.palisade.common.events.AuditEventEnvelope;
import io.palisade.common.messaging.EventCodec;

/**
 * The pipeline's ceiling: the same records detection-service puts on {@code palisade.audit-events} (audit-event
 * envelopes of the same traffic, keyed by cluster), produced with the same producer settings (acks=all, linger 5 ms)
 * to a scratch topic of the same partition count on the same broker, and consumed by one consumer at the same time.
 * No parsing, no rules, no database: what Kafka alone moves on this machine. The scratch topic is deleted after.
 */
final class KafkaCeiling {

    record Result(long records, long bytes, int partitions, double produceSeconds, double totalSeconds) {
        double producedPerSecond() {
            return records / produceSeconds;
        }

        double producedAndConsumedPerSecond() {
            return records / totalSeconds;
        }
    }

    private KafkaCeiling() {
    }

    static Result measure(Admin admin, String bootstrap, AttackTraffic traffic, List<UUID> clusters, UUID connectorId,
            int records) throws Exception {
        int partitions = admin.describeTopics(List.of(StackProbes.AUDIT_TOPIC)).allTopicNames()
                .get(10, TimeUnit.SECONDS).get(StackProbes.AUDIT_TOPIC).partitions().size();
        String topic = "palisade.benchmark-ceiling." + UUID.randomUUID();
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)
                .configs(Map.of("max.message.bytes", "8388608")))).all().get(30, TimeUnit.SECONDS);
        try {
            // the payloads first, so that generating them is not measured
            String[] keys = new String[records];
            String[] values = new String[records];
            long bytes = 0;
            Instant now = Instant.now();
            for (int i = 0; i < records; i++) {
                UUID cluster = clusters.get(i % clusters.size());
                keys[i] = cluster.toString();
                values[i] = EventCodec.encode(AuditEventEnvelope.of(cluster, connectorId, "AuditEventList", now,
                        traffic.next(now).json()));
                bytes += values[i].length();
            }
            AtomicLong consumed = new AtomicLong();
            Thread consumer = new Thread(() -> consume(bootstrap, topic, partitions, records, consumed),
                    "ceiling-consumer");
            consumer.start();
            long start = System.nanoTime();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(bootstrap))) {
                for (int i = 0; i < records; i++) {
                    producer.send(new ProducerRecord<>(topic, keys[i], values[i]));
                }
                producer.flush();
            }
            long produced = System.nanoTime();
            consumer.join(Duration.ofMinutes(5).toMillis());
            long done = System.nanoTime();
            if (consumed.get() < records) {
                throw new IllegalStateException("the ceiling's consumer read " + consumed.get() + " of " + records);
            }
            return new Result(records, bytes, partitions, (produced - start) / 1e9, (done - start) / 1e9);
        } finally {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** detection-service's producer settings for the audit topic (application.properties, audit-out). */
    private static Properties producerConfig(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8388608);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    private static void consume(String bootstrap, String topic, int partitions, int records, AtomicLong consumed) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()); // as detection
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8388608);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> assigned = java.util.stream.IntStream.range(0, partitions)
                    .mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (consumed.get() < records && System.nanoTime() < deadline) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(200));
                consumed.addAndGet(batch.count());
            }
        }
    }
}
