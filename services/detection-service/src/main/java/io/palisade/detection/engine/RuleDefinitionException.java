package io.palisade.detection.engine;

/** A rule that cannot be loaded: an unknown field, operator or severity, or a missing attribute. */
public class RuleDefinitionException extends RuntimeException {
    public RuleDefinitionException(String message) {
        super(message);
    }
}
