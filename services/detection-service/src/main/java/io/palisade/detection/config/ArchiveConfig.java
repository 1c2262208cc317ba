package io.palisade.detection.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the audit-log archive ({@code palisade.archive.*}): daily partitions, retention and purge. */
@ConfigMapping(prefix = "palisade.archive")
public interface ArchiveConfig {
    /** Days an archived audit event is kept when its scope's plan sets no retention. */
    @WithDefault("30")
    int defaultRetentionDays();

    /** The longest retention any scope may have (plans allow 1–365 days); older days are always dropped. */
    @WithDefault("365")
    int maxRetentionDays();

    /** Daily partitions created ahead of today (yesterday and today always exist). */
    @WithDefault("3")
    int partitionsAhead();

    /** How often events past their scope's retention are purged; {@code off} disables the schedule. */
    @WithDefault("1h")
    String purgeInterval();

    /** When (cron, UTC) the partitions of the coming days are created; they are also created at start. */
    @WithDefault("0 5 0 * * ?")
    String partitionCron();
}
