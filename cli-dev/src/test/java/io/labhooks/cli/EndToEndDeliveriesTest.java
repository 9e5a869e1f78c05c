package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.labhooks.config.Vendor;
import io.labhooks.testkit.sim.Delivery;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndToEndDeliveriesTest {

    @Test
    void everyVendorSendsExactlyItsShareWhateverItsLifecyclesAddUpTo() {
        for (Vendor v : List.of(Vendor.COREONE, Vendor.CONFIDENT, Vendor.FLABS, Vendor.LML)) {
            for (int n : new int[] {1, 7, 1_250}) {
                List<Delivery> d = EndToEndBench.deliveries(v, n, "t");
                assertThat(d).as(v + ", " + n).hasSize(n);
                assertThat(d.get(n - 1).body()).as("a body can be made for the last one").isNotEmpty();
            }
        }
    }
}
