package io.palisade.detection.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palisade.common.messaging.EventCodec;
import io.palisade.detection.fixtures.FalcoFixtures;

/**
 * The detector judges each event as {@link DetectionEngine#read} reads it: only the parts the rules read. That must
 * never change what fires. Every rule fixture's event (fire, quiet and history cases) and every audit event of
 * Falco's corpus, as written and with its pod spec moved into a workload's template, a CronJob's and the response,
 * fires exactly the rules, and teaches the baseline exactly what, the whole event does.
 */
class FieldIndexTest {

    @Test
    void readingOnlyWhatTheRulesReadNeverChangesWhatFires() throws IOException {
        List<DetectionRule> rules = RuleFixtures.catalogue();
        DetectionEngine engine = new DetectionEngine(rules);
        RuleFixtures.InMemoryBaseline wholeBaseline = new RuleFixtures.InMemoryBaseline();
        RuleFixtures.InMemoryBaseline readBaseline = new RuleFixtures.InMemoryBaseline();
        List<UnaryOperator<JsonNode>> variants = List.of(
                e -> e,
                e -> moved(e, "requestObject", "spec", "template"),
                e -> moved(e, "requestObject", "spec", "jobTemplate", "spec", "template"),
                e -> renamed(e, "requestObject", "responseObject"));
        int compared = 0;
        int fired = 0;
        long wholeBytes = 0;
        long readBytes = 0;
        for (JsonNode original : everyEvent()) {
            for (UnaryOperator<JsonNode> variant : variants) {
                JsonNode whole = variant.apply(original.deepCopy());
                byte[] json = EventCodec.mapper().writeValueAsBytes(whole);
                JsonNode read = engine.read(json);
                List<String> expected = ids(engine.evaluate(whole, wholeBaseline));
                assertEquals(expected, ids(engine.evaluate(read, readBaseline)), "as read: " + read + "\nwhole: " + whole);
                compared++;
                fired += expected.size();
                wholeBytes += json.length;
                readBytes += read.toString().length();
            }
        }
        assertTrue(compared > 1000 && fired > 1000, compared + " events compared, " + fired + " alerts");
        assertTrue(readBytes < wholeBytes, "the index keeps less than the whole: " + readBytes + " of " + wholeBytes);
    }

    @Test
    void whatNoRuleReadsIsSkippedAndWhatOneReadsIsKeptWhole() throws IOException {
        DetectionEngine engine = new DetectionEngine(RuleFixtures.catalogue());
        JsonNode read = engine.read(utf8("""
                {"kind":"Event","verb":"create","auditID":"a-1","stage":"ResponseComplete",
                 "objectRef":{"resource":"pods","namespace":"shop","name":"web"},
                 "requestObject":{"kind":"Pod","metadata":{"name":"web","managedFields":[{"manager":"kubectl"}]},
                  "spec":{"containers":[{"name":"c","image":"nginx","securityContext":{"privileged":true},
                   "resources":{"limits":{"cpu":"1"}}}]},
                  "status":{"phase":"Pending"}}}"""));
        assertEquals("pods", read.at("/objectRef/resource").asText());
        assertEquals("web", read.at("/objectRef/name").asText(), "objectRef is kept whole");
        assertTrue(read.at("/requestObject/spec/containers/0/securityContext/privileged").asBoolean());
        assertEquals("nginx", read.at("/requestObject/spec/containers/0/image").asText());
        assertTrue(read.at("/requestObject/metadata/managedFields").isMissingNode(), "managed fields: " + read);
        assertTrue(read.at("/requestObject/status/phase").isMissingNode(), "status: " + read);
        assertTrue(read.at("/requestObject/spec/containers/0/resources").isMissingNode(), "resources: " + read);
    }

    @Test
    void aMappingOnTheWayStaysAMappingAndARepeatedKeyKeepsItsLastValue() throws IOException {
        DetectionEngine engine = new DetectionEngine(RuleFixtures.catalogue());
        JsonNode read = engine.read(utf8("""
                {"verb":"get","verb":"create","responseObject":{"spec":{"nothing":"read"}},
                 "requestObject":["not","a","mapping"]}"""));
        assertEquals("create", read.path("verb").asText());
        assertTrue(read.at("/responseObject/spec").isObject(), "the response's spec is still there: " + read);
        assertTrue(read.path("requestObject").isArray());
        JsonNode escaped = engine.read(utf8("{\"\\u0076erb\":\"delete\",\"objectRef\":{\"n\\u0061me\":\"x\"}}"));
        assertEquals("delete", escaped.path("verb").asText(), "a key written with an escape is still the key");
        assertEquals("x", escaped.at("/objectRef/name").asText());
        assertEquals("gets", engine.read(utf8("{\"objectRef\":{\"resource\":\"gets\"},\"verb\":\"é\"}"))
                .at("/objectRef/resource").asText(), "UTF-8 beyond ASCII");
    }

    @Test
    void keysAreFoundWhateverTheyBeginWith() throws IOException {
        FieldIndex index = FieldIndex.ofPaths(List.of("a.ключ", "a.é", "a.e", "a.ea", "a..b", "a.\\x"),
                EventCodec.mapper().getNodeFactory());
        JsonNode read = index.read("""
                {"a":{"x":0,"ключ":1,"é":2,"e":3,"eb":4,"ea":5,"":{"b":6,"c":7},"\\\\x":8,"кл":9,"\\\\y":10}}""");
        assertEquals(EventCodec.mapper().readTree("""
                {"a":{"ключ":1,"é":2,"e":3,"ea":5,"":{"b":6},"\\\\x":8}}"""), read);
    }

    @Test
    void aMalformedEventIsRefusedEvenWhereNothingIsRead() throws IOException {
        DetectionEngine engine = new DetectionEngine(List.of());
        assertThrows(JsonProcessingException.class, () -> engine.read(utf8("{\"status\":{\"phase\":tru}}")));
        assertThrows(JsonProcessingException.class, () -> engine.read(utf8("{\"status\":{\"phase\":\"x\"}")));
        assertThrows(JsonProcessingException.class, () -> engine.read(utf8("")));
        assertThrows(JsonProcessingException.class, () -> engine.read(utf8("{\"status\":{\"phase\":01}}")));
        assertFalse(engine.read(utf8("{\"status\":{}}")).has("status"));
    }

    @Test
    void readingEverythingMakesJacksonsTree() throws IOException {
        FieldIndex everything = FieldIndex.everything(EventCodec.mapper().getNodeFactory());
        List<String> samples = new ArrayList<>(List.of(
                "{\"a\":[0,-0,1.5,-1.5e10,1E400,1e-400,0.1,2147483647,2147483648,-2147483648,-2147483649]}",
                "{\"n\":[9223372036854775807,9223372036854775808,-9223372036854775808,-9223372036854775809,"
                        + "123456789012345678901234567890,1234567890]}",
                "{\"s\":[\"\\u00e9\\ud83d\\ude00\\/\\b\\f\\n\\r\\t\\\"\\\\\",\"é😀\",\"\"]}",
                " {\"k\" :\t{ },\"l\"\n:[ ],\"k\":\r[[],{}] , \"t\":true,\"f\":false,\"z\":null} "));
        for (JsonNode event : everyEvent()) {
            samples.add(EventCodec.encode(event));
        }
        for (String json : samples) {
            assertEquals(EventCodec.mapper().readTree(json), everything.read(json), json);
        }
    }

    @Test
    void theReaderRefusesWhatJacksonRefusesAndReadsTheRestAlike() throws IOException {
        ObjectMapper strict = EventCodec.mapper().copy().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        FieldIndex everything = FieldIndex.everything(strict.getNodeFactory());
        List<String> malformed = List.of("{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":-}",
                "{\"a\":1e}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":NaN}", "{\"a\":\"x\\q\"}",
                "{\"a\":\"\\u12G4\"}", "{\"a\":\"tab\there\"}", "{\"a\" 1}", "{\"a\":1,}", "{\"a\":[1,]}",
                "{,}", "{\"a\":1", "{\"a\":\"x}", "[1 2]", "{'a':1}", "{a:1}", "{\"a\":1}x", "{\"a\":1}}",
                "[".repeat(1001) + "]".repeat(1001), "{\"" + "k".repeat(50_001) + "\":1}",
                "{\"a\":{\"" + "k".repeat(50_001) + "\":1}}", "{\"a\":" + "9".repeat(1001) + "}");
        for (String json : malformed) {
            assertThrows(JsonProcessingException.class, () -> strict.readTree(json), "Jackson refuses " + json);
            assertThrows(JsonProcessingException.class, () -> everything.read(json), "the reader refuses " + json);
        }
        // every audit event, each with one character changed at random: refused by both, or read alike
        Random random = new Random(20261121);
        String replacements = "{}[]:,\"\\ \t\n0123456789-+.eEtfnulx\u0001é";
        int refused = 0;
        int read = 0;
        for (JsonNode event : everyEvent()) {
            String json = EventCodec.encode(event);
            for (int i = 0; i < 10; i++) {
                int at = random.nextInt(json.length());
                String mutated = json.substring(0, at) + replacements.charAt(random.nextInt(replacements.length()))
                        + json.substring(at + 1);
                JsonNode expected;
                try {
                    expected = strict.readTree(mutated);
                } catch (JsonProcessingException e) {
                    assertThrows(JsonProcessingException.class, () -> everything.read(mutated),
                            "Jackson refuses (" + e.getOriginalMessage() + "), so must the reader: " + mutated);
                    refused++;
                    continue;
                }
                assertEquals(expected, everything.read(mutated), mutated);
                read++;
            }
        }
        assertTrue(refused > 1000 && read > 1000, refused + " refused, " + read + " read");
    }

    @Test
    void bytesAreReadAsTheirUtf8DecodingReads() throws IOException {
        ObjectMapper strict = EventCodec.mapper().copy().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        FieldIndex everything = FieldIndex.everything(strict.getNodeFactory());
        FieldIndex keys = FieldIndex.ofPaths(List.of("a.é", "a.\uFFFD", "a.ключ"), strict.getNodeFactory());
        // keys beyond ASCII, well-formed or not, are looked up as they decode; runs between escapes decode alone
        byte[] mixed = concat(utf8("{\"a\":{\"é\":1,\""), new byte[] { (byte) 0xFF }, utf8("\":2,\"ключ\":\"x"),
                new byte[] { (byte) 0xC3 }, utf8("\\n"), new byte[] { (byte) 0xA9 }, utf8("é\\u00e9\",\"k\":4}}"));
        assertEquals(strict.readTree("{\"a\":{\"é\":1,\"\uFFFD\":2,\"ключ\":\"x\uFFFD\\n\uFFFDéé\"}}"),
                keys.read(mixed));
        assertEquals(strict.readTree(new String(mixed, StandardCharsets.UTF_8)), everything.read(mixed));
        // a key of more than 50,000 characters is refused by its characters, not its bytes
        assertThrows(JsonProcessingException.class, () -> everything.read(utf8("{\"" + "é".repeat(50_001) + "\":1}")));
        assertEquals(1, everything.read(utf8("{\"" + "é".repeat(30_000) + "\":1}")).size());

        // every audit event in UTF-8, each with a byte changed or a sequence beyond ASCII put in at random: the
        // reader of bytes refuses what Jackson refuses of its decoding and reads the rest alike, the event's text too
        byte[][] replacements = { { (byte) 0x80 }, { (byte) 0xBF }, { (byte) 0xC3 }, { (byte) 0xA9 }, { (byte) 0xE2 },
                { (byte) 0xF0 }, { (byte) 0xFF }, { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, utf8("é"), utf8("😀"),
                utf8("ключ"), utf8("\""), utf8("\\"), utf8("\\u00e9"), utf8(":"), utf8(",") };
        Random random = new Random(20261122);
        int refused = 0;
        int read = 0;
        for (JsonNode event : everyEvent()) {
            byte[] json = utf8(EventCodec.encode(event));
            for (int i = 0; i < 10; i++) {
                int at = random.nextInt(json.length);
                byte[] mutated = concat(Arrays.copyOf(json, at),
                        replacements[random.nextInt(replacements.length)],
                        Arrays.copyOfRange(json, at + random.nextInt(2), json.length));
                byte[] record = concat(utf8("{\"type\":\"audit-event\",\"event\":"), mutated, utf8("}"));
                JsonNode expected;
                try {
                    expected = strict.readTree(new String(mutated, StandardCharsets.UTF_8));
                } catch (JsonProcessingException e) {
                    assertThrows(JsonProcessingException.class, () -> everything.read(mutated));
                    assertThrows(JsonProcessingException.class, () -> everything.readEnveloped(record, "event"));
                    refused++;
                    continue;
                }
                String decoded = new String(mutated, StandardCharsets.UTF_8);
                assertEquals(expected, everything.read(mutated), decoded);
                FieldIndex.Enveloped enveloped = everything.readEnveloped(record, "event");
                assertEquals(expected, enveloped.event(), decoded);
                assertEquals(decoded, enveloped.eventJson());
                read++;
            }
        }
        assertTrue(refused > 1000 && read > 1000, refused + " refused, " + read + " read");
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    @Test
    void aRecordIsPlainUnlessItHoldsWhatJsonbRefuses() throws IOException {
        FieldIndex everything = FieldIndex.everything(EventCodec.mapper().getNodeFactory());
        for (String value : List.of("\"caf\\u00e9\"", "\"a\\u0001b\"", "1e999", "-1.5E-999", "\"\\\\ud800\"")) {
            String record = "{\"type\":\"audit-event\",\"event\":{\"v\":" + value + "}}";
            assertTrue(everything.readEnveloped(record, "event").plain(), record);
        }
        for (String value : List.of("\"\\u0000\"", "\"\\udfff\"", "\"\\uD83D\\uDE00\"", "1e1000", "2E-0001")) {
            String record = "{\"type\":\"audit-event\",\"event\":{\"v\":" + value + "}}";
            assertFalse(everything.readEnveloped(record, "event").plain(), record);
        }
    }

    private static List<JsonNode> everyEvent() throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (RuleFixtures.FixtureFile file : RuleFixtures.load().values()) {
            events.addAll(file.history());
            file.fire().forEach(c -> events.add(c.event()));
            file.quiet().forEach(c -> events.add(c.event()));
        }
        for (FalcoFixtures.Fixture fixture : FalcoFixtures.all()) {
            String text = new String(FalcoFixtures.bytes(fixture.file()), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                try {
                    JsonNode event = EventCodec.mapper().readTree(line);
                    if (event != null && "Event".equals(event.path("kind").asText())) {
                        events.add(event);
                    }
                } catch (JsonProcessingException malformed) {
                    // the corpus's malformed file: refused at ingest, never judged
                }
            }
        }
        return events;
    }

    /** The event with its request's pod spec moved below the path (a Deployment's or a CronJob's template). */
    private static JsonNode moved(JsonNode event, String object, String... path) {
        JsonNode spec = event.path(object).path("spec");
        if (!spec.isObject()) {
            return event;
        }
        ObjectNode target = (ObjectNode) event.get(object);
        ObjectNode at = target.putObject(path[0]);
        for (int i = 1; i < path.length; i++) {
            at = at.putObject(path[i]);
        }
        at.set("spec", spec);
        return event;
    }

    private static JsonNode renamed(JsonNode event, String from, String to) {
        JsonNode value = ((ObjectNode) event).remove(from);
        if (value != null) {
            ((ObjectNode) event).set(to, value);
            ((ObjectNode) event).put("verb", "patch");
        }
        return event;
    }

    private static List<String> ids(List<DetectionRule> rules) {
        return rules.stream().map(DetectionRule::id).toList();
    }

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
