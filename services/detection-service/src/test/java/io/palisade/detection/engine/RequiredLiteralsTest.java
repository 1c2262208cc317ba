package io.palisade.detection.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

class RequiredLiteralsTest {
    /** Patterns read here although they are not in the catalogue: every construct the reading must get right. */
    private static final List<String> CONSTRUCTS = List.of("a?bc|de", "ab{2}c|x{0,3}yz", "(?i)AbC", "x[abc]yz",
            "a\\.bc", "foo(bar)?baz", "(?:a|b)cd|ef", "ab+c", "ab*c", "ab??cd", "a\\tbc", "ab\\d{2,3}cd", "(?m)^ab$",
            "[\\]a-z[^x]]+word", "(a(b)c)?de|fg", "t-rex|a-?b", "abc|(?i)def", "\\p{L}abc", "\\Qab\\E", "(?=ab)cd",
            "a(?i:bc)de", "(?-i)ab", "(?x)a b c", "ab|", "|ab", "\\x41bc", "\\1ab", "ab]", "[]a]bc", "(?<n>ab)cd",
            "ab\\_cd", "(?s)a.b", "(?d)ab\\Rcd");

    @Test
    void theWordsOfEachAlternativeAreThoseEveryMatchHolds() {
        assertEquals(List.of("xmrig", "xmr-stak", "t-rex"), words("(?i)xmrig|xmr-stak|T-Rex"));
        assertEquals(List.of("hunter", "peirates", "access"),
                words("(?i)kube-?hunter|peirates|access[-_]matrix"), "an optional character ends a run");
        assertEquals(List.of("stratum"), words("(?i)stratum\\+(tcp|ssl|tls)://"), "a group is not read");
        assertEquals(List.of("POSTGRES_HOST_AUTH_METHOD", "POSTGRES_HOST_AUTH_METHOD", "ALLOW_EMPTY_PASSWORD"),
                words("POSTGRES_HOST_AUTH_METHOD\"[^}]*\"trust\"|\"trust\"[^}]*POSTGRES_HOST_AUTH_METHOD"
                        + "|ALLOW_EMPTY_PASSWORD\"[^}]*\"(yes|true)\""), "without (?i) the case is kept");
        assertEquals(List.of("trust"), words("(?im)^[ \\t]*host(?:ssl|nossl)?[ \\t]+\\S+[ \\t]+trust\\b"));
        assertEquals(List.of("a", "yz"), words("ab{2}c|x{0,3}yz"), "a repeated character ends a run");
    }

    @Test
    void aPatternNotReadSurelyHasNoWords() {
        for (String pattern : List.of("^[45]", "^(2|101$)", "/[0-8]$",
                "^/(?:healthz|livez|readyz|version)(?:/[A-Za-z0-9_-]*+)*+(?:\\?.*)?$", "abc|(?i)def", "\\p{L}abc",
                "\\Qab\\E", "(?=ab)cd", "a(?i:bc)de", "(?-i)ab", "(?x)a b c", "ab|", "|ab", "\\x41bc", "\\1ab",
                "ab]", "[]a]bc", "(?<n>ab)cd", "ab\\_cd")) {
            assertNull(RequiredLiterals.of(Pattern.compile(pattern)), pattern);
        }
        assertNull(RequiredLiterals.of(Pattern.compile("abc", Pattern.CASE_INSENSITIVE)), "flags given to compile");
    }

    @Test
    void aValueWithoutTheWordsNeverMatches() throws IOException {
        Random random = new Random(20261121L);
        int[] counts = holdsOfEveryPattern(3000, pieces -> text(random, pieces));
        assertTrue(counts[0] > 2000 && counts[1] > 20000, counts[0] + " texts matched, " + counts[1] + " were skipped");
    }

    @Test
    void aMappingWithoutTheWordsNeverMatchesItsJsonText() throws IOException {
        Random random = new Random(1121L);
        int[] counts = holdsOfEveryPattern(1000, pieces -> node(random, pieces, 0));
        assertTrue(counts[0] > 500 && counts[1] > 2000, counts[0] + " mappings matched, " + counts[1] + " were skipped");
    }

    /**
     * For each pattern with words, {@code samples} values (texts, or nodes tested by their JSON text) made of its
     * pieces: whatever the regex finds, the words say "may". Returns how many were found and how many skipped.
     */
    private static int[] holdsOfEveryPattern(int samples, Function<List<String>, Object> sample) throws IOException {
        int[] foundAndSkipped = new int[2];
        for (Pattern pattern : patterns()) {
            RequiredLiterals literals = RequiredLiterals.of(pattern);
            if (literals == null) {
                continue;
            }
            List<String> pieces = pieces(pattern);
            for (int i = 0; i < samples; i++) {
                Object value = sample.apply(pieces);
                String text = value instanceof JsonNode node ? node.toString() : (String) value;
                boolean found = pattern.matcher(text).find();
                boolean may = value instanceof JsonNode node ? literals.mayOccurInJsonOf(node)
                        : literals.mayOccurIn(text);
                assertTrue(may || !found, pattern + " is found in " + text + ", said to hold none of "
                        + literals.words());
                foundAndSkipped[0] += found ? 1 : 0;
                foundAndSkipped[1] += may ? 0 : 1;
            }
        }
        return foundAndSkipped;
    }

    @Test
    void aSearchThatCannotFindIsNotRunAndAnswersTheSame() {
        BoundedRegex regex = new BoundedRegex(Pattern.compile("(?i)kubeflow"), "test");
        assertEquals(BoundedRegex.Outcome.FOUND, regex.search("app=KubeFlow-ui"));
        assertEquals(BoundedRegex.Outcome.NOT_FOUND, regex.search("app=nginx"));
        assertEquals(BoundedRegex.Outcome.NOT_FOUND, regex.search("x".repeat(BoundedRegex.MAX_TESTED_CHARS + 10)));
        ObjectNode labels = JsonNodeFactory.instance.objectNode().put("app", "nginx");
        assertTrue(!regex.mayOccurInJsonOf(labels));
        assertTrue(regex.mayOccurInJsonOf(labels.put("team", "kubeflow")));
        assertTrue(regex.mayOccurInJsonOf(JsonNodeFactory.instance.objectNode().put("n", 1)), "a number may");
        assertTrue(regex.mayOccurInJsonOf(JsonNodeFactory.instance.objectNode().put("a", "x\ny")),
                "an escape writes letters of its own");
    }

    private static List<String> words(String pattern) {
        return RequiredLiterals.of(Pattern.compile(pattern)).words();
    }

    /** The catalogue's patterns and {@link #CONSTRUCTS}. */
    private static List<Pattern> patterns() throws IOException {
        Map<String, BoundedRegex> shipped = new LinkedHashMap<>();
        for (DetectionRule rule : RuleFixtures.catalogue()) {
            BoundedRegexTest.collect(rule.condition(), shipped);
            rule.exceptions().forEach(e -> BoundedRegexTest.collect(e.condition(), shipped));
        }
        Set<String> sources = new LinkedHashSet<>(CONSTRUCTS);
        sources.addAll(shipped.keySet());
        return sources.stream().map(Pattern::compile).toList();
    }

    /** Pieces texts are made of: every run of letters and digits in the pattern's source, and characters around. */
    private static List<String> pieces(Pattern pattern) {
        List<String> pieces = new ArrayList<>(List.of(" ", "\t", "\n", "\"", ":", "/", "+", ".", "{", "}", "-",
                "_", "=", "x", "0", "1", "192.168.0.1", "\\", "é", "\u212a"));
        Matcher words = Pattern.compile("[A-Za-z0-9]+").matcher(pattern.pattern());
        while (words.find()) {
            pieces.add(words.group());
            pieces.add(words.group().substring(0, words.group().length() / 2));
        }
        return pieces;
    }

    private static String text(Random random, List<String> pieces) {
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(8); n >= 0; n--) {
            String piece = pieces.get(random.nextInt(pieces.size()));
            text.append(random.nextInt(4) == 0 ? piece.toUpperCase(Locale.ROOT) : piece);
        }
        return text.toString();
    }

    private static JsonNode node(Random random, List<String> pieces, int depth) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        int kind = random.nextInt(depth > 2 ? 3 : 5);
        if (kind == 0) {
            return nodes.textNode(text(random, pieces));
        }
        if (kind == 1) {
            return random.nextBoolean() ? nodes.numberNode(random.nextInt(200)) : nodes.booleanNode(true);
        }
        if (kind == 2) {
            return nodes.textNode(pieces.get(random.nextInt(pieces.size())));
        }
        if (kind == 3) {
            ArrayNode array = nodes.arrayNode();
            for (int n = random.nextInt(4); n > 0; n--) {
                array.add(node(random, pieces, depth + 1));
            }
            return array;
        }
        ObjectNode object = nodes.objectNode();
        for (int n = random.nextInt(4); n > 0; n--) {
            object.set(text(random, pieces), node(random, pieces, depth + 1));
        }
        return object;
    }
}
