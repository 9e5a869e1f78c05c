package io.labhooks.ingress.spool;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One spooled Kafka record: the key (the delivery id), the timestamp (receipt, epoch ms), every header in order,
 * and the exact body bytes. {@link #encode()} is the value stored in RocksDB; the checksums and the crash recovery
 * are RocksDB's (WAL and block checksums), this is only the record's serialization.
 */
public record SpoolRecord(String key, long timestamp, List<Header> headers, byte[] body) {
    private static final byte VERSION = 1;

    /** A Kafka header; the value may be null, as in Kafka. */
    public record Header(String name, byte[] value) {
        public Header {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Header h && name.equals(h.name) && Arrays.equals(value, h.value);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return name + "=" + (value == null ? "null" : value.length + " bytes");
        }
    }

    public SpoolRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(body, "body");
        headers = List.copyOf(headers);
    }

    /** The stored form: version, timestamp, key, headers, body; each variable part length-prefixed. */
    public byte[] encode() {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        List<byte[]> names = new ArrayList<>(headers.size());
        int size = 1 + 8 + 4 + k.length + 4 + 4 + body.length;
        for (Header h : headers) {
            byte[] n = h.name().getBytes(StandardCharsets.UTF_8);
            names.add(n);
            size += 4 + n.length + 4 + (h.value() == null ? 0 : h.value().length);
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(VERSION).putLong(timestamp).putInt(k.length).put(k).putInt(headers.size());
        for (int i = 0; i < headers.size(); i++) {
            byte[] v = headers.get(i).value();
            b.putInt(names.get(i).length).put(names.get(i));
            if (v == null) {
                b.putInt(-1);
            } else {
                b.putInt(v.length).put(v);
            }
        }
        b.putInt(body.length).put(body);
        return b.array();
    }

    /** The receipt time of a stored value, without decoding the rest. */
    static long timestampOf(byte[] value) {
        return ByteBuffer.wrap(value, 1, 8).getLong();
    }

    /** @throws IllegalArgumentException if {@code value} is not a record this version wrote */
    public static SpoolRecord decode(byte[] value) {
        try {
            ByteBuffer b = ByteBuffer.wrap(value);
            byte version = b.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown spool record version " + version);
            }
            long ts = b.getLong();
            String key = new String(bytes(b, b.getInt()), StandardCharsets.UTF_8);
            int n = b.getInt();
            if (n < 0 || n > b.remaining()) {
                throw new IllegalArgumentException("bad header count " + n);
            }
            List<Header> headers = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String name = new String(bytes(b, b.getInt()), StandardCharsets.UTF_8);
                int len = b.getInt();
                headers.add(new Header(name, len < 0 ? null : bytes(b, len)));
            }
            byte[] body = bytes(b, b.getInt());
            if (b.hasRemaining()) {
                throw new IllegalArgumentException(b.remaining() + " trailing bytes");
            }
            return new SpoolRecord(key, ts, headers, body);
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("truncated spool record", e);
        }
    }

    private static byte[] bytes(ByteBuffer b, int len) {
        if (len < 0 || len > b.remaining()) {
            throw new IllegalArgumentException("bad length " + len);
        }
        byte[] out = new byte[len];
        b.get(out);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpoolRecord r && key.equals(r.key) && timestamp == r.timestamp && headers.equals(r.headers)
                && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "SpoolRecord[key=" + key + ", timestamp=" + timestamp + ", headers=" + headers + ", bytes=" + body.length + "]";
    }
}
