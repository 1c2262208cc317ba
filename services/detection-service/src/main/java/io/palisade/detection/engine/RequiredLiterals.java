package io.palisade.detection.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Words that every match of a regular expression contains, one of them at least, so that a value holding none of
 * them is known not to match without running the regex engine: {@code (?i)xmrig|xmr-stak|minerd} cannot match a text
 * that contains none of "xmrig", "xmr-stak" and "minerd" in any letter case.
 *
 * <p>
 * Read from the pattern's source, conservatively: the pattern is split into its top-level alternatives, and of each
 * the longest run of letters, digits, {@code _} and {@code -} written plainly at the top level (not inside a group or
 * a character class, not made optional by a {@code ?}, {@code *} or <code>{n,m}</code> after it). Any pattern this
 * reading is not sure of has no required literals ({@link #of} gives null) and is always searched: an alternative
 * without such a run, an escape other than the plain ones ({@code \d}, {@code \+}, ...), a group other than
 * {@code (...)} and {@code (?:...)}, inline flags other than a leading {@code (?i)}, {@code (?m)}, {@code (?s)} or
 * {@code (?d)}, or flags given when the pattern was compiled.
 */
final class RequiredLiterals {
    private static final String PLAIN_ESCAPES = "dDwWsSbBtnrfaeAzZGhHvVRX";

    private final List<String> words;
    private final boolean ignoreCase;

    private RequiredLiterals(List<String> words, boolean ignoreCase) {
        this.words = words;
        this.ignoreCase = ignoreCase;
    }

    /** The words one of which every match of the pattern contains; null when not known. */
    static RequiredLiterals of(Pattern pattern) {
        String source = pattern.pattern();
        int leadingFlags = 0;
        int at = 0;
        int close = source.startsWith("(?") ? source.indexOf(')') : -1;
        String flags = close < 0 ? "" : source.substring(2, close);
        if (!flags.isEmpty() && flags.chars().allMatch(f -> "imsd".indexOf(f) >= 0)) {
            for (char flag : flags.toCharArray()) {
                leadingFlags |= switch (flag) {
                    case 'i' -> Pattern.CASE_INSENSITIVE;
                    case 'm' -> Pattern.MULTILINE;
                    case 's' -> Pattern.DOTALL;
                    default -> Pattern.UNIX_LINES;
                };
            }
            at = close + 1;
        }
        if ((pattern.flags() & ~leadingFlags) != 0) {
            return null; // flags given to compile (the pattern's flags include those of its leading group)
        }
        boolean ignoreCase = (leadingFlags & Pattern.CASE_INSENSITIVE) != 0;
        List<String> words = new Reader(source, ignoreCase).words(at);
        return words == null ? null : new RequiredLiterals(words, ignoreCase);
    }

    /** The words, in the case they are compared in (lower case when the pattern ignores case). */
    List<String> words() {
        return words;
    }

    /** False when the text holds none of the words: the pattern cannot be found in it. */
    boolean mayOccurIn(String text) {
        String compared = ignoreCase ? text.toLowerCase(Locale.ROOT) : text;
        for (String word : words) {
            if (compared.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /**
     * False when the JSON text of the node ({@code toString()}) holds none of the words. A word can only stand within
     * one key or one string of that text, since it holds no character JSON writes between them; a string written with
     * escapes, a number, a boolean or a null may add letters and digits of their own, so with any of them the answer
     * is true.
     */
    boolean mayOccurInJsonOf(JsonNode node) {
        if (node.isTextual()) {
            String text = node.textValue();
            return !writtenAsIs(text) || mayOccurIn(text);
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (mayOccurInJsonOf(element)) {
                    return true;
                }
            }
            return false;
        }
        if (node.isObject()) {
            for (var fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!writtenAsIs(field.getKey()) || mayOccurIn(field.getKey())
                        || mayOccurInJsonOf(field.getValue())) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    /** Whether JSON writes the string between its quotes as it is (no escape). */
    private static boolean writtenAsIs(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Reads the top level of a pattern's source: its alternatives and the plain runs of each. */
    private static final class Reader {
        private final String source;
        private final boolean ignoreCase;
        private int pos;

        Reader(String source, boolean ignoreCase) {
            this.source = source;
            this.ignoreCase = ignoreCase;
        }

        /** The longest plain run of each top-level alternative from {@code from}; null when not sure of one. */
        List<String> words(int from) {
            pos = from;
            List<String> words = new ArrayList<>();
            String longest = "";
            StringBuilder run = new StringBuilder();
            while (pos < source.length()) {
                char c = source.charAt(pos);
                if (isWordChar(c)) {
                    run.append(c);
                    pos++;
                    continue;
                }
                if (c == '?' || c == '*' || c == '{') {
                    if (run.length() > 0) {
                        run.setLength(run.length() - 1); // the character before is optional
                    }
                }
                longest = longer(longest, run);
                run.setLength(0);
                boolean sure = switch (c) {
                    case '|' -> {
                        if (longest.isEmpty()) {
                            yield false;
                        }
                        words.add(longest);
                        longest = "";
                        pos++;
                        yield true;
                    }
                    case '\\' -> skipEscape();
                    case '[' -> skipClass();
                    case '(' -> skipGroup();
                    case '{' -> skipTo('}');
                    case ')', ']', '}' -> false;
                    default -> {
                        pos++;
                        yield true;
                    }
                };
                if (!sure) {
                    return null;
                }
            }
            longest = longer(longest, run);
            if (longest.isEmpty()) {
                return null;
            }
            words.add(longest);
            return List.copyOf(words);
        }

        private String longer(String longest, StringBuilder run) {
            if (run.length() <= longest.length()) {
                return longest;
            }
            String word = run.toString();
            return ignoreCase ? word.toLowerCase(Locale.ROOT) : word;
        }

        private static boolean isWordChar(char c) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
        }

        /** At a backslash: skips an escape that stands for one character or class; false for any other. */
        private boolean skipEscape() {
            if (pos + 1 >= source.length()) {
                return false;
            }
            char escaped = source.charAt(pos + 1);
            if (isWordChar(escaped) && PLAIN_ESCAPES.indexOf(escaped) < 0) {
                return false; // \p{..}, \x41, \u0041, \0, \1, \k<..>, \Q, \N{..}, \c..
            }
            pos += 2;
            return true;
        }

        /** At '[': skips the class, nested classes and escapes in it. */
        private boolean skipClass() {
            int depth = 0;
            while (pos < source.length()) {
                char c = source.charAt(pos);
                if (c == '\\') {
                    if (!skipEscape()) {
                        return false;
                    }
                    continue;
                }
                if (c == '[') {
                    depth++;
                    pos++;
                    if (pos < source.length() && source.charAt(pos) == '^') {
                        pos++;
                    }
                    if (pos < source.length() && source.charAt(pos) == ']') {
                        return false; // a ']' first in a class: not read here
                    }
                    continue;
                }
                pos++;
                if (c == ']' && --depth == 0) {
                    return true;
                }
            }
            return false;
        }

        /** At '(': skips a group {@code (...)} or {@code (?:...)} with what it holds; false for any other group. */
        private boolean skipGroup() {
            if (source.startsWith("(?", pos) && !source.startsWith("(?:", pos)) {
                return false;
            }
            int depth = 0;
            while (pos < source.length()) {
                char c = source.charAt(pos);
                if (c == '\\' || c == '[') {
                    if (!(c == '[' ? skipClass() : skipEscape())) {
                        return false;
                    }
                } else if (c == '(') {
                    if (source.startsWith("(?", pos) && !source.startsWith("(?:", pos)) {
                        return false;
                    }
                    depth++;
                    pos++;
                } else {
                    pos++;
                    if (c == ')' && --depth == 0) {
                        return true;
                    }
                }
            }
            return false;
        }

        private boolean skipTo(char close) {
            int end = source.indexOf(close, pos);
            if (end < 0) {
                return false;
            }
            pos = end + 1;
            return true;
        }
    }
}
