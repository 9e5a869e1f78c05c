package io.labhooks.sink.it;

/** A way to make a test database unavailable to the sink for a while, and available again. */
public interface Outage extends AutoCloseable {
    /** The URL the sink must use so that {@link #begin()} affects it. */
    String jdbcUrl();

    void begin() throws Exception;

    void end() throws Exception;

    @Override
    void close() throws java.sql.SQLException, java.io.IOException;
}
