package io.palisade.detection.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The parts of an audit event a catalogue reads, and a reader that builds only those parts from the event's JSON.
 * Most of an audit event is never tested (managed fields, annotations of the object, status, the containers' every
 * setting): reading it into a tree was most of the cost of judging an event. The reader still reads every token (a
 * malformed event is refused as before) but builds nodes only along the paths the rules' conditions, their
 * exceptions and baselines, the engine's verb/resource index and the baseline's time and audit id read; below a
 * path's end it keeps the whole value (a rule may test a mapping's JSON text). A rule's properties and entity are
 * not read here: the alert is raised from the whole event.
 *
 * <p>
 * The tree it builds answers every question the engine asks exactly as the whole event does: each node on an indexed
 * path keeps its kind (a mapping stays a mapping, even when none of its fields is kept), scalars are the nodes the
 * ObjectMapper makes, and a repeated key keeps its last value. {@code FieldIndexTest} holds that nothing fires
 * differently over every rule fixture and Falco's corpus. What is not read is not there: an alert is raised from the
 * whole event, read again when a rule fires.
 */
public final class FieldIndex {
    /** What the engine and the baselines read of every event, whatever the rules test. */
    private static final List<String> ALWAYS_READ = List.of("verb", "objectRef", "auditID", "stageTimestamp",
            "requestReceivedTimestamp");
    /** Where a request's object is ({@link PodSpecs#object}). */
    private static final List<String> OBJECTS = List.of("requestObject", "responseObject");
    /** Where a pod spec is in such an object ({@link PodSpecs#of}). */
    private static final List<List<String>> POD_SPECS = List.of(List.of("spec"), List.of("spec", "template", "spec"),
            List.of("spec", "jobTemplate", "spec", "template", "spec"));
    private static final List<String> CONTAINER_LISTS = List.of("containers", "initContainers", "ephemeralContainers");
    /** Segment of an internal path: every value of a mapping and every element of an array. */
    private static final String EVERY = "*";

    /** Jackson's default bound on nesting: deeper JSON is refused at ingest, and here. */
    static final int MAX_DEPTH = 1000;
    /** Jackson's default bound on a number's length. */
    static final int MAX_NUMBER_LENGTH = 1000;
    /** Jackson's default bounds on a key's and on a string's length (in characters). */
    static final int MAX_NAME_LENGTH = 50_000;
    static final int MAX_STRING_LENGTH = 20_000_000;

    /** Eight bytes of the text at once ({@link Cursor#skipPlainWords}). */
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Node root;
    private final JsonNodeFactory nodes;

    private FieldIndex(Node root, JsonNodeFactory nodes) {
        this.root = root;
        this.nodes = nodes;
    }

    /** The index of what the rules read; the nodes it reads are made by the factory. */
    static FieldIndex of(List<DetectionRule> rules, JsonNodeFactory nodes) {
        Node root = new Node();
        for (String field : ALWAYS_READ) {
            root.add(List.of(field), Keep.WHOLE);
        }
        for (DetectionRule rule : rules) {
            List<FieldCatalogue.FieldPath> read = new ArrayList<>();
            List<FieldCatalogue.FieldPath> present = new ArrayList<>();
            collect(rule.condition(), read, present);
            rule.exceptions().forEach(e -> collect(e.condition(), read, present));
            // not the rule's properties and entity: an alert is raised from the whole event, read again then
            if (rule.baseline() != null) {
                read.add(rule.baseline().subject());
                read.addAll(rule.baseline().operation());
            }
            add(root, read, Keep.WHOLE);
            add(root, present, Keep.PRESENCE);
        }
        return new FieldIndex(root.merged(), nodes);
    }

    private static void add(Node root, List<FieldCatalogue.FieldPath> fields, Keep keep) {
        for (FieldCatalogue.FieldPath field : fields) {
            for (List<String> path : pathsOf(field)) {
                root.add(path, keep);
            }
            if (field.root() != FieldCatalogue.Root.EVENT || field.derivation() == FieldCatalogue.Derivation.WORKLOAD) {
                for (String object : OBJECTS) { // what PodSpecs reads to find the object and its pod spec
                    root.add(List.of(object, "kind"), Keep.WHOLE);
                    root.add(List.of(object, "spec"), Keep.SHAPE);
                }
            }
        }
    }

    /** The index of the given paths in an event ({@code objectRef}, {@code user.username}), each read whole. */
    public static FieldIndex ofPaths(List<String> paths, JsonNodeFactory nodes) {
        return ofPaths(paths, null, nodes);
    }

    /**
     * {@link #ofPaths(List, JsonNodeFactory)} that also keeps the JSON text of every value at {@code captured}
     * ({@code items.*}: each element of {@code items}), for {@link #readCapturing}.
     */
    public static FieldIndex ofPaths(List<String> paths, String captured, JsonNodeFactory nodes) {
        Node root = new Node();
        for (String path : paths) {
            root.add(List.of(path.split("\\.")), Keep.WHOLE);
        }
        if (captured != null) {
            root.add(List.of(captured.split("\\.")), Keep.SHAPE);
            root.at(List.of(captured.split("\\."))).capture = true;
        }
        return new FieldIndex(root.merged(), nodes);
    }

    /** An index that reads everything: Jackson's tree of the JSON (to hold the reader to Jackson's, in tests). */
    static FieldIndex everything(JsonNodeFactory nodes) {
        Node root = new Node();
        root.whole = true;
        return new FieldIndex(root, nodes);
    }

    /** The parts of one event's JSON the rules read. */
    public JsonNode read(String json) throws JsonParseException {
        return read(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@link #read(String)} of JSON as UTF-8 bytes (as a Kafka record holds it), read where they stand: what it reads
     * is what {@code read(new String(json, UTF_8))} reads (a malformed byte sequence is the replacement character).
     */
    public JsonNode read(byte[] json) throws JsonParseException {
        return readWhole(new Cursor(json));
    }

    /** {@link #read} that also returns the JSON text of each captured value, in the order they stand. */
    public Captured readCapturing(byte[] json) throws JsonParseException {
        Cursor cursor = new Cursor(json);
        cursor.captured = new ArrayList<>();
        return new Captured(readWhole(cursor), cursor.captured);
    }

    /** The one JSON value of the cursor's text, as the index reads it. */
    private JsonNode readWhole(Cursor cursor) throws JsonParseException {
        JsonNode value = cursor.value(root);
        cursor.end();
        return value;
    }

    /** What {@link #readCapturing} read. */
    public record Captured(JsonNode tree, List<String> texts) {
    }

    /**
     * A JSON object one of whose fields is an event (a record on the audit-event topic): its other fields whole, the
     * event as {@link #read} reads it, and the event's JSON text as it stands in the object.
     */
    public Enveloped readEnveloped(String json, String eventField) throws JsonParseException {
        return readEnveloped(json.getBytes(StandardCharsets.UTF_8), eventField);
    }

    /** {@link #readEnveloped(String, String)} of UTF-8 bytes, as {@link #read(byte[])} reads them. */
    public Enveloped readEnveloped(byte[] json, String eventField) throws JsonParseException {
        Cursor cursor = new Cursor(json);
        ObjectNode envelope = nodes.objectNode();
        JsonNode event = null;
        String eventJson = null;
        cursor.startObject();
        for (String name = cursor.firstName(); name != null; name = cursor.nextName()) {
            if (name.equals(eventField)) {
                int start = cursor.valueStart();
                event = cursor.value(root);
                eventJson = cursor.textFrom(start);
            } else {
                envelope.set(name, cursor.value(Node.ALL));
            }
        }
        cursor.end();
        return new Enveloped(envelope, event, eventJson, cursor.plain);
    }

    /**
     * What {@link #readEnveloped} read; {@code event} and {@code eventJson} are null when there is none.
     * {@code plain}: the text holds no escape of NUL or of a surrogate and no exponent beyond ±999 (JSON that
     * PostgreSQL's {@code jsonb} refuses though it is valid; such text is read and written again before it is stored).
     */
    public record Enveloped(ObjectNode envelope, JsonNode event, String eventJson, boolean plain) {
    }

    /** The fields a condition reads the values of, and those whose presence alone it tests. */
    private static void collect(Condition condition, List<FieldCatalogue.FieldPath> read,
            List<FieldCatalogue.FieldPath> present) {
        if (condition instanceof Condition.All all) {
            all.conditions().forEach(c -> collect(c, read, present));
        } else if (condition instanceof Condition.Any any) {
            any.conditions().forEach(c -> collect(c, read, present));
        } else if (condition instanceof Condition.Not not) {
            collect(not.condition(), read, present);
        } else if (condition instanceof Condition.Exists exists) {
            present.add(exists.field());
        } else if (condition instanceof Condition.Match match) {
            read.add(match.field());
        } else if (condition instanceof Condition.InIpList inList) {
            read.add(inList.field());
        } else {
            throw new IllegalStateException("a condition the index does not know: " + condition.getClass());
        }
    }

    /** The paths in the event whose values a field reads (each kept whole at its end). */
    static List<List<String>> pathsOf(FieldCatalogue.FieldPath field) {
        List<String> segments = field.segments();
        List<List<String>> paths = new ArrayList<>();
        if (field.derivation() == FieldCatalogue.Derivation.WORKLOAD) {
            for (String object : OBJECTS) {
                for (String part : List.of("ownerReferences", "name", "generateName")) {
                    paths.add(List.of(object, "metadata", part));
                }
                paths.add(List.of(object, "metadata", "labels", "pod-template-hash"));
            }
            paths.add(List.of("objectRef", "name"));
            return paths;
        }
        switch (field.root()) {
            case EVENT -> paths.add(segments);
            case POD_SPEC -> {
                for (String object : OBJECTS) {
                    for (List<String> spec : POD_SPECS) {
                        paths.add(concat(List.of(object), spec, segments));
                    }
                }
            }
            case POD_CONTAINERS -> {
                for (String object : OBJECTS) {
                    for (List<String> spec : POD_SPECS) {
                        for (String list : CONTAINER_LISTS) {
                            paths.add(concat(List.of(object), spec, List.of(list, EVERY), segments));
                        }
                    }
                }
            }
        }
        return paths;
    }

    /** What is kept of the value at the end of a path. */
    enum Keep {
        /** All of it. */
        WHOLE,
        /** Its kind: a mapping or array without content, or the scalar. */
        SHAPE,
        /** Whether it has values ({@code exists}): its kind and, of a mapping or an array, each member's kind. */
        PRESENCE
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        Arrays.stream(parts).forEach(all::addAll);
        return all;
    }

    /**
     * One node of the index: which fields of a mapping (or which elements of an array) are read below it. Paths are
     * a field's segments: {@code name[]} reads the value of {@code name} and, when that is an array, each element
     * ({@link FieldCatalogue.FieldPath}); {@code *} every value of a mapping or element of an array.
     */
    private static final class Node {
        /** Every value whole: each member of a mapping and each element of an array is read as this node. */
        static final Node ALL = new Node();

        static {
            ALL.every = ALL;
        }

        /** Keep the value whole. */
        boolean whole;
        /** Keep the value's JSON text ({@link #readCapturing}). */
        boolean capture;
        final Map<String, Node> fields = new HashMap<>();
        /** What is read of every value of a mapping (besides {@link #fields}) and of every element of an array. */
        Node every;
        /** {@link #fields} as arrays, for {@link #keyAt} (set by {@link #merged}). */
        String[] names = new String[0];
        Node[] children = new Node[0];
        /**
         * Which of the names of {@link #names} that are plain ASCII begin with each ASCII character (set by
         * {@link #merged}; null: none); an empty name begins with the closing quote. A name with any other character,
         * a quote or a backslash is found by its decoded key, as a key with an escape is.
         */
        int[][] namesByFirstChar = new int[128][];
        /** The bytes of each of {@link #names} that {@link #namesByFirstChar} holds (null for the others). */
        byte[][] nameBytes = new byte[0][];

        /**
         * Which of the ASCII {@link #names} the JSON key at {@code at} (its opening quote, if it is one) is, compared
         * byte for byte where it stands; -1 when none, and when the key holds an escape or a byte beyond ASCII (then
         * it is decoded into a String and looked up).
         */
        int keyAt(byte[] text, int at) {
            if (text[at] != '"' || at + 1 >= text.length || text[at + 1] < 0) {
                return -1;
            }
            int[] candidates = namesByFirstChar[text[at + 1]];
            if (candidates == null) {
                return -1;
            }
            for (int k : candidates) {
                byte[] name = nameBytes[k];
                int end = at + 1 + name.length;
                if (end < text.length && text[end] == '"' && Arrays.equals(text, at + 1, end, name, 0, name.length)) {
                    return k; // the name holds no backslash, so neither does the key: it is the name unescaped
                }
            }
            return -1;
        }

        void add(List<String> path, Keep keep) {
            if (path.isEmpty()) {
                whole |= keep == Keep.WHOLE;
                if (keep == Keep.PRESENCE) {
                    every();
                }
                return;
            }
            String segment = path.get(0);
            List<String> rest = path.subList(1, path.size());
            if (EVERY.equals(segment)) {
                every().add(rest, keep);
            } else if (segment.endsWith("[]")) {
                Node child = field(segment.substring(0, segment.length() - 2));
                child.add(rest, keep); // the value itself when it is not an array ...
                child.every().add(rest, keep); // ... else each element
            } else {
                field(segment).add(rest, keep);
            }
        }

        /** The node at a path of plain segments and {@code *} (made when missing). */
        Node at(List<String> path) {
            Node node = this;
            for (String segment : path) {
                node = EVERY.equals(segment) ? node.every() : node.field(segment);
            }
            return node;
        }

        private Node field(String name) {
            return fields.computeIfAbsent(name, n -> new Node());
        }

        private Node every() {
            if (every == null) {
                every = new Node();
            }
            return every;
        }

        /** This node with {@link #every} folded into each named field, so that a field is looked up once. */
        Node merged() {
            Node merged = new Node();
            merged.whole = whole;
            merged.capture = capture;
            merged.every = every == null ? null : every.merged();
            fields.forEach((name, child) -> merged.fields.put(name,
                    (every == null ? child : union(child, every)).merged()));
            merged.names = merged.fields.keySet().toArray(String[]::new);
            merged.children = new Node[merged.names.length];
            merged.nameBytes = new byte[merged.names.length][];
            for (int k = 0; k < merged.names.length; k++) {
                merged.children[k] = merged.fields.get(merged.names[k]);
                String name = merged.names[k];
                if (!name.chars().allMatch(c -> c >= 0x20 && c < 0x80 && c != '"' && c != '\\')) {
                    continue;
                }
                merged.nameBytes[k] = name.getBytes(StandardCharsets.US_ASCII);
                int first = name.isEmpty() ? '"' : name.charAt(0);
                int[] before = merged.namesByFirstChar[first];
                int[] with = before == null ? new int[1] : Arrays.copyOf(before, before.length + 1);
                with[with.length - 1] = k;
                merged.namesByFirstChar[first] = with;
            }
            return merged;
        }

        private static Node union(Node a, Node b) {
            Node union = new Node();
            union.whole = a.whole || b.whole;
            union.capture = a.capture || b.capture;
            union.every = a.every == null ? b.every : b.every == null ? a.every : union(a.every, b.every);
            a.fields.forEach(union.fields::put);
            b.fields.forEach((name, child) -> union.fields.merge(name, child, Node::union));
            return union;
        }
    }

    /**
     * Reads JSON text in UTF-8 as RFC 8259 and Jackson's defaults have it (nesting up to 1,000 deep, numbers up to
     * 1,000 characters, no comments, no unescaped control characters in strings, a repeated key keeping its last
     * value), building nodes only where the index reads, and making the nodes Jackson's tree would have (numbers:
     * int, long, BigInteger, double). What it skips it still checks. It reads the bytes where they stand: the JSON
     * syntax is ASCII, and a byte beyond ASCII can only be part of a string's text, which is decoded when a String is
     * made of it (a malformed sequence becoming the replacement character, as {@code new String(bytes, UTF_8)} has
     * it). Malformed JSON is a {@link JsonParseException} naming the character where it went wrong.
     */
    private final class Cursor {
        private final byte[] text;
        private final int length;
        private int pos;
        private int depth;
        /** Nothing read so far that PostgreSQL's jsonb refuses ({@link Enveloped#plain}). */
        boolean plain = true;
        /** Whether the string {@link #skipString} skipped last held an escape or a byte beyond ASCII. */
        private boolean lastStringNeedsDecoding;
        /** The texts of the values read at capturing nodes (null: none are kept). */
        List<String> captured;

        Cursor(byte[] text) {
            this.text = text;
            this.length = text.length;
        }

        /** The value at the cursor as the node reads it (null: skipped), the cursor after it. */
        JsonNode value(Node node) throws JsonParseException {
            if (node == null) {
                skipValue();
                return null;
            }
            if (node.capture && captured != null) {
                int start = valueStart();
                int at = captured.size();
                captured.add(null); // in the order values start: a captured value may hold another
                JsonNode value = read(node);
                captured.set(at, textFrom(start));
                return value;
            }
            return read(node);
        }

        /** The text from {@code start} to the cursor, decoded. */
        String textFrom(int start) {
            return new String(text, start, pos - start, StandardCharsets.UTF_8);
        }

        private JsonNode read(Node node) throws JsonParseException {
            Node reading = node.whole ? Node.ALL : node;
            byte c = nextNonSpace();
            switch (c) {
                case '{': {
                    ObjectNode object = nodes.objectNode();
                    enter();
                    if (empty('}')) {
                        return object;
                    }
                    do {
                        // the key is looked up where it stands: a key no rule reads is never made into a String
                        int keyStart = valueStart();
                        int key = reading.keyAt(text, keyStart);
                        if (key >= 0) {
                            pos += reading.names[key].length() + 2;
                            colon();
                            object.set(reading.names[key], value(reading.children[key]));
                        } else if (reading.every != null) {
                            String name = name();
                            object.set(name, value(reading.fields.getOrDefault(name, reading.every)));
                        } else if (skipName()) {
                            // a key with an escape or a character beyond ASCII may still be one the rules read, once
                            // decoded
                            pos = keyStart;
                            String name = name();
                            Node child = reading.fields.get(name);
                            if (child == null) {
                                skipValue();
                            } else {
                                object.set(name, value(child));
                            }
                        } else {
                            skipValue();
                        }
                    } while (!afterMember('}'));
                    return object;
                }
                case '[': {
                    ArrayNode array = nodes.arrayNode();
                    enter();
                    if (empty(']')) {
                        return array;
                    }
                    while (true) {
                        if (reading.every == null) {
                            skipValue();
                        } else {
                            array.add(value(reading.every));
                        }
                        if (afterMember(']')) {
                            return array;
                        }
                    }
                }
                case '"':
                    return nodes.textNode(string());
                case 't':
                    literal("true");
                    return nodes.booleanNode(true);
                case 'f':
                    literal("false");
                    return nodes.booleanNode(false);
                case 'n':
                    literal("null");
                    return nodes.nullNode();
                default:
                    return number(true);
            }
        }

        void skipValue() throws JsonParseException {
            byte c = nextNonSpace();
            switch (c) {
                case '{':
                    enter();
                    if (!empty('}')) {
                        do {
                            skipName(); // skipped keys are checked, never made into Strings
                            skipValue();
                        } while (!afterMember('}'));
                    }
                    return;
                case '[':
                    enter();
                    if (!empty(']')) {
                        do {
                            skipValue();
                        } while (!afterMember(']'));
                    }
                    return;
                case '"':
                    if (skipString(MAX_STRING_LENGTH) > MAX_STRING_LENGTH) {
                        throw malformed("a string longer than " + MAX_STRING_LENGTH + " characters");
                    }
                    return;
                case 't':
                    literal("true");
                    return;
                case 'f':
                    literal("false");
                    return;
                case 'n':
                    literal("null");
                    return;
                default:
                    number(false);
            }
        }

        void startObject() throws JsonParseException {
            if (nextNonSpace() != '{') {
                throw malformed("expected a JSON object");
            }
            enter();
        }

        /** After {@code {}: the first key (the cursor at its value) or null for an empty object (the cursor after). */
        String firstName() throws JsonParseException {
            return empty('}') ? null : name();
        }

        /** After a container's opening character: true, and the cursor after it, when the container is empty. */
        private boolean empty(char close) throws JsonParseException {
            if (nextNonSpace() != close) {
                return false;
            }
            pos++;
            depth--;
            return true;
        }

        /** After a member's value: the next key, or null at the object's end (the cursor after it). */
        String nextName() throws JsonParseException {
            return afterMember('}') ? null : name();
        }

        int valueStart() throws JsonParseException {
            nextNonSpace();
            return pos;
        }

        /** Nothing but white space may follow the value. */
        void end() throws JsonParseException {
            skipSpace();
            if (pos < length) {
                throw malformed("unexpected content after the JSON value");
            }
        }

        private String name() throws JsonParseException {
            keyStart();
            String name = string();
            keyEnd(name.length());
            return name;
        }

        /** Skips a key and its colon; true when the key holds an escape or a byte beyond ASCII. */
        private boolean skipName() throws JsonParseException {
            keyStart();
            keyEnd(skipString(MAX_NAME_LENGTH));
            return lastStringNeedsDecoding;
        }

        private void keyStart() throws JsonParseException {
            if (nextNonSpace() != '"') {
                throw malformed("expected a field name in double quotes");
            }
        }

        /** After a key of the length (decoded): its colon. */
        private void keyEnd(int keyLength) throws JsonParseException {
            if (keyLength > MAX_NAME_LENGTH) {
                throw malformed("a key longer than " + MAX_NAME_LENGTH + " characters");
            }
            colon();
        }

        private void colon() throws JsonParseException {
            if (nextNonSpace() != ':') {
                throw malformed("expected ':' after the field name");
            }
            pos++;
        }

        /** After a member: true at the closing character (consumed), false after a comma. */
        private boolean afterMember(char close) throws JsonParseException {
            byte c = nextNonSpace();
            pos++;
            if (c == ',') {
                return false;
            }
            if (c == close) {
                depth--;
                return true;
            }
            pos--;
            throw malformed("expected ',' or '" + close + "'");
        }

        private void enter() throws JsonParseException {
            if (++depth > MAX_DEPTH) {
                throw malformed("nesting deeper than " + MAX_DEPTH);
            }
            pos++;
        }

        /** The next byte that is not white space (not consumed); the end of the text is malformed. */
        private byte nextNonSpace() throws JsonParseException {
            skipSpace();
            if (pos >= length) {
                throw malformed("unexpected end of the JSON text");
            }
            return text[pos];
        }

        private void skipSpace() {
            while (pos < length) {
                byte c = text[pos];
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return;
                }
                pos++;
            }
        }

        private void literal(String literal) throws JsonParseException {
            if (length - pos < literal.length()) {
                throw malformed("expected a JSON value");
            }
            for (int i = 0; i < literal.length(); i++) {
                if (text[pos + i] != literal.charAt(i)) {
                    throw malformed("expected a JSON value");
                }
            }
            pos += literal.length();
        }

        /** The string at the cursor (at its opening quote), unescaped and decoded; the cursor after its closing quote. */
        private String string() throws JsonParseException {
            int start = ++pos;
            skipPlainWords();
            boolean ascii = true;
            while (pos < length) {
                byte c = text[pos];
                if (c == '"') {
                    return checkedLength(new String(text, start, pos++ - start,
                            ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
                }
                if (c == '\\' || c >= 0 && c < 0x20) {
                    break;
                }
                ascii &= c >= 0;
                pos++;
            }
            // with escapes: the runs between them are decoded each (a run ends at ASCII, where UTF-8 decoding of
            // the whole text would also be back in step), the escapes appended as the characters they stand for
            StringBuilder value = new StringBuilder(pos - start + 16);
            int run = start;
            while (true) {
                if (pos >= length) {
                    throw malformed("unterminated string");
                }
                byte c = text[pos++];
                if (c == '"') {
                    appendRun(value, run, pos - 1);
                    return checkedLength(value.toString());
                }
                if (c == '\\') {
                    appendRun(value, run, pos - 1);
                    value.append(escaped());
                    run = pos;
                } else if (c >= 0 && c < 0x20) {
                    pos--;
                    throw malformed("unescaped control character in a string");
                }
            }
        }

        private void appendRun(StringBuilder value, int from, int to) {
            if (to > from) {
                value.append(new String(text, from, to - from, StandardCharsets.UTF_8));
            }
        }

        /**
         * Skips the string at the cursor: its length once unescaped and decoded, exact when it is more than the limit
         * (at most the limit otherwise, which is all a caller compares); {@link #lastStringNeedsDecoding}: whether it
         * had an escape or a byte beyond ASCII. Only a string beyond the limit with bytes beyond ASCII is decoded, to
         * count its characters.
         */
        private int skipString(int limit) throws JsonParseException {
            int start = pos;
            int escapes = 0;
            boolean ascii = true;
            pos++;
            while (true) {
                skipPlainWords();
                while (pos < length && text[pos] != '"' && text[pos] != '\\' && text[pos] >= 0x20) {
                    pos++; // within a word that holds one of the bytes looked at below
                }
                if (pos >= length) {
                    break;
                }
                byte c = text[pos++];
                if (c == '"') {
                    lastStringNeedsDecoding = escapes > 0 || !ascii;
                    int bound = pos - 2 - start - escapes; // no fewer bytes than characters: exact for ASCII
                    if (bound > limit && !ascii) {
                        int end = pos;
                        pos = start;
                        int decoded = string().length(); // checks MAX_STRING_LENGTH
                        pos = end;
                        return decoded;
                    }
                    return bound;
                }
                if (c == '\\') {
                    int escapeStart = pos;
                    escaped();
                    escapes += pos - escapeStart;
                } else if (c < 0) {
                    ascii = false;
                } else {
                    pos--;
                    throw malformed("unescaped control character in a string");
                }
            }
            throw malformed("unterminated string");
        }

        /**
         * Moves the cursor over the string's text eight bytes at a time while none of them is a quote, a backslash, a
         * control character or a byte beyond ASCII (each of which the byte-wise loops look at).
         */
        private void skipPlainWords() {
            while (pos + Long.BYTES <= length) {
                long word = (long) WORDS.get(text, pos);
                if ((((word - 0x2020202020202020L) & ~word // a byte below 0x20
                        | hasZeroByte(word ^ 0x2222222222222222L) // a quote
                        | hasZeroByte(word ^ 0x5C5C5C5C5C5C5C5CL) // a backslash
                        | word) // a byte beyond ASCII
                        & 0x8080808080808080L) != 0) {
                    return;
                }
                pos += Long.BYTES;
            }
        }

        /** Nonzero when a byte of the word is zero (its high bit set; other bits may be too). */
        private static long hasZeroByte(long word) {
            return (word - 0x0101010101010101L) & ~word;
        }

        /** The character an escape stands for (the cursor after its backslash). */
        private char escaped() throws JsonParseException {
            if (pos >= length) {
                throw malformed("unterminated string");
            }
            byte c = text[pos++];
            switch (c) {
                case '"', '\\', '/':
                    return (char) c;
                case 'b':
                    return '\b';
                case 'f':
                    return '\f';
                case 'n':
                    return '\n';
                case 'r':
                    return '\r';
                case 't':
                    return '\t';
                case 'u': {
                    if (pos + 4 > length) {
                        throw malformed("unterminated string");
                    }
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        byte h = text[pos + i];
                        int digit = h >= '0' && h <= '9' ? h - '0'
                                : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                        if (digit < 0) {
                            throw malformed("expected four hexadecimal digits after \\u");
                        }
                        code = code * 16 + digit;
                    }
                    pos += 4;
                    if (code == 0 || code >= 0xD800 && code <= 0xDFFF) {
                        plain = false;
                    }
                    return (char) code;
                }
                default:
                    pos--;
                    throw malformed("unknown escape '\\" + printable(c) + "'");
            }
        }

        /** A number (checked; made into Jackson's node when asked), the cursor after it. */
        private JsonNode number(boolean make) throws JsonParseException {
            int start = pos;
            if (pos < length && text[pos] == '-') {
                pos++;
            }
            int integerStart = pos;
            if (digits() == 0) {
                pos = start;
                throw malformed("expected a JSON value");
            }
            if (text[integerStart] == '0' && pos - integerStart > 1) {
                pos = integerStart;
                throw malformed("a number may not start with 0");
            }
            boolean integral = true;
            if (pos < length && text[pos] == '.') {
                pos++;
                integral = false;
                if (digits() == 0) {
                    throw malformed("expected a digit after the decimal point");
                }
            }
            if (pos < length && (text[pos] == 'e' || text[pos] == 'E')) {
                pos++;
                integral = false;
                if (pos < length && (text[pos] == '+' || text[pos] == '-')) {
                    pos++;
                }
                int exponentDigits = digits();
                if (exponentDigits == 0) {
                    throw malformed("expected a digit in the exponent");
                }
                if (exponentDigits > 3) {
                    plain = false;
                }
            }
            if (pos - start > MAX_NUMBER_LENGTH) {
                throw malformed("a number longer than " + MAX_NUMBER_LENGTH + " characters");
            }
            if (!make) {
                return null;
            }
            String number = new String(text, start, pos - start, StandardCharsets.ISO_8859_1);
            if (!integral) {
                return nodes.numberNode(Double.parseDouble(number));
            }
            if (pos - integerStart <= 18) {
                long value = Long.parseLong(number);
                return value == (int) value ? nodes.numberNode((int) value) : nodes.numberNode(value);
            }
            BigInteger value = new BigInteger(number);
            return value.bitLength() < 64 ? nodes.numberNode(value.longValue()) : nodes.numberNode(value);
        }

        private int digits() {
            int start = pos;
            while (pos < length && text[pos] >= '0' && text[pos] <= '9') {
                pos++;
            }
            return pos - start;
        }

        private String checkedLength(String value) throws JsonParseException {
            if (value.length() > MAX_STRING_LENGTH) {
                throw malformed("a string longer than " + MAX_STRING_LENGTH + " characters");
            }
            return value;
        }

        /** A byte of the text as the character the message names (the start of a multi-byte one as its byte). */
        private static String printable(byte b) {
            return b >= 0 ? String.valueOf((char) b) : String.format("\\x%02X", b & 0xFF);
        }

        /** The problem at the cursor, which is counted in characters of the decoded text. */
        private JsonParseException malformed(String problem) {
            int at = new String(text, 0, Math.min(pos, length), StandardCharsets.UTF_8).length() + 1;
            return new JsonParseException(null, problem + " at character " + at);
        }
    }
}
