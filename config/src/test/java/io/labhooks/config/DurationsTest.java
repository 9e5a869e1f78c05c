package io.labhooks.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one duration parser, in its config form and its command-line form. */
class DurationsTest {
    @Test
    void configFormIsOneWholeNumberAndALowerCaseUnit() {
        assertThat(Durations.parseConfig("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parseConfig("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Durations.parseConfig("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parseConfig("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parseConfig("14d")).isEqualTo(Duration.ofDays(14));
        assertThat(Durations.parseConfig(" 2 s ")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Durations.parseConfig("0s")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "2 seconds", "2S", "-1s", "1.5s", "PT2S", "two", "1h30m", "1w", ""})
    void configFormRejectsEverythingElse(String text) {
        assertThatThrownBy(() -> Durations.parseConfig(text)).isInstanceOfSatisfying(UnitFormatException.class,
                e -> assertThat(e.tooLarge()).isFalse());
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999s", "999999999999999d"})
    void tooLargeIsTold(String text) {
        assertThatThrownBy(() -> Durations.parseConfig(text)).isInstanceOfSatisfying(UnitFormatException.class,
                e -> assertThat(e.tooLarge()).isTrue());
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOfSatisfying(UnitFormatException.class,
                e -> assertThat(e.tooLarge()).isTrue());
    }

    @Test
    void commandLineFormAcceptsWhatSendAndReplayAccepted() {
        // send --request-timeout
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("PT10S")).isEqualTo(Duration.ofSeconds(10));
        // replay --from/--to
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("1w")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("1H")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("pt90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("P1D")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.parse("0.5ms")).isEqualTo(Duration.ofNanos(500_000));
    }

    @Test
    void everyConfigValueMeansTheSameOnTheCommandLine() {
        for (String text : new String[] {"500ms", "2s", "5m", "1h", "14d", "0s"}) {
            assertThat(Durations.parse(text)).as(text).isEqualTo(Durations.parseConfig(text));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "", "-1h", "P-1D", "-PT5S", "1h 30m", "1y", "h", "1.s", "10:00"})
    void commandLineFormRejectsTheRest(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(UnitFormatException.class);
    }

    @Test
    void formatWritesTheShortestConfigSpelling() {
        assertThat(Durations.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(Durations.format(Duration.ofDays(14))).isEqualTo("14d");
    }
}
