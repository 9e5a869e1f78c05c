package io.labhooks.normalizer.topology;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One entity's dedupe state: its high-water mark and the ids of the events seen recently, with when.
 * Stored as a compact binary value (format version byte first) in the RocksDB store and its changelog.
 */
final class DedupeState {
    private static final byte FORMAT = 1;
    static final long NO_HWM = Long.MIN_VALUE;

    long hwm = NO_HWM;
    final Map<String, Long> seen = new HashMap<>();

    boolean hasSeen(String eventId) {
        return seen.containsKey(eventId);
    }

    /** Drops ids seen before {@code cutoffMillis}; true if anything changed. */
    boolean purge(long cutoffMillis) {
        return seen.values().removeIf(t -> t < cutoffMillis);
    }

    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + seen.size() * 80);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeLong(hwm);
            out.writeInt(seen.size());
            for (Map.Entry<String, Long> e : seen.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static DedupeState fromBytes(byte[] b) {
        DedupeState s = new DedupeState();
        if (b == null) {
            return s;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("unknown dedupe state format " + format);
            }
            s.hwm = in.readLong();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                s.seen.put(in.readUTF(), in.readLong());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt dedupe state", e);
        }
        return s;
    }
}
