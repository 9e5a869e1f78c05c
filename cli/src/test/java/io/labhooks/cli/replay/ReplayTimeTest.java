package io.labhooks.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link TimeArg}: the times {@code --from} and {@code --to} accept. */
class ReplayTimeTest {
    static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    @Test
    void isoInstantsWithAZoneOrAnOffset() {
        assertThat(TimeArg.parse("2024-05-01T10:00:00Z", NOW)).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(TimeArg.parse("2024-05-01T10:00:00.250z", NOW)).isEqualTo(Instant.parse("2024-05-01T10:00:00.250Z"));
        assertThat(TimeArg.parse("2024-05-01T12:00:00+02:00", NOW)).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(TimeArg.parse("2024-05-01T05:00-05:00", NOW)).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
    }

    @Test
    void localDateTimesAndDatesAreUtc() {
        assertThat(TimeArg.parse("2024-05-01T10:00", NOW)).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(TimeArg.parse("2024-05-01T10:00:30", NOW)).isEqualTo(Instant.parse("2024-05-01T10:00:30Z"));
        assertThat(TimeArg.parse("2024-05-01 10:00:00", NOW)).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(TimeArg.parse(" 2024-05-01 ", NOW)).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
    }

    @Test
    void durationsCountBackFromNow() {
        assertThat(TimeArg.parse("1h", NOW)).isEqualTo(NOW.minus(Duration.ofHours(1)));
        assertThat(TimeArg.parse("30m", NOW)).isEqualTo(NOW.minus(Duration.ofMinutes(30)));
        assertThat(TimeArg.parse("2d", NOW)).isEqualTo(NOW.minus(Duration.ofDays(2)));
        assertThat(TimeArg.parse("45s", NOW)).isEqualTo(NOW.minusSeconds(45));
        assertThat(TimeArg.parse("1w", NOW)).isEqualTo(NOW.minus(Duration.ofDays(7)));
        assertThat(TimeArg.parse("1h30m", NOW)).isEqualTo(NOW.minus(Duration.ofMinutes(90)));
        assertThat(TimeArg.parse("500ms", NOW)).isEqualTo(NOW.minusMillis(500));
        assertThat(TimeArg.parse("PT90M", NOW)).isEqualTo(NOW.minus(Duration.ofMinutes(90)));
        assertThat(TimeArg.parse("now", NOW)).isEqualTo(NOW);
        assertThat(TimeArg.parse("1H", NOW)).isEqualTo(NOW.minus(Duration.ofHours(1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "1y", "-1h", "h", "2024-13-01", "2024-05-01T25:00", "10:00", "P-1D", "1h 30m"})
    void anythingElseIsRejectedNamingTheFormats(String text) {
        assertThatThrownBy(() -> TimeArg.parse(text, NOW)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read '" + text + "' as a time").hasMessageContaining(TimeArg.FORMATS);
    }

    @Test
    void asAnOptionTheProblemIsCollected() {
        List<String> problems = new ArrayList<>();
        assertThat(TimeArg.parse("--to", "soon", NOW, problems)).isNull();
        assertThat(problems).singleElement().asString().startsWith("--to: cannot read 'soon' as a time");
    }
}
