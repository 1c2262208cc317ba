package io.palisade.detection.engine;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The service README's rule catalogue table (alert type, rule id, severity, tactics, Falco rules covered, fixtures) is
 * generated from the shipped catalogue and the rule fixtures, and must match them. The table sits between the lines
 * {@value #BEGIN} and {@value #END}; when it is out of date this test fails and prints the generated table. Run it with
 * {@code -Dpalisade.updateReadme=true} to rewrite that part of the README instead (then it passes).
 */
class CatalogueDocumentationTest {
    static final String BEGIN = "<!-- catalogue:begin -->";
    static final String END = "<!-- catalogue:end -->";
    static final String UPDATE_PROPERTY = "palisade.updateReadme";
    static final String MODULE = "services/detection-service";
    static final String REFRESH_COMMAND = "./mvnw -o -q -B -pl " + MODULE + " test -Dtest=CatalogueDocumentationTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -D" + UPDATE_PROPERTY + "=true";

    @Test
    void readmeHasTheGeneratedCatalogueTable() throws IOException {
        String table = table();
        Path readme = readme();
        String text = Files.readString(readme, StandardCharsets.UTF_8).replace("\r\n", "\n");
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertTrue(begin >= 0 && end > begin && text.indexOf(BEGIN, begin + 1) < 0 && text.indexOf(END, end + 1) < 0,
                readme + " must hold exactly one line " + BEGIN + " followed by one line " + END
                        + " (under '## Rule catalogue'); the generated table goes between them");
        String current = text.substring(begin + BEGIN.length(), end).strip();
        if (current.equals(table.strip())) {
            return;
        }
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.writeString(readme, text.substring(0, begin + BEGIN.length()) + "\n" + table + text.substring(end),
                    StandardCharsets.UTF_8);
            System.out.println("Rewrote the rule catalogue table in " + readme);
            return;
        }
        fail(MODULE + "/README.md: the rule catalogue table is out of date (" + firstDifference(current, table)
                + ").\nRefresh it by running this test with -D" + UPDATE_PROPERTY
                + "=true, from the repository root:\n  "
                + REFRESH_COMMAND + "\nor replace the lines between " + BEGIN + " and " + END
                + " with the generated table:\n\n" + table);
    }

    /** The Markdown table: one row per rule, in the order of the catalogue file. */
    static String table() throws IOException {
        List<DetectionRule> rules;
        try (InputStream in = Thread.currentThread().getContextClassLoader()
                .getResourceAsStream(RuleFixturesTest.CATALOGUE)) {
            assertNotNull(in, RuleFixturesTest.CATALOGUE + " is not on the classpath");
            rules = new RuleLoader(new IpLists()).loadFile(in, RuleFixturesTest.CATALOGUE);
        }
        Path fixturesDir = RuleFixturesTest.fixturesDir();
        StringBuilder table = new StringBuilder();
        table.append("| alert type | rule id | severity | tactics | Falco rules covered | fixtures |\n");
        table.append("|---|---|---|---|---|---|\n");
        for (DetectionRule rule : rules) {
            table.append("| `").append(cell(rule.alertType())).append("` | `").append(cell(rule.id())).append("` | ")
                    .append(rule.severity().name()).append(" | ").append(cell(join(rule.intent()))).append(" | ")
                    .append(cell(join(rule.falcoRules()))).append(" | ")
                    .append(cell(fixtures(fixturesDir.resolve(rule.id() + ".yaml")))).append(" |\n");
        }
        return table.toString();
    }

    /** "5 fire / 6 quiet; Falco: a.json, b.json", with the history events of a baseline rule when it has some. */
    static String fixtures(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return "none";
        }
        JsonNode root = RuleFixturesTest.YAML.readTree(file.toFile());
        if (root == null || !root.isObject()) {
            return fail(RuleFixturesTest.FIXTURES + "/" + file.getFileName()
                    + ": expected a mapping with 'fire' and 'quiet'");
        }
        StringBuilder text = new StringBuilder();
        text.append(root.path("fire").size()).append(" fire / ").append(root.path("quiet").size()).append(" quiet");
        if (root.path("history").size() > 0) {
            text.append(" (after ").append(root.path("history").size()).append(" history events)");
        }
        Set<String> falco = new LinkedHashSet<>();
        for (String key : List.of("fire", "quiet", "history")) {
            for (JsonNode c : root.path(key)) {
                if (c.hasNonNull("falco")) {
                    falco.add(c.get("falco").asText());
                }
            }
        }
        if (!falco.isEmpty()) {
            text.append("; Falco: ").append(String.join(", ", falco));
        }
        return text.toString();
    }

    private static String join(List<String> items) {
        return items == null || items.isEmpty() ? "—" : String.join(", ", items);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static String firstDifference(String current, String generated) {
        String[] have = current.split("\n", -1);
        String[] want = generated.strip().split("\n", -1);
        for (int i = 0; i < Math.max(have.length, want.length); i++) {
            String a = i < have.length && !have[i].isEmpty() ? have[i] : "(nothing)";
            String b = i < want.length && !want[i].isEmpty() ? want[i] : "(nothing)";
            if (!a.equals(b)) {
                return "table line " + (i + 1) + " is\n  " + a + "\nbut should be\n  " + b;
            }
        }
        return "whitespace differs";
    }

    /**
     * The module's README: in the working directory when the module is built (Maven runs tests there), else found
     * below a parent directory as {@value #MODULE}/README.md.
     */
    static Path readme() {
        Path start = Path.of("").toAbsolutePath().normalize();
        List<Path> tried = new ArrayList<>();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            for (Path module : List.of(dir, dir.resolve(MODULE))) {
                Path readme = module.resolve("README.md");
                tried.add(readme);
                Path catalogue = module.resolve("src/main/resources").resolve(RuleFixturesTest.CATALOGUE);
                if (Files.isRegularFile(readme) && Files.isRegularFile(catalogue)) {
                    return readme;
                }
            }
        }
        return fail("the detection-service README was not found from " + start + " (tried " + tried.size()
                + " places, e.g. " + tried.get(0) + ")");
    }
}
