package io.labhooks.ingress;

import io.labhooks.ingress.publish.RawDelivery;
import io.labhooks.ingress.publish.RawPublisher;
import java.util.concurrent.CompletableFuture;

/** Hands everything to a real publisher; a test overrides what it injects or records. */
class ForwardingPublisher implements RawPublisher {
    final RawPublisher real;

    ForwardingPublisher(RawPublisher real) {
        this.real = real;
    }

    @Override
    public CompletableFuture<Path> publish(RawDelivery d) {
        return real.publish(d);
    }

    @Override
    public boolean publishesWithoutBlocking(int bodyBytes) {
        return real.publishesWithoutBlocking(bodyBytes);
    }

    @Override
    public boolean ready() {
        return real.ready();
    }

    @Override
    public void close() {
        real.close();
    }
}
