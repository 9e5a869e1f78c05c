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
 * One entity's dedupe state: its high-water mark and the ids of the events seen recently, with when; for vendors
 * whose entity state is merged from its events ({@link EntityMerge}), also the last merged entity event (the
 * CloudEvent JSON written to {@code labhooks.entities.v1}). Stored as a compact binary value (format version byte
 * first) in the RocksDB store and its changelog; format 1 (without the entity) is still read.
 */
final class DedupeState {
    private static final byte FORMAT_1 = 1;
    private static final byte FORMAT = 2;
    static final long NO_HWM = Long.MIN_VALUE;

    long hwm = NO_HWM;
    final Map<String, Long> seen = new HashMap<>();
    /** The last merged entity event, or null (not a merging vendor, or state from before merging). */
    byte[] entity;

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
            out.writeInt(entity == null ? -1 : entity.length);
            if (entity != null) {
                out.write(entity);
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
            if (format != FORMAT && format != FORMAT_1) {
                throw new IllegalStateException("unknown dedupe state format " + format);
            }
            s.hwm = in.readLong();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                s.seen.put(in.readUTF(), in.readLong());
            }
            if (format == FORMAT) {
                int len = in.readInt();
                if (len >= 0) {
                    s.entity = new byte[len];
                    in.readFully(s.entity);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt dedupe state", e);
        }
        return s;
    }
}
