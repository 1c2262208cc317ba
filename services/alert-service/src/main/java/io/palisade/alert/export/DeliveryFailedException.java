package io.palisade.alert.export;

/**
 * A delivery did not reach its target; the message says why (it becomes the export's last error). A permanent failure
 * (the receiver refused this record for good, or it can never be sent) is not retried.
 */
public class DeliveryFailedException extends Exception {
    private final boolean permanent;

    public DeliveryFailedException(String message) {
        this(message, false, null);
    }

    public DeliveryFailedException(String message, Throwable cause) {
        this(message, false, cause);
    }

    public DeliveryFailedException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    /** Whether retrying cannot help; the delivery is dropped at once. */
    public boolean permanent() {
        return permanent;
    }
}
