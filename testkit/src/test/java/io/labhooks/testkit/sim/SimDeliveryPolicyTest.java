package io.labhooks.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.labhooks.config.Vendor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimDeliveryPolicyTest {
    @Test
    void confidentRetriesThreeTimesAndDisablesAfterTenConsecutiveFailures() {
        DeliveryPolicy p = DeliveryPolicy.forVendor(Vendor.CONFIDENT);
        assertThat(p.retries()).isEqualTo(3);
        assertThat(p.disableAfterFailures()).isEqualTo(10);
    }

    @Test
    void flabsRetriesThreeTimesTwoMinutesApartWithATenSecondLimit() {
        DeliveryPolicy p = DeliveryPolicy.forVendor(Vendor.FLABS);
        assertThat(p.retryIntervals()).containsExactly(Duration.ofMinutes(2), Duration.ofMinutes(2), Duration.ofMinutes(2));
        assertThat(p.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.disableAfterFailures()).isZero();
    }

    @Test
    void lmlRetriesForAboutThreeDays() {
        DeliveryPolicy p = DeliveryPolicy.forVendor(Vendor.LML);
        assertThat(p.retryWindow()).isBetween(Duration.ofDays(2).plusHours(12), Duration.ofDays(3).plusHours(12));
        assertThat(p.retryIntervals()).isSorted();
        assertThat(DeliveryPolicy.forVendor(Vendor.COREONE).retries()).isEqualTo(3);
    }

    @Test
    void retryDelaysScaleWithTheTimeScale() {
        DeliveryPolicy flabs = DeliveryPolicy.flabs();
        assertThat(flabs.retryDelay(1, 1.0)).isEqualTo(Duration.ofMinutes(2));
        assertThat(flabs.retryDelay(2, 0.001)).isEqualTo(Duration.ofMillis(120));
        assertThat(flabs.retryDelay(3, 0)).isZero();
        assertThat(DeliveryPolicy.lml().retryDelay(4, 0.01)).isEqualTo(Duration.ofSeconds(36));
        assertThatThrownBy(() -> flabs.retryDelay(4, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> flabs.retryDelay(1, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> flabs.retryDelay(1, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void flabsTakesAny2xxAsSuccessTheOthersOnly200() {
        assertThat(DeliveryPolicy.flabs().isSuccess(200)).isTrue();
        assertThat(DeliveryPolicy.flabs().isSuccess(202)).isTrue();
        assertThat(DeliveryPolicy.flabs().isSuccess(204)).isTrue();
        assertThat(DeliveryPolicy.flabs().isSuccess(300)).isFalse();
        assertThat(DeliveryPolicy.flabs().isSuccess(199)).isFalse();
        for (DeliveryPolicy p : List.of(DeliveryPolicy.confident(), DeliveryPolicy.lml(), DeliveryPolicy.coreOne())) {
            assertThat(p.isSuccess(200)).as(p.name()).isTrue();
            assertThat(p.isSuccess(202)).as(p.name()).isFalse();
        }
        assertThat(Credentials.forVendor(Vendor.LML, "t").kind()).as("LML names no auth: a URL token")
                .isEqualTo(Credentials.Kind.PATH_TOKEN);
        assertThat(Credentials.forVendor(Vendor.FLABS, "t").kind()).isEqualTo(Credentials.Kind.BEARER);
    }

    @Test
    void partsAreCheckedAndReplaceable() {
        DeliveryPolicy p = DeliveryPolicy.flabs().withRequestTimeout(Duration.ofMillis(300))
                .withRetryIntervals(List.of(Duration.ofSeconds(1))).withDisableAfterFailures(2);
        assertThat(p).isEqualTo(new DeliveryPolicy("flabs", List.of(Duration.ofSeconds(1)), Duration.ofMillis(300), 2, true));
        assertThat(p.describe()).contains("1 retries", "disabled after 2");
        assertThatThrownBy(() -> p.withRequestTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.withDisableAfterFailures(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeliveryPolicy.forVendor(Vendor.GENERIC)).isInstanceOf(IllegalArgumentException.class);
    }
}
