package io.labhooks.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeliveryIdsTest {
    @Test
    void idsAreVersion7WithTheMillisecondTimestampAndUnique() {
        DeliveryIds ids = new DeliveryIds(() -> 1_700_000_000_123L);
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            UUID u = ids.next();
            assertThat(u.version()).isEqualTo(7);
            assertThat(u.variant()).isEqualTo(2);
            assertThat(DeliveryIds.timestampOf(u)).isEqualTo(1_700_000_000_123L);
            seen.add(u);
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void idsSortByTime() {
        UUID earlier = new DeliveryIds(() -> 1_000L).next();
        UUID later = new DeliveryIds(() -> 2_000L).next();
        assertThat(earlier.toString()).isLessThan(later.toString());
    }

    @Test
    void everyRandomBitVaries() {
        DeliveryIds ids = new DeliveryIds(() -> 1_700_000_000_123L);
        long msbOnes = 0;
        long msbZeros = 0;
        long lsbOnes = 0;
        long lsbZeros = 0;
        for (int i = 0; i < 2_000; i++) {
            UUID u = ids.next();
            msbOnes |= u.getMostSignificantBits();
            msbZeros |= ~u.getMostSignificantBits();
            lsbOnes |= u.getLeastSignificantBits();
            lsbZeros |= ~u.getLeastSignificantBits();
        }
        // rand_a: the low 12 bits of the high half; rand_b: the low 62 bits of the low half. Each was seen as 1 and as 0.
        assertThat(msbOnes & msbZeros & 0xFFFL).isEqualTo(0xFFFL);
        assertThat(lsbOnes & lsbZeros & 0x3FFF_FFFF_FFFF_FFFFL).isEqualTo(0x3FFF_FFFF_FFFF_FFFFL);
    }
}
