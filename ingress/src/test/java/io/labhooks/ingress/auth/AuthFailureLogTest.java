package io.labhooks.ingress.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The rate limit of auth-failure log lines, on a clock the test moves (no sleeps). */
class AuthFailureLogTest {
    final Logger logger = (Logger) LoggerFactory.getLogger("test.auth-failures");
    final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final AuthFailureLog log = new AuthFailureLog(logger, Duration.ofSeconds(60), nanos::get);

    @BeforeEach
    void attach() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
        appender.stop();
    }

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    List<String> lines() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void oneWarnPerSourcePerWindowThenTheNextCarriesTheSuppressedCount() {
        log.failed("flabs", "10.0.0.1");
        for (int i = 0; i < 7; i++) {
            advance(Duration.ofSeconds(5));
            log.failed("flabs", "10.0.0.2");
        }
        assertThat(lines()).containsExactly("source flabs: rejected a delivery from 10.0.0.1 with 401 (bad or missing credentials)");
        advance(Duration.ofSeconds(24)); // 59 s after the first line: still inside the window
        log.failed("flabs", "10.0.0.3");
        assertThat(lines()).hasSize(1);
        advance(Duration.ofSeconds(1)); // 60 s
        log.failed("flabs", "10.0.0.4");
        assertThat(lines()).hasSize(2);
        assertThat(lines().get(1)).isEqualTo(
                "source flabs: rejected a delivery from 10.0.0.4 with 401 (bad or missing credentials); 8 more since the last such line");
        assertThat(appender.list).allMatch(e -> e.getLevel() == Level.WARN);
        // the count starts again after each line
        advance(Duration.ofSeconds(61));
        log.failed("flabs", "10.0.0.5");
        assertThat(lines().get(2)).endsWith("(bad or missing credentials)");
    }

    @Test
    void eachSourceHasItsOwnWindow() {
        log.failed("flabs", "10.0.0.1");
        log.failed("lml", "10.0.0.1");
        log.failed("flabs", "10.0.0.1");
        log.failed("confident", "10.0.0.1");
        assertThat(lines()).hasSize(3).anyMatch(l -> l.startsWith("source lml:")).anyMatch(l -> l.startsWith("source confident:"));
    }
}
