package io.labhooks.normalizer.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The formatter-free fast path of {@link Versions#parseTimestamp} reads every string exactly as the general reader. */
class VersionsFastPathTest {
    private static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("America/Denver"), ZoneId.of("Europe/London"),
            ZoneId.of("Asia/Kolkata"));

    @Property(tries = 3000)
    void agreesWithTheGeneralReader(@ForAll("timestamps") String text, @ForAll("zones") ZoneId zone) {
        assertThat(Versions.parseTimestamp(text, zone)).as(text).isEqualTo(Versions.parseTimestampGeneral(text, zone));
    }

    @Test
    void takesTheCommonFormsWithoutTheFormatterAndLeavesTheRest() {
        ZoneId utc = ZoneId.of("UTC");
        assertThat(Versions.strictIso("2024-01-15", utc)).isEqualTo(Instant.parse("2024-01-15T00:00:00Z"));
        assertThat(Versions.strictIso("2024-01-20T17:30:00.123456+00:00", utc)).isEqualTo(Instant.parse("2024-01-20T17:30:00.123456Z"));
        assertThat(Versions.strictIso("2024-01-20 17:30:00-06:00", utc)).isEqualTo(Instant.parse("2024-01-20T23:30:00Z"));
        assertThat(Versions.strictIso("2024-01-20T17:30:00Z", utc)).isEqualTo(Instant.parse("2024-01-20T17:30:00Z"));
        for (String general : List.of("2024-01-20 17:30:00 UTC", "2024-01-20T17:30:00,5Z", "2024-01-20T17:30:00 -0600",
                "2024-01-20t17:30:00z", "2024-02-30", "2024-01-20T24:00:00Z", "2024-01-20T17:30Z", " 2024-01-15",
                "2024-01-20T17:30:00.1234567891Z", "2024-01-20T17:30:00+01", "2024-01-20T17:30:00[Europe/Paris]")) {
            assertThat(Versions.strictIso(general, utc)).as(general).isNull();
        }
    }

    @Provide
    Arbitrary<ZoneId> zones() {
        return Arbitraries.of(ZONES);
    }

    @Provide
    Arbitrary<String> timestamps() {
        Arbitrary<String> year = Arbitraries.of("0000", "0001", "1969", "2024", "2025", "9999");
        Arbitrary<String> month = Arbitraries.of("00", "01", "02", "03", "10", "12", "13");
        Arbitrary<String> day = Arbitraries.of("00", "01", "09", "28", "29", "30", "31", "32");
        Arbitrary<String> sep = Arbitraries.of("T", " ", "t", "  ", "");
        Arbitrary<String> time = Arbitraries.of("00:00:00", "01:30:00", "23:59:59", "24:00:00", "12:60:00", "12:00:60", "02:30:00",
                "1:00:00", "12:00");
        Arbitrary<String> fraction = Arbitraries.of("", ".", ".1", ".123", ".123456", ".123456789", ".1234567890", ",5", ".x");
        Arbitrary<String> offset = Arbitraries.of("", "Z", "z", "+00:00", "-00:00", "+05:30", "-06:00", "+18:00", "+18:30",
                "+24:00", "-0600", "+01", " UTC", " GMT", "[Europe/Paris]", "+5:30", " ", "Zx");
        Arbitrary<String> full = Combinators.combine(year, month, day, sep, time, fraction, offset)
                .as((y, m, d, s, t, f, o) -> y + "-" + m + "-" + d + (s.isEmpty() ? "" : s + t + f + o));
        return Arbitraries.oneOf(full, full.map(s -> s.substring(0, Math.max(0, s.length() - 1))), full.map(s -> " " + s + " "));
    }
}
