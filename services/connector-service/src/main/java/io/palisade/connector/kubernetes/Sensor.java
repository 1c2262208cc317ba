package io.palisade.connector.kubernetes;

/** Where the Palisade sensor lives in a protected cluster (the DaemonSet that k8s/cluster-kit/ ships). */
public final class Sensor {
    public static final String NAMESPACE = "palisade";
    public static final String DAEMON_SET = "palisade-sensor";

    private Sensor() {
    }
}
