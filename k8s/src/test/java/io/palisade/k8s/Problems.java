package io.palisade.k8s;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

/** Collects every broken invariant of a check, so one run names them all. */
final class Problems {
    private final String subject;
    private final List<String> found = new ArrayList<>();

    Problems(String subject) {
        this.subject = subject;
    }

    void check(boolean holds, String problem) {
        if (!holds) {
            found.add(problem);
        }
    }

    void add(String problem) {
        found.add(problem);
    }

    void assertNone() {
        if (!found.isEmpty()) {
            fail(subject + ": " + found.size() + " problem(s)\n  - " + String.join("\n  - ", found));
        }
    }
}
