package io.palisade.detection.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The regular expression of a {@code matches} or {@code allMatches} test, searched with a bound on its work, because
 * the values it is searched in (user agents, request URIs, the JSON text of request objects) are chosen by whoever
 * talks to the API server, and java.util.regex backtracks: a pattern such as {@code ^(\w+\s?){1,1000}$} takes
 * exponential time on 40 letters and a '!', and an unanchored {@code (.*a){3}x} quadratic time or worse on a long
 * value. Without a bound one event would pin the detector's consumer thread.
 *
 * <p>
 * <b>The bound.</b> The search reads its text through a {@link CharSequence} that counts {@code charAt} calls (every
 * step of the regex engine reads one) and stops the search with {@link BudgetExceeded} when a budget is spent. One
 * test of one condition on one event may read {@value #BASE_BUDGET} characters plus {@value #BUDGET_PER_CHAR} per
 * character of the values it tests (the budget is shared by the values of the field, so a field with many small
 * values does not get the base allowance once per value). The patterns of the shipped catalogue read at most 23
 * characters per character of a 100 KiB input (the 21-word case-insensitive alternation of
 * malicious-container-image on a run of x's: a read per alternative and position), most of them 1 to 6 (measured by
 * {@code BoundedRegexTest}), so 200 leaves them a margin of 8 and more; an alternation of more than about 150 words
 * searched in long values could exceed it, where {@code contains} with a list is the linear way. The base allowance
 * covers short values (user agents, names) even for patterns whose work is quadratic in them. Measured, a search
 * that spends the base allowance gives up after 10 to 20 ms; one on a value of the maximal length
 * ({@value #MAX_TESTED_CHARS} characters, 53 million reads) after about a second (on 2 busy cores), instead of
 * hours or years.
 *
 * <p>
 * <b>The cap.</b> Only the first {@value #MAX_TESTED_CHARS} characters (256 KiB) of a value are searched; a match
 * that would start or end beyond them is not found. The cut is not an end of the text: {@code $}, {@code \z} and
 * {@code \b} do not match at it (non-anchoring bounds) and lookarounds see the characters after it (transparent
 * bounds), so what is found within the first 256 KiB is a match of the whole value.
 *
 * <p>
 * <b>What is not searched.</b> Most patterns of the catalogue are alternatives of words ({@code (?i)xmrig|xmr-stak|...},
 * {@code (?i)kubeflow}): a value that holds none of the words one of which every match contains
 * ({@link RequiredLiterals}) is known not to match and is not searched, and a mapping or list none of whose keys and
 * strings holds one is not written out as JSON text to be searched. Outcomes of short values are remembered (below).
 *
 * <p>
 * <b>An aborted search</b> (budget spent, or the regex engine's recursion overflowing the stack, which a group
 * repeated thousands of times does) counts as "no match" for the test: a condition using it does not hold (a
 * {@code not} over it does), an exception using it does not apply (the alert is raised). Every abort is counted in
 * {@link #abortedMatches()} (the service can expose it as a metric, e.g.
 * {@code FunctionCounter.builder("palisade.detection.regex.aborted", BoundedRegex.class, c -> BoundedRegex.abortedMatches()).register(registry)})
 * and logged as a warning, at most once a minute per rule and pattern.
 */
public final class BoundedRegex {
    /** How many characters of a value are searched at most. */
    public static final int MAX_TESTED_CHARS = 256 * 1024;
    /** Reads allowed to one test of one condition on one event, whatever the length of its values. */
    public static final long BASE_BUDGET = 1_000_000;
    /** Reads allowed per character searched. */
    public static final long BUDGET_PER_CHAR = 200;

    private static final Logger LOG = Logger.getLogger(BoundedRegex.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Origins and patterns whose last abort was logged, and when; cleared when it grows past this many entries. */
    private static final int MAX_LOG_KEYS = 10_000;
    private static final Map<String, Long> LAST_LOGGED = new ConcurrentHashMap<>();
    private static final LongAdder ABORTED = new LongAdder();

    /** How a search ended. */
    public enum Outcome {
        FOUND, NOT_FOUND, ABORTED
    }

    /**
     * Outcomes of short values already searched (user agents, user names, images, namespaces repeat from event to
     * event in a cluster's traffic): the same pattern in the same text finds the same. Bounded: values up to
     * {@value #MEMO_MAX_CHARS} characters, {@value #MEMO_MAX_ENTRIES} of them, forgotten all at once when full (a
     * stream of distinct values only costs the search it would have cost anyway). Aborted searches are not kept.
     */
    static final int MEMO_MAX_CHARS = 256;
    static final int MEMO_MAX_ENTRIES = 1024;

    private final Pattern pattern;
    private final String origin;
    private final Map<String, Boolean> memo = new ConcurrentHashMap<>();
    /** Words every match contains (null: not known): a value without any is not searched. */
    private final RequiredLiterals literals;

    /**
     * @param origin where the pattern comes from, for the log: file or "custom rule", rule and exception, field
     */
    public BoundedRegex(Pattern pattern, String origin) {
        this.pattern = pattern;
        this.origin = origin;
        this.literals = RequiredLiterals.of(pattern);
    }

    public Pattern pattern() {
        return pattern;
    }

    public String origin() {
        return origin;
    }

    /** How many outcomes are remembered now (at most {@value #MEMO_MAX_ENTRIES}). */
    int memorySize() {
        return memo.size();
    }

    /** The budget for one test of a condition on one event, shared by the values it searches. */
    public static Budget budget() {
        return new Budget();
    }

    /** Searches one value with a fresh budget (tools and tests). */
    public Outcome search(String text) {
        return search(text, budget());
    }

    /** Searches the pattern ({@code find}) in the first {@value #MAX_TESTED_CHARS} characters of a value. */
    public Outcome search(String text, Budget budget) {
        boolean memorable = text.length() <= MEMO_MAX_CHARS;
        if (memorable) {
            Boolean found = memo.get(text);
            if (found != null) {
                return found ? Outcome.FOUND : Outcome.NOT_FOUND;
            }
        }
        // a match lies within the searched part, and so do its words: only that part is looked through
        Outcome outcome = literals == null || literals.mayOccurIn(
                text.length() > MAX_TESTED_CHARS ? text.substring(0, MAX_TESTED_CHARS) : text)
                        ? searchBounded(text, budget)
                        : Outcome.NOT_FOUND;
        if (memorable && outcome != Outcome.ABORTED) {
            if (memo.size() >= MEMO_MAX_ENTRIES) {
                memo.clear();
            }
            memo.put(text, outcome == Outcome.FOUND);
        }
        return outcome;
    }

    /**
     * False when the pattern cannot be found in the JSON text of the mapping or list: none of the words every match
     * contains is in it ({@link RequiredLiterals}); then the text need not be written out to be searched.
     */
    public boolean mayOccurInJsonOf(JsonNode node) {
        return literals == null || literals.mayOccurInJsonOf(node);
    }

    private Outcome searchBounded(String text, Budget budget) {
        int end = Math.min(text.length(), MAX_TESTED_CHARS);
        budget.grant(BUDGET_PER_CHAR * end);
        Matcher matcher = pattern.matcher(new MeteredText(text, budget));
        matcher.region(0, end).useAnchoringBounds(false).useTransparentBounds(true);
        try {
            return matcher.find() ? Outcome.FOUND : Outcome.NOT_FOUND;
        } catch (BudgetExceeded e) {
            aborted(text.length(), "it read " + budget.granted + " characters, its budget for this event");
        } catch (StackOverflowError e) {
            aborted(text.length(), "the regex engine's recursion overflowed the stack");
        }
        return Outcome.ABORTED;
    }

    /** Searches aborted since the start (budget spent or stack overflow); each counted as "no match". */
    public static long abortedMatches() {
        return ABORTED.sum();
    }

    private void aborted(int length, String why) {
        ABORTED.increment();
        if (shouldLog(origin + '\n' + pattern.pattern(), System.nanoTime())) {
            String shown = pattern.pattern().length() <= 200 ? pattern.pattern()
                    : pattern.pattern().substring(0, 200) + "…";
            LOG.warnf("%s: pattern '%s' gave up on a value of %d characters: %s. The test counts as no match; "
                    + "%d searches aborted so far (this rule and pattern are logged at most once a minute)",
                    origin, shown, length, why, ABORTED.sum());
        }
    }

    /** Whether an abort of the rule and pattern {@code key} is logged now: when none was in the last minute. */
    static boolean shouldLog(String key, long nowNanos) {
        if (LAST_LOGGED.size() > MAX_LOG_KEYS) {
            LAST_LOGGED.clear();
        }
        boolean[] log = { false };
        LAST_LOGGED.compute(key, (k, last) -> {
            if (last == null || nowNanos - last >= LOG_INTERVAL_NANOS) {
                log[0] = true;
                return nowNanos;
            }
            return last;
        });
        return log[0];
    }

    /** What a search may still read; shared by the values one condition tests in one event. Not thread-safe. */
    public static final class Budget {
        private long remaining = BASE_BUDGET;
        private long granted = BASE_BUDGET;

        private Budget() {
        }

        void grant(long reads) {
            remaining += reads;
            granted += reads;
        }

        /** Characters read so far. */
        public long used() {
            return granted - remaining;
        }

        void spend() {
            if (--remaining < 0) {
                throw new BudgetExceeded();
            }
        }
    }

    /** Thrown from inside the regex engine when a search has spent its budget; never escapes {@link #search}. */
    public static final class BudgetExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BudgetExceeded() {
            // Thrown from deep in the regex engine's recursion: no stack trace to fill in.
            super("regular expression budget exceeded", null, false, false);
        }
    }

    /** A value as the regex engine reads it: every {@code charAt} spends one unit of the budget. */
    private static final class MeteredText implements CharSequence {
        private final String text;
        private final Budget budget;

        MeteredText(String text, Budget budget) {
            this.text = text;
            this.budget = budget;
        }

        @Override
        public char charAt(int index) {
            budget.spend();
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
