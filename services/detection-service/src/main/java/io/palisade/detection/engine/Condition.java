package io.palisade.detection.engine;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** A test over one audit event: combinations ({@code all}, {@code any}, {@code not}) of tests on single fields. */
public sealed interface Condition {
    boolean test(JsonNode event);

    record All(List<Condition> conditions) implements Condition {
        @Override
        public boolean test(JsonNode event) {
            for (Condition c : conditions) {
                if (!c.test(event)) {
                    return false;
                }
            }
            return true;
        }
    }

    record Any(List<Condition> conditions) implements Condition {
        @Override
        public boolean test(JsonNode event) {
            for (Condition c : conditions) {
                if (c.test(event)) {
                    return true;
                }
            }
            return false;
        }
    }

    record Not(Condition condition) implements Condition {
        @Override
        public boolean test(JsonNode event) {
            return !condition.test(event);
        }
    }

    /** True when the field exists (or does not, with {@code exists: false}). */
    record Exists(FieldCatalogue.FieldPath field, boolean expected) implements Condition {
        @Override
        public boolean test(JsonNode event) {
            return field.values(event).isEmpty() != expected;
        }
    }

    /**
     * True when any value of the field satisfies the operator; for {@code allIn}, {@code allStartWith} and
     * {@code allMatches}, when the field has values and every one does (a mapping or list among them fails).
     * {@code contains} and {@code matches} on a mapping or list test its JSON text. {@code matches} and
     * {@code allMatches} search {@code regex} with a bound on its work ({@link BoundedRegex}): a search that gives up
     * counts as no match for that value. {@code regex} is null for the other operators.
     */
    record Match(FieldCatalogue.FieldPath field, Operator operator, Set<String> operands, BoundedRegex regex)
            implements Condition {
        @Override
        public boolean test(JsonNode event) {
            List<JsonNode> values = field.values(event);
            BoundedRegex.Budget budget = operator.regex() && !values.isEmpty() ? BoundedRegex.budget() : null;
            if (operator.everyValue()) {
                if (values.isEmpty()) {
                    return false;
                }
                for (JsonNode value : values) {
                    if (!value.isValueNode() || !test(value.asText(), budget)) {
                        return false;
                    }
                }
                return true;
            }
            for (JsonNode value : values) {
                if (value.isValueNode()) {
                    if (test(value.asText(), budget)) {
                        return true;
                    }
                } else if ((operator == Operator.contains
                        || operator == Operator.matches && regex.mayOccurInJsonOf(value))
                        && test(value.toString(), budget)) {
                    return true;
                }
            }
            return false;
        }

        private boolean test(String value, BoundedRegex.Budget budget) {
            if (operator.regex()) {
                return regex.search(value, budget) == BoundedRegex.Outcome.FOUND;
            }
            return operator.test(value, operands);
        }
    }

    /** True when any value of the field is an IP address in the named, updatable list ({@link IpLists}). */
    record InIpList(FieldCatalogue.FieldPath field, String list, IpLists lists) implements Condition {
        @Override
        public boolean test(JsonNode event) {
            for (JsonNode value : field.values(event)) {
                if (value.isValueNode() && lists.contains(list, value.asText())) {
                    return true;
                }
            }
            return false;
        }
    }

    enum Operator {
        equals, in, allIn, startsWith, allStartWith, contains, matches, allMatches;

        boolean everyValue() {
            return this == allIn || this == allStartWith || this == allMatches;
        }

        /** Operators whose operand is one regular expression (searched with {@code find()}: anchor it with ^). */
        boolean regex() {
            return this == matches || this == allMatches;
        }

        /** The test of a value by the operators other than the regex ones. */
        boolean test(String value, Set<String> operands) {
            return switch (this) {
                case equals, in, allIn -> operands.contains(value);
                case startsWith, allStartWith -> operands.stream().anyMatch(value::startsWith);
                case contains -> operands.stream().anyMatch(value::contains);
                case matches, allMatches -> throw new IllegalStateException(this + " searches a BoundedRegex");
            };
        }
    }
}
