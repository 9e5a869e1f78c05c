package io.labhooks.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.labhooks.runtime.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class IngressMetricsTest {
    @Test
    void anAcceptedDeliveryCountsOnTheSame200CounterAsAnyOtherAnswer() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngressMetrics metrics = new IngressMetrics(registry);
        IngressMetrics.SourceMeters m = metrics.source("lab-a", "confident");
        metrics.request("lab-a", "confident", 503);
        metrics.request("lab-a", "confident", 503);
        assertThat(registry.get(MetricNames.INGRESS_CONSECUTIVE_FAILURES).tag(MetricNames.TAG_SOURCE, "lab-a").gauge().value())
                .isEqualTo(2);
        metrics.accepted(m);
        metrics.accepted(m);
        metrics.request("lab-a", "confident", 200);
        assertThat(registry.find(MetricNames.INGRESS_REQUESTS).tag(MetricNames.TAG_CODE, "200").counters()).hasSize(1);
        assertThat(registry.get(MetricNames.INGRESS_REQUESTS).tag(MetricNames.TAG_SOURCE, "lab-a")
                .tag(MetricNames.TAG_VENDOR, "confident").tag(MetricNames.TAG_CODE, "200").counter().count()).isEqualTo(3);
        assertThat(registry.get(MetricNames.INGRESS_CONSECUTIVE_FAILURES).tag(MetricNames.TAG_SOURCE, "lab-a").gauge().value())
                .isZero();
        assertThat(registry.get(MetricNames.INGRESS_LAST_SUCCESS).tag(MetricNames.TAG_SOURCE, "lab-a").gauge().value())
                .isPositive();
    }
}
