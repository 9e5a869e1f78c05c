package io.labhooks.sink;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.labhooks.config.Secret;
import io.labhooks.config.SinkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The warehouse password never reaches a log line, whether it is in the config or in the URL. */
class WarehouseSecretsTest {
    @TempDir
    Path dir;

    @Test
    void passwordsInTheConfigOrTheUrlAreNotLogged() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger flyway = (Logger) LoggerFactory.getLogger("org.flywaydb");
        Logger hikari = (Logger) LoggerFactory.getLogger("com.zaxxer.hikari");
        Level flywayLevel = flyway.getLevel();
        Level hikariLevel = hikari.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        flyway.setLevel(Level.DEBUG);
        hikari.setLevel(Level.DEBUG);
        try {
            Path db = dir.resolve("w.db");
            SinkConfig config = new SinkConfig("jdbc:sqlite:" + db + "?password=url-s3cret&busy_timeout=100", "u",
                    Secret.of("config-s3cret"), "g", 10, Duration.ofMillis(100));
            try (Warehouse w = new Warehouse(config)) {
                assertThat(w.migrate()).as("V1 and V2").isEqualTo(2);
            }
            assertThat(Files.exists(db)).isTrue();
        } finally {
            root.detachAppender(logs);
            flyway.setLevel(flywayLevel);
            hikari.setLevel(hikariLevel);
        }
        assertThat(logs.list).isNotEmpty();
        assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage())
                .doesNotContain("s3cret"));
    }
}
