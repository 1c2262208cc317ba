package io.palisade.common.events;

/** Every record on a Palisade topic names its type and schema version explicitly. */
public interface VersionedEvent {
    String type();

    int version();
}
