package io.palisade.detection.persistence;

import io.palisade.common.scheduling.ScheduledJobs.Job;

/** detection-service's scheduled jobs that one replica at a time runs (see ScheduledJobs). */
public final class DetectionJobs {
    /** The purge of archived audit events past their retention (ArchiveMaintenance). */
    public static final Job ARCHIVE_PURGE = new Job("archive-purge", 7_002_001L);
    /** The purge of correlation state of long-closed windows (CorrelationMaintenance). */
    public static final Job CORRELATION_PURGE = new Job("correlation-purge", 7_002_002L);

    private DetectionJobs() {
    }
}
