package io.palisade.k8s;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of Palisade's services as its own configuration describes it (src/main/resources/application.properties,
 * without profile-specific lines): the port it listens on, the database it connects to, the topics it uses.
 */
record ServiceModule(String name, Path directory, Properties properties) {
    static final List<ServiceModule> ALL = List.of(
            load("connector-service", "services/connector-service"),
            load("plan-service", "services/plan-service"),
            load("detection-service", "services/detection-service"),
            load("alert-service", "services/alert-service"),
            load("gateway", "gateway"));

    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/([^?]+).*");

    static ServiceModule load(String name, String directory) {
        Path dir = Repository.file(directory);
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(dir.resolve("src/main/resources/application.properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + name + "'s application.properties", e);
        }
        return new ServiceModule(name, dir, properties);
    }

    String property(String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new AssertionError(name + "'s application.properties has no " + key);
        }
        return value;
    }

    int httpPort() {
        return Integer.parseInt(property("quarkus.http.port"));
    }

    String databaseName() {
        return jdbc(property("quarkus.datasource.jdbc.url")).group(3);
    }

    /** Every topic the service's messaging channels read, write or dead-letter to. */
    Set<String> topics() {
        Set<String> topics = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("mp.messaging.") && (key.endsWith(".topic"))) {
                topics.add(properties.getProperty(key));
            }
        }
        return topics;
    }

    static Matcher jdbc(String url) {
        Matcher matcher = JDBC_URL.matcher(url);
        if (!matcher.matches()) {
            throw new AssertionError("not a PostgreSQL JDBC URL: " + url);
        }
        return matcher;
    }

    @Override
    public String toString() {
        return name;
    }
}
