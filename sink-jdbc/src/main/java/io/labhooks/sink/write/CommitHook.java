package io.labhooks.sink.write;

/**
 * Called after the database transaction committed and before the Kafka offsets are committed. Production
 * uses {@link #NONE}; tests throw here to simulate a crash in that window.
 */
@FunctionalInterface
public interface CommitHook {
    CommitHook NONE = () -> {
    };

    void afterDbCommit();
}
