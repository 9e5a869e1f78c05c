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
}
