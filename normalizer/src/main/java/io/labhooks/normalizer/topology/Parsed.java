package io.labhooks.normalizer.topology;

/** The parse step's output: a canonical event (as JSON bytes) or a DLQ record (the original bytes). */
record Parsed(boolean rejected, byte[] bytes) {
}
