package io.labhooks.testkit.sim;

import io.labhooks.config.Vendor;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A vendor's own delivery behaviour: how often and how long apart it retries a failed delivery, how long it waits
 * for a response, after how many consecutive failed attempts it disables the webhook, and which answers count as a
 * success: only a {@code 200} (Confident, whose document says so; LML and CoreOne, assumed), or any {@code 2xx}
 * (Flabs, whose document asks only for "appropriate HTTP status codes"). Any other status, a timeout or a
 * connection error is a failure.
 *
 * <table>
 *   <caption>The vendors' policies</caption>
 *   <tr><th>vendor</th><th>retries (intervals)</th><th>response limit</th><th>disabled after</th><th>source</th></tr>
 *   <tr><td>Confident</td><td>3 (1 min, 5 min, 15 min)</td><td>30 s</td><td>10 consecutive failures</td>
 *       <td>retry count and disabling documented; intervals and limit assumed</td></tr>
 *   <tr><td>Flabs</td><td>3 (2 min apart)</td><td>10 s</td><td>never</td><td>documented</td></tr>
 *   <tr><td>LML</td><td>8 (1 min, 5 min, 15 min, 1 h, 6 h, 12 h, 24 h, 24 h: about 2.8 days)</td><td>30 s</td>
 *       <td>never</td><td>"multiple times" documented; the schedule and its length (about 3 days) are an
 *       assumption, not LML's word</td></tr>
 *   <tr><td>CoreOne</td><td>3 (1 min, 5 min, 15 min)</td><td>30 s</td><td>never</td><td>not documented; assumed</td></tr>
 * </table>
 *
 * <p>{@link #retryDelay} scales an interval by the simulator's time scale; the response limit is not scaled
 * (it is a real limit on a real server), but {@link #withRequestTimeout} replaces it, e.g. for a test.
 *
 * @param name                   a short name for reports, e.g. {@code flabs}
 * @param retryIntervals         the wait before retry 1, 2, …; its size is the number of retries
 * @param requestTimeout         how long an attempt may take before it counts as a failure
 * @param disableAfterFailures   consecutive failed attempts (over all deliveries) after which the webhook is
 *                               disabled and nothing more is sent; 0 for never
 * @param anyTwoXxIsSuccess      true if any 2xx status is a success, false if only 200 is
 */
public record DeliveryPolicy(String name, List<Duration> retryIntervals, Duration requestTimeout,
                             int disableAfterFailures, boolean anyTwoXxIsSuccess) {
    /** A policy where only a {@code 200} is a success. */
    public DeliveryPolicy(String name, List<Duration> retryIntervals, Duration requestTimeout, int disableAfterFailures) {
        this(name, retryIntervals, requestTimeout, disableAfterFailures, false);
    }

    /** Checks the parts. */
    public DeliveryPolicy {
        Objects.requireNonNull(name, "name");
        retryIntervals = List.copyOf(retryIntervals);
        for (Duration d : retryIntervals) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("a retry interval is negative: " + d);
            }
        }
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
        }
        if (disableAfterFailures < 0) {
            throw new IllegalArgumentException("disableAfterFailures must be 0 (never) or more, was " + disableAfterFailures);
        }
    }

    /** Confident LIMS: 3 retries per event; the webhook is disabled after 10 consecutive failures. */
    public static DeliveryPolicy confident() {
        return new DeliveryPolicy("confident", List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15)),
                Duration.ofSeconds(30), 10);
    }

    /** Flabs: 3 retries 2 minutes apart, a 10 s response limit; any 2xx is a success. */
    public static DeliveryPolicy flabs() {
        Duration two = Duration.ofMinutes(2);
        return new DeliveryPolicy("flabs", List.of(two, two, two), Duration.ofSeconds(10), 0, true);
    }

    /**
     * London Medical Laboratory: its document says only that a call "will be attempted multiple times"; the
     * schedule here (about 3 days) is an assumption.
     */
    public static DeliveryPolicy lml() {
        return new DeliveryPolicy("lml", List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
                Duration.ofHours(1), Duration.ofHours(6), Duration.ofHours(12), Duration.ofHours(24), Duration.ofHours(24)),
                Duration.ofSeconds(30), 0);
    }

    /** CoreOne for Labs: its document says nothing about retries; 3 retries are assumed. */
    public static DeliveryPolicy coreOne() {
        return new DeliveryPolicy("coreone", List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15)),
                Duration.ofSeconds(30), 0);
    }

    /** The policy of {@code vendor}. */
    public static DeliveryPolicy forVendor(Vendor vendor) {
        return switch (vendor) {
            case CONFIDENT -> confident();
            case FLABS -> flabs();
            case LML -> lml();
            case COREONE -> coreOne();
            case GENERIC -> throw new IllegalArgumentException("the simulator has no generic vendor");
        };
    }

    /** Whether an HTTP status counts as a successful delivery under this policy. */
    public boolean isSuccess(int status) {
        return anyTwoXxIsSuccess ? status >= 200 && status < 300 : status == 200;
    }

    /** The number of retries after the first attempt. */
    public int retries() {
        return retryIntervals.size();
    }

    /** The whole retry window: the sum of the intervals. */
    public Duration retryWindow() {
        return retryIntervals.stream().reduce(Duration.ZERO, Duration::plus);
    }

    /**
     * The wait before retry {@code retry} (1-based), multiplied by {@code timeScale}.
     *
     * @throws IllegalArgumentException if {@code retry} is not in 1..{@link #retries()} or the scale is negative
     */
    public Duration retryDelay(int retry, double timeScale) {
        if (retry < 1 || retry > retries()) {
            throw new IllegalArgumentException("retry " + retry + " is not in 1.." + retries());
        }
        return scale(retryIntervals.get(retry - 1), timeScale);
    }

    /** {@code d} multiplied by {@code timeScale} (at nanosecond precision). */
    public static Duration scale(Duration d, double timeScale) {
        if (!(timeScale >= 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("the time scale must be a finite number >= 0, was " + timeScale);
        }
        return Duration.ofNanos(Math.round(d.toNanos() * timeScale));
    }

    /** This policy with another response limit. */
    public DeliveryPolicy withRequestTimeout(Duration timeout) {
        return new DeliveryPolicy(name, retryIntervals, timeout, disableAfterFailures, anyTwoXxIsSuccess);
    }

    /** This policy with other retry intervals. */
    public DeliveryPolicy withRetryIntervals(List<Duration> intervals) {
        return new DeliveryPolicy(name, intervals, requestTimeout, disableAfterFailures, anyTwoXxIsSuccess);
    }

    /** This policy with another disable threshold (0: never). */
    public DeliveryPolicy withDisableAfterFailures(int failures) {
        return new DeliveryPolicy(name, retryIntervals, requestTimeout, failures, anyTwoXxIsSuccess);
    }

    /** One line for a report, e.g. {@code flabs: 3 retries (PT2M, PT2M, PT2M), response limit PT10S}. */
    public String describe() {
        return name + ": " + retries() + " retries " + retryIntervals + ", response limit " + requestTimeout
                + (disableAfterFailures > 0 ? ", disabled after " + disableAfterFailures + " consecutive failures" : "")
                + (anyTwoXxIsSuccess ? ", any 2xx is a success" : "");
    }
}
