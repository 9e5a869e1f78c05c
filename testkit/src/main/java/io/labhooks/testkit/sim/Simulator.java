package io.labhooks.testkit.sim;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends deliveries the way a vendor does: over real HTTP ({@link HttpClient}), with the vendor's
 * {@link DeliveryPolicy} (only a {@code 200} is a success, or for Flabs any {@code 2xx}; failed deliveries are retried after the policy's
 * intervals, times the time scale; after the policy's number of consecutive failed attempts the webhook is
 * disabled and nothing more is sent), a bounded number of requests in flight and an optional rate.
 *
 * <p>Retries wait on a scheduler, never in a sending thread: while one delivery waits for its retry, the others
 * go on. Retries that are due go before deliveries not yet sent. {@code rate} paces every request, retries
 * included, on a fixed schedule from the start of the run: a request that is late (all connections busy, the
 * scheduler late) goes as soon as it can, up to one second behind the schedule, so that the rate offered is the
 * rate asked for.
 *
 * <p>{@link #run} blocks until every delivery is acknowledged, given up, or dropped because the webhook was
 * disabled, and returns the {@link Report}. A simulator may run several times, one run at a time; {@link #close}
 * stops its threads.
 *
 * <pre>{@code
 * Scenario scenario = Scenario.build(Scenario.Options.of(Vendor.FLABS).withCount(100));
 * try (Simulator sim = Simulator.builder(URI.create("http://localhost:8080/hooks/flabs"))
 *         .credentials(Credentials.bearer("dev-flabs-token")).policy(DeliveryPolicy.flabs()).timeScale(0.001).build()) {
 *     Report report = sim.run(scenario);
 *     ExpectedState expected = scenario.expected(report.acknowledgedEventKeys());
 * }
 * }</pre>
 */
public final class Simulator implements AutoCloseable {
    /** How long after its request timeout an attempt is given up even if the HTTP client never completes it. */
    private static final long BACKSTOP_MILLIS = 5_000;
    /** With a rate, requests that fell behind the schedule by up to this much are sent at once to catch up. */
    static final long MAX_CATCH_UP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);

    private final URI url;
    private final Credentials credentials;
    private final DeliveryPolicy policy;
    private final double rate;
    private final int concurrency;
    private final double timeScale;
    private final Duration progressInterval;
    private final Consumer<Report> progress;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService httpExecutor;
    private final HttpClient client;
    private final ReentrantLock runLock = new ReentrantLock();

    private Simulator(Builder b) {
        this.url = b.url;
        this.credentials = b.credentials;
        this.policy = b.policy;
        this.rate = b.rate;
        this.concurrency = b.concurrency;
        this.timeScale = b.timeScale;
        this.progressInterval = b.progressInterval;
        this.progress = b.progress;
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, threads("labhooks-send-scheduler"));
        s.setRemoveOnCancelPolicy(true);
        this.scheduler = s;
        this.httpExecutor = Executors.newFixedThreadPool(Math.max(2, Math.min(concurrency, 8)), threads("labhooks-send-http"));
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(policy.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(httpExecutor)
                .build();
    }

    /** A builder for a simulator that posts to {@code url} (plus each delivery's URL suffix). */
    public static Builder builder(URI url) {
        return new Builder(url);
    }

    /** The delivery policy. */
    public DeliveryPolicy policy() {
        return policy;
    }

    /** Sends the scenario's deliveries; see {@link #run(List)}. */
    public Report run(Scenario scenario) throws InterruptedException {
        return run(scenario.deliveries());
    }

    /**
     * Sends {@code deliveries} (in list order, as concurrency and rate allow), with retries, until each one is
     * acknowledged, given up or dropped.
     *
     * @throws InterruptedException if interrupted while waiting; pending retries are then cancelled
     */
    public Report run(List<Delivery> deliveries) throws InterruptedException {
        Objects.requireNonNull(deliveries, "deliveries");
        if (!runLock.tryLock()) {
            throw new IllegalStateException("this simulator is already running");
        }
        try {
            Run r = new Run(deliveries);
            ScheduledFuture<?> ticker = progress == null ? null : scheduler.scheduleAtFixedRate(() -> {
                try {
                    progress.accept(r.report(false));
                } catch (RuntimeException e) {
                    LOG.warn("the progress listener failed", e);
                }
            }, progressInterval.toNanos(), progressInterval.toNanos(), TimeUnit.NANOSECONDS);
            try {
                r.start();
                r.done.get();
            } catch (InterruptedException e) {
                r.abort();
                throw e;
            } catch (ExecutionException e) {
                throw new IllegalStateException("the run failed", e.getCause());
            } finally {
                if (ticker != null) {
                    ticker.cancel(false);
                }
            }
            return r.report(true);
        } finally {
            runLock.unlock();
        }
    }

    /** Stops the scheduler and the HTTP threads. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        httpExecutor.shutdownNow();
    }

    @Override
    public String toString() {
        return "Simulator[" + url + ", " + credentials + ", " + policy.describe() + ", concurrency " + concurrency
                + ", rate " + (rate == 0 ? "unlimited" : rate + "/s") + ", time scale " + timeScale + "]";
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** How a delivery ended. */
    private enum Outcome { ACKNOWLEDGED, GAVE_UP, ABANDONED }

    /** A delivery in flight or waiting: its index and the attempts made so far. */
    private static final class Pending {
        final int index;
        int attempts;
        boolean uncertain;

        Pending(int index) {
            this.index = index;
        }
    }

    /** The state of one run; every field is guarded by {@link #lock}. */
    private final class Run {
        final List<Delivery> deliveries;
        final ReentrantLock lock = new ReentrantLock();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final long startNanos = System.nanoTime();
        final ArrayDeque<Pending> due = new ArrayDeque<>();
        final Map<Pending, ScheduledFuture<?>> waiting = new IdentityHashMap<>();
        final Set<String> acknowledgedKeys = new HashSet<>();
        final Map<String, Long> failures = new HashMap<>();
        int nextFresh;
        int inFlight;
        int remaining;
        long nextSlotNanos;
        boolean pumpScheduled;
        boolean disabled;
        boolean aborted;
        int consecutiveFailures;
        long acknowledged;
        long gaveUp;
        long abandoned;
        long uncertain;
        long sent;
        long ok;
        long retries;
        /** Response times in nanoseconds (HdrHistogram, 3 significant digits: the bench's Latency rule). */
        final Histogram latencies = new Histogram(3);
        long endNanos = -1;

        Run(List<Delivery> deliveries) {
            this.deliveries = deliveries;
            this.remaining = deliveries.size();
        }

        /**
         * {@code task} for a callback or a scheduled task, whose exception nobody would see: it fails the run instead,
         * so that {@link #run} throws rather than waiting for ever for a delivery whose bookkeeping was lost.
         */
        Runnable guarded(Runnable task) {
            return () -> {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    LOG.error("the simulator's run failed", e);
                    done.completeExceptionally(e);
                }
            };
        }

        void start() {
            nextSlotNanos = System.nanoTime();
            if (remaining == 0) {
                finishRun();
                return;
            }
            pump();
        }

        /** Starts as many attempts as concurrency and rate allow. */
        void pump() {
            List<Pending> toStart = new ArrayList<>();
            lock.lock();
            try {
                while (!disabled && !aborted && inFlight < concurrency && (!due.isEmpty() || nextFresh < deliveries.size())) {
                    if (rate > 0) {
                        long now = System.nanoTime();
                        if (now < nextSlotNanos) {
                            if (!pumpScheduled) {
                                pumpScheduled = true;
                                scheduler.schedule(guarded(this::scheduledPump), nextSlotNanos - now, TimeUnit.NANOSECONDS);
                            }
                            break;
                        }
                        // Slots follow the schedule from the start of the run: a request that could not go on time
                        // (the scheduler woke late, or every connection was busy) goes as soon as it can, so the
                        // offered rate is the rate asked for (as wrk2 does), not that rate less every delay.
                        // A debt older than MAX_CATCH_UP (a long outage) is forgiven rather than sent in one burst.
                        nextSlotNanos = Math.max(nextSlotNanos, now - MAX_CATCH_UP_NANOS) + (long) (1e9 / rate);
                    }
                    Pending p = due.isEmpty() ? new Pending(nextFresh++) : due.poll();
                    if (p.attempts > 0) {
                        retries++;
                    }
                    inFlight++;
                    sent++;
                    toStart.add(p);
                }
            } finally {
                lock.unlock();
            }
            toStart.forEach(this::send);
        }

        void scheduledPump() {
            lock.lock();
            try {
                pumpScheduled = false;
            } finally {
                lock.unlock();
            }
            pump();
        }

        void send(Pending p) {
            long t0 = System.nanoTime();
            try {
                Delivery d = credentials.apply(deliveries.get(p.index));
                HttpRequest.Builder req = HttpRequest.newBuilder(target(url, d.urlSuffix()))
                        .timeout(policy.requestTimeout())
                        .method(d.method(), HttpRequest.BodyPublishers.ofByteArray(d.body()));
                d.headers().forEach(req::header);
                String eventKey = d.eventKey();
                client.sendAsync(req.build(), HttpResponse.BodyHandlers.discarding())
                        // a backstop: the attempt ends even if the client's own request timeout never fires
                        .orTimeout(policy.requestTimeout().toMillis() + BACKSTOP_MILLIS, TimeUnit.MILLISECONDS)
                        .whenComplete((response, error) -> guarded(() -> completed(p, eventKey, t0, response, error)).run());
            } catch (RuntimeException e) {
                // a delivery that cannot even be sent (a bad header, a bad URL suffix) is a failed attempt
                completed(p, "", t0, null, e);
            }
        }

        void completed(Pending p, String eventKey, long t0, HttpResponse<Void> response, Throwable error) {
            long nanos = System.nanoTime() - t0;
            boolean finished;
            lock.lock();
            try {
                inFlight--;
                p.attempts++;
                boolean success = false;
                if (response != null) {
                    recordLatency(nanos);
                    if (policy.isSuccess(response.statusCode())) {
                        success = true;
                        ok++;
                    } else {
                        failures.merge(Integer.toString(response.statusCode()), 1L, Long::sum);
                    }
                } else {
                    String kind = failureKind(error);
                    failures.merge(kind, 1L, Long::sum);
                    if (!kind.equals("connect")) {
                        p.uncertain = true;
                    }
                    if (kind.equals("error")) {
                        LOG.warn("delivery {} attempt {} could not be sent", p.index, p.attempts, error);
                    } else {
                        LOG.debug("delivery {} attempt {} failed: {}", p.index, p.attempts, error.toString());
                    }
                }
                if (success) {
                    consecutiveFailures = 0;
                    acknowledgedKeys.add(eventKey);
                    finish(p, Outcome.ACKNOWLEDGED);
                } else {
                    consecutiveFailures++;
                    if (!disabled && policy.disableAfterFailures() > 0 && consecutiveFailures >= policy.disableAfterFailures()) {
                        disable();
                    }
                    if (p.attempts > policy.retries()) {
                        finish(p, Outcome.GAVE_UP);
                    } else if (disabled || aborted) {
                        finish(p, Outcome.ABANDONED);
                    } else {
                        Duration delay = policy.retryDelay(p.attempts, timeScale);
                        waiting.put(p, scheduler.schedule(guarded(() -> retryDue(p)), delay.toNanos(), TimeUnit.NANOSECONDS));
                    }
                }
                finished = remaining == 0;
            } finally {
                lock.unlock();
            }
            if (finished) {
                finishRun();
            } else {
                pump();
            }
        }

        void retryDue(Pending p) {
            lock.lock();
            try {
                if (waiting.remove(p) == null) {
                    return; // dropped meanwhile: the webhook was disabled or the run aborted
                }
                due.add(p);
            } finally {
                lock.unlock();
            }
            pump();
        }

        /** The vendor disables the webhook: nothing more is sent; waiting and unsent deliveries are dropped. */
        void disable() {
            disabled = true;
            LOG.info("the {} webhook is disabled after {} consecutive failures", policy.name(), consecutiveFailures);
            dropPending();
        }

        void abort() {
            boolean finished;
            lock.lock();
            try {
                aborted = true;
                dropPending();
                finished = remaining == 0;
            } finally {
                lock.unlock();
            }
            if (finished) {
                finishRun();
            }
        }

        private void dropPending() {
            waiting.forEach((p, f) -> {
                f.cancel(false);
                finish(p, Outcome.ABANDONED);
            });
            waiting.clear();
            while (!due.isEmpty()) {
                finish(due.poll(), Outcome.ABANDONED);
            }
            while (nextFresh < deliveries.size()) {
                finish(new Pending(nextFresh++), Outcome.ABANDONED);
            }
        }

        private void finish(Pending p, Outcome outcome) {
            remaining--;
            switch (outcome) {
                case ACKNOWLEDGED -> acknowledged++;
                case GAVE_UP -> gaveUp++;
                case ABANDONED -> abandoned++;
            }
            if (outcome != Outcome.ACKNOWLEDGED && p.uncertain) {
                uncertain++;
            }
        }

        private void finishRun() {
            lock.lock();
            try {
                if (endNanos < 0) {
                    endNanos = System.nanoTime();
                }
            } finally {
                lock.unlock();
            }
            done.complete(null);
        }

        private void recordLatency(long nanos) {
            latencies.recordValue(Math.max(0, nanos));
        }

        Report report(boolean last) {
            lock.lock();
            try {
                long end = endNanos >= 0 ? endNanos : System.nanoTime();
                return new Report(deliveries.size(), acknowledged, gaveUp, abandoned, sent, ok, failures, retries,
                        uncertain, disabled, percentileMillis(latencies, 50.0), percentileMillis(latencies, 99.0),
                        Duration.ofNanos(end - startNanos), remaining == 0, last ? acknowledgedKeys : Set.of());
            } finally {
                lock.unlock();
            }
        }
    }

    /** {@code url} with {@code suffix} appended to its path ({@code .../hooks/confident/} + {@code /T}: one slash). */
    static URI target(URI url, String suffix) {
        if (suffix.isEmpty()) {
            return url;
        }
        String base = url.toString();
        String query = "";
        int q = base.indexOf('?');
        if (q >= 0) {
            query = base.substring(q);
            base = base.substring(0, q);
        }
        if (base.endsWith("/") && suffix.startsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + suffix + query);
    }

    /** The percentile ({@code 0..100}) of a histogram of nanoseconds, in milliseconds; NaN for no values. */
    static double percentileMillis(Histogram nanos, double percentile) {
        return nanos.getTotalCount() == 0 ? Double.NaN : nanos.getValueAtPercentile(percentile) / 1e6;
    }

    /** {@code timeout}, {@code connect} (no connection was made) or {@code io}. */
    static String failureKind(Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof HttpConnectTimeoutException || e instanceof ConnectException) {
            return "connect";
        }
        if (e instanceof HttpTimeoutException || e instanceof java.util.concurrent.TimeoutException) {
            return "timeout";
        }
        if (e instanceof IOException) {
            return "io";
        }
        return "error";
    }

    /** Configures a {@link Simulator}. */
    public static final class Builder {
        private final URI url;
        private Credentials credentials = Credentials.none();
        private DeliveryPolicy policy = DeliveryPolicy.flabs();
        private double rate;
        private int concurrency = 4;
        private double timeScale = 1.0;
        private Duration progressInterval = Duration.ofSeconds(2);
        private Consumer<Report> progress;

        private Builder(URI url) {
            this.url = Objects.requireNonNull(url, "url");
            String scheme = url.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || url.getHost() == null) {
                throw new IllegalArgumentException("the URL must be http:// or https:// with a host, was " + url);
            }
        }

        /** How deliveries authenticate (default none). */
        public Builder credentials(Credentials c) {
            this.credentials = Objects.requireNonNull(c, "credentials");
            return this;
        }

        /** The vendor's delivery policy (default {@link DeliveryPolicy#flabs()}). */
        public Builder policy(DeliveryPolicy p) {
            this.policy = Objects.requireNonNull(p, "policy");
            return this;
        }

        /**
         * Requests per second, retries included, on a fixed schedule that catches up (by up to a second) after
         * late requests; 0 (the default) for as fast as concurrency allows.
         */
        public Builder rate(double perSecond) {
            if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
                throw new IllegalArgumentException("rate must be a finite number >= 0, was " + perSecond);
            }
            this.rate = perSecond;
            return this;
        }

        /** Requests in flight at most (default 4). */
        public Builder concurrency(int n) {
            if (n < 1 || n > 10_000) {
                throw new IllegalArgumentException("concurrency must be in 1..10000, was " + n);
            }
            this.concurrency = n;
            return this;
        }

        /** Multiplies every retry interval (default 1.0; 0.001 makes 2 minutes 120 ms). */
        public Builder timeScale(double scale) {
            DeliveryPolicy.scale(Duration.ZERO, scale); // validates
            this.timeScale = scale;
            return this;
        }

        /** Calls {@code listener} with a snapshot every {@code interval} while a run goes on. */
        public Builder progress(Duration interval, Consumer<Report> listener) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("the progress interval must be positive");
            }
            this.progressInterval = interval;
            this.progress = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Builds the simulator (it starts its threads). */
        public Simulator build() {
            return new Simulator(this);
        }
    }
}
