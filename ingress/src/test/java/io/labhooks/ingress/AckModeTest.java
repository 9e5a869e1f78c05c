package io.labhooks.ingress;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.labhooks.config.AuthConfig;
import io.labhooks.config.IngressConfig;
import io.labhooks.config.SourceConfig;
import io.labhooks.config.SpoolConfig;
import io.labhooks.config.Vendor;
import io.labhooks.ingress.publish.RawDelivery;
import io.labhooks.ingress.publish.RawPublisher;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AckModeTest {
    @Test
    void ackSpoolIsRefusedClearlyUntilTheSpoolExists() {
        IngressConfig cfg = new IngressConfig("127.0.0.1", 0, IngressConfig.AckMode.SPOOL, Duration.ofSeconds(2),
                new SpoolConfig(Path.of("target", "spool"), 1L << 30), 16, Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofSeconds(5), 1, Optional.empty());
        RawPublisher never = new RawPublisher() {
            @Override
            public CompletableFuture<RawPublisher.Path> publish(RawDelivery delivery) {
                return CompletableFuture.failedFuture(new IllegalStateException("not used"));
            }

            @Override
            public boolean ready() {
                return false;
            }

            @Override
            public void close() {
            }
        };
        assertThatThrownBy(() -> new IngressServer(cfg, List.of(SourceConfig.of("g", Vendor.GENERIC, AuthConfig.none())), never,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ingress.ack: spool is not available");
    }
}
