package io.labhooks.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * {@code labhooks local} only: drops the WARN (and one ERROR) lines that the embedded broker and a first start print
 * and that mean nothing on a laptop, so that a clean start prints no WARN or ERROR. Each rule names one logger and one message;
 * every other WARN of those loggers (a broker that cannot be reached, a topic that stays missing, …) still prints.
 * Installed on the process's Logback context while open; {@link #close()} removes it.
 */
final class LocalLogNoise extends TurboFilter implements AutoCloseable {
    /**
     * A logger, a level, the start of the message (after Kafka's "[client] " prefix), text it must also contain (or
     * "") and the simple name of the exception it must carry (or null): noise in local mode, and why.
     */
    record Rule(String logger, Level level, String start, String contains, String exception, String why) {
        boolean matches(String loggerName, Level l, String message, Throwable t) {
            return logger.equals(loggerName) && level.equals(l) && message.startsWith(start) && message.contains(contains)
                    && (exception == null || t != null && t.getClass().getSimpleName().equals(exception));
        }
    }

    static final List<Rule> RULES = List.of(
            new Rule("org.apache.kafka.controller.QuorumController", Level.WARN, "Performing controller activation.", "", null,
                    "a fresh data dir: the embedded controller bootstraps its empty metadata log"),
            new Rule("org.apache.kafka.clients.NetworkClient", Level.WARN,
                    "Attempting to close NetworkClient that has already been closed", "", null,
                    "the embedded broker's controller channel, closed twice while the broker stops"),
            // Transactions v2 (exactly_once_v2 on a 4.x broker): when a Streams commit is still completing as the next
            // transaction's first batch arrives, the broker answers CONCURRENT_TRANSACTIONS, and the batches behind it
            // OUT_OF_ORDER_SEQUENCE_NUMBER; the producer retries them and they land. On a busy laptop this happens
            // every few commits. A batch that runs out of retries is logged differently and fails the normalizer.
            new Rule("org.apache.kafka.clients.producer.internals.Sender", Level.WARN, "Got error produce response",
                    "retrying", null, "a retried CONCURRENT_TRANSACTIONS or OUT_OF_ORDER_SEQUENCE_NUMBER (see above)"),
            new Rule("kafka.server.ReplicaManager", Level.ERROR, "Error processing append operation on partition", "",
                    "OutOfOrderSequenceException", "the broker's side of the same retried batch"));

    private final LoggerContext context;

    private LocalLogNoise(LoggerContext context) {
        this.context = context;
    }

    /** Installs the filter if Logback is the backend (it is in labhooks-dev.jar); otherwise does nothing. */
    static LocalLogNoise install() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        LoggerContext ctx = factory instanceof LoggerContext lc ? lc : null;
        LocalLogNoise f = new LocalLogNoise(ctx);
        if (ctx != null) {
            f.setContext(ctx);
            f.start();
            ctx.addTurboFilter(f);
        }
        return f;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == null || level.toInt() < Level.WARN_INT || format == null || logger == null) {
            return FilterReply.NEUTRAL;
        }
        if (level == Level.WARN && isFirstStartRepartitionMetadata(logger.getName(), format, params)) {
            return FilterReply.DENY;
        }
        String message = stripLogContext(format);
        for (Rule r : RULES) {
            if (r.matches(logger.getName(), level, message, t)) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }

    /**
     * The normalizer's consumer asks for its repartition topic before Kafka Streams has created it (first start only):
     * "The metadata response from the cluster reported a recoverable issue with correlation id N :
     * {labhooks-normalizer-by-entity-repartition=UNKNOWN_TOPIC_OR_PARTITION}". Only when every topic named is a
     * repartition topic; a missing labhooks topic still warns.
     */
    static boolean isFirstStartRepartitionMetadata(String logger, String format, Object[] params) {
        if (!logger.equals("org.apache.kafka.clients.NetworkClient")
                || !stripLogContext(format).startsWith("The metadata response from the cluster reported a recoverable issue")) {
            return false;
        }
        // Kafka's LogContext logger formats the message itself: the map arrives as text, "{t1=E1, t2=E2}"
        String text = params != null && params.length > 0 ? String.valueOf(params[params.length - 1]) : format;
        int open = text.lastIndexOf('{');
        if (open < 0 || !text.endsWith("}") || open + 2 >= text.length()) {
            return false;
        }
        for (String entry : text.substring(open + 1, text.length() - 1).split(", ")) {
            int eq = entry.lastIndexOf('=');
            if (eq < 0 || !entry.substring(0, eq).endsWith("-repartition")
                    || !entry.substring(eq + 1).equals("UNKNOWN_TOPIC_OR_PARTITION")) {
                return false;
            }
        }
        return true;
    }

    /** Kafka's LogContext puts "[Consumer clientId=…] " in front of the format. */
    private static String stripLogContext(String format) {
        if (format.startsWith("[")) {
            int end = format.indexOf("] ");
            if (end > 0) {
                return format.substring(end + 2);
            }
        }
        return format;
    }

    @Override
    public void close() {
        if (context != null) {
            context.getTurboFilterList().remove(this);
            stop();
        }
    }
}
