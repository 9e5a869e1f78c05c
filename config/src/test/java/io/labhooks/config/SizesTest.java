package io.labhooks.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {
    @Test
    void unitsArePowersOf1024AndCaseInsensitive() {
        assertThat(Sizes.parse("65536")).isEqualTo(65536);
        assertThat(Sizes.parse("12b")).isEqualTo(12);
        assertThat(Sizes.parse("512KiB")).isEqualTo(512L << 10);
        assertThat(Sizes.parse("512kb")).isEqualTo(512L << 10);
        assertThat(Sizes.parse("1MiB")).isEqualTo(1L << 20);
        assertThat(Sizes.parse("3 M")).isEqualTo(3L << 20);
        assertThat(Sizes.parse("2g")).isEqualTo(2L << 30);
        assertThat(Sizes.parse("1GiB")).isEqualTo(1L << 30);
    }

    @ParameterizedTest
    @ValueSource(strings = {"huge", "", "-1", "1.5MiB", "1TiB", "MiB"})
    void malformed(String text) {
        assertThatThrownBy(() -> Sizes.parse(text)).isInstanceOfSatisfying(UnitFormatException.class, e -> assertThat(e.tooLarge()).isFalse());
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999GiB", "99999999999999999999"})
    void tooLarge(String text) {
        assertThatThrownBy(() -> Sizes.parse(text)).isInstanceOfSatisfying(UnitFormatException.class, e -> assertThat(e.tooLarge()).isTrue());
    }

    @Test
    void formatRoundTrips() {
        for (long v : new long[] {1, 1000, 1L << 10, 3L << 20, 1L << 30, 64L << 20}) {
            assertThat(Sizes.parse(Sizes.format(v))).isEqualTo(v);
        }
        assertThat(Sizes.format(64L << 20)).isEqualTo("64MiB");
    }
}
