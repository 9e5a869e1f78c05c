package io.labhooks.ingress;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Captures every Logback event (on the root logger) while open, with the named loggers turned up to DEBUG so that
 * a leak at any level shows. {@link #close()} detaches and restores the levels.
 */
final class LogCapture implements AutoCloseable {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Map<Logger, Level> saved = new LinkedHashMap<>();

    LogCapture(String... debugLoggers) {
        appender.setName("capture");
        appender.start();
        root.addAppender(appender);
        for (String name : debugLoggers) {
            Logger l = (Logger) LoggerFactory.getLogger(name);
            saved.put(l, l.getLevel());
            l.setLevel(Level.DEBUG);
        }
    }

    List<ILoggingEvent> events() {
        synchronized (appender) {
            return new ArrayList<>(appender.list);
        }
    }

    /** Each event as everything it would write: level, logger, thread, message, arguments, MDC and the stack trace. */
    List<String> lines() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : events()) {
            StringBuilder b = new StringBuilder().append(e.getLevel()).append(' ').append(e.getLoggerName()).append(" [")
                    .append(e.getThreadName()).append("] ").append(e.getFormattedMessage()).append(' ').append(e.getMDCPropertyMap());
            if (e.getThrowableProxy() != null) {
                b.append('\n').append(ThrowableProxyUtil.asString(e.getThrowableProxy()));
            }
            out.add(b.toString());
        }
        return out;
    }

    void clear() {
        synchronized (appender) {
            appender.list.clear();
        }
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        saved.forEach(Logger::setLevel);
    }
}
