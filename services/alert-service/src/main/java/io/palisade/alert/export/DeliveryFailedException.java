package io.palisade.alert.export;

/** A delivery did not reach its target; the message says why (it becomes the export's last error). */
public class DeliveryFailedException extends Exception {
    public DeliveryFailedException(String message) {
        super(message);
    }

    public DeliveryFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
