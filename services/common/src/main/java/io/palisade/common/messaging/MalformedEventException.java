package io.palisade.common.messaging;

/** A Kafka record that cannot be understood; the consumer sends it to the dead-letter topic with this reason. */
public class MalformedEventException extends RuntimeException {
    public MalformedEventException(String reason, Throwable cause) {
        super(reason, cause);
    }

    public MalformedEventException(String reason) {
        super(reason);
    }
}
