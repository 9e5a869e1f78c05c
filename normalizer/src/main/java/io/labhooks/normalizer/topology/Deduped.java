package io.labhooks.normalizer.topology;

/** The dedupe step's output: the event JSON with {@code labhookshwmadvanced} set. */
record Deduped(boolean advanced, byte[] bytes) {
}
