package io.palisade.common.api;

import io.palisade.common.problem.ProblemException;

/** Paging parameters of a list call: {@code top} items from offset {@code skip}; 50 by default, 500 at most. */
public record PageRequest(int skip, int top) {
    public static final int DEFAULT_TOP = 50;
    public static final int MAX_TOP = 500;

    public static PageRequest of(Integer skip, Integer top) {
        int s = skip == null ? 0 : skip;
        int t = top == null ? DEFAULT_TOP : top;
        if (s < 0) {
            throw ProblemException.badRequest("skip", "must be 0 or more");
        }
        if (t < 1 || t > MAX_TOP) {
            throw ProblemException.badRequest("top", "must be between 1 and " + MAX_TOP);
        }
        return new PageRequest(s, t);
    }

    /** Rows to fetch: one more than a page, to know whether another page follows. */
    public int fetchSize() {
        return top + 1;
    }
}
