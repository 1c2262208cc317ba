package io.palisade.connector.persistence;

import io.palisade.common.scheduling.ScheduledJobs.Job;

/** connector-service's scheduled jobs that one replica at a time runs (see ScheduledJobs). */
public final class ConnectorJobs {
    /** The scheduled check of every cluster with Kubernetes API access (ClusterCheckService). */
    public static final Job CLUSTER_CHECK_ROUND = new Job("cluster-check-round", 7_001_001L);

    private ConnectorJobs() {
    }
}
