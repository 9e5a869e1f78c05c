package io.labhooks.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.labhooks.config.RateLimit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    @Test
    void allowsTheBurstThenAsksToWaitThenRefills() {
        AtomicLong now = new AtomicLong();
        TokenBucket b = new TokenBucket(new RateLimit(2, 3), now::get);
        assertThat(b.tryAcquire()).isZero();
        assertThat(b.tryAcquire()).isZero();
        assertThat(b.tryAcquire()).isZero();
        assertThat(b.tryAcquire()).isEqualTo(1);
        now.addAndGet(500_000_000L); // half a second at 2/s gives one token
        assertThat(b.tryAcquire()).isZero();
        assertThat(b.tryAcquire()).isEqualTo(1);
    }

    @Test
    void slowRatesAskForLongerWaits() {
        AtomicLong now = new AtomicLong();
        TokenBucket b = new TokenBucket(new RateLimit(0.1, 1), now::get);
        assertThat(b.tryAcquire()).isZero();
        assertThat(b.tryAcquire()).isEqualTo(10);
    }
}
