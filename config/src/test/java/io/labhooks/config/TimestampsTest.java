package io.labhooks.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {
    private static final Instant NOW = Instant.parse("2024-05-02T12:00:00Z");

    @Test
    void instantsDateTimesInUtcAndDates() {
        assertThat(Timestamps.parse("2024-05-01T10:00:00Z", NOW)).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(Timestamps.parse("2024-05-01T10:00:00.250z", NOW)).isEqualTo(Instant.parse("2024-05-01T10:00:00.250Z"));
        assertThat(Timestamps.parse("2024-05-01T12:00:00+02:00", NOW)).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(Timestamps.parse("2024-05-01T05:00-05:00", NOW)).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(Timestamps.parse("2024-05-01 10:00:00", NOW)).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(Timestamps.parse(" 2024-05-01 ", NOW)).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
    }

    @Test
    void durationsCountBackFromNowThroughTheSharedParser() {
        assertThat(Timestamps.parse("1h30m", NOW)).isEqualTo(NOW.minus(Duration.ofMinutes(90)));
        assertThat(Timestamps.parse("1w", NOW)).isEqualTo(NOW.minus(Duration.ofDays(7)));
        assertThat(Timestamps.parse("1.5s", NOW)).isEqualTo(NOW.minusMillis(1500));
        assertThat(Timestamps.parse("PT90M", NOW)).isEqualTo(NOW.minus(Duration.ofMinutes(90)));
        assertThat(Timestamps.parse("NOW", NOW)).isEqualTo(NOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "1y", "-1h", "h", "2024-13-01", "2024-05-01T25:00", "10:00", "P-1D", "1h 30m",
            "999999999999999999w"})
    void anythingElseNamesTheFormats(String text) {
        assertThatThrownBy(() -> Timestamps.parse(text, NOW)).isInstanceOf(UnitFormatException.class)
                .hasMessage("cannot read '" + text + "' as a time: use " + Timestamps.FORMATS);
    }
}
