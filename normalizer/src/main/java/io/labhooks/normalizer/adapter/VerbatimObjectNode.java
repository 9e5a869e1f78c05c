package io.labhooks.normalizer.adapter;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A vendor body as parsed, that writes itself as the exact bytes it was parsed from instead of walking its tree
 * again: {@code data.vendor_payload} of a full Confident panel is 35 KB, and re-encoding it was the largest single
 * part of the normalizer's work (docs/benchmarks.md). Reads see the parsed tree. Only for a body that {@link Json}
 * accepted whole (one object, strict JSON, no trailing tokens) and that starts with a brace, so that its bytes are
 * UTF-8 without a byte-order mark; adapters treat it as read-only (a change to the tree would not be written).
 */
final class VerbatimObjectNode extends ObjectNode {
    private static final long serialVersionUID = 1L;

    private final transient Verbatim raw;

    private VerbatimObjectNode(ObjectNode parsed, byte[] bytes) {
        super(JsonNodeFactory.instance);
        setAll(parsed);
        this.raw = new Verbatim(bytes);
    }

    /** {@code parsed} written as {@code bytes} when those can be copied into JSON as they are; else {@code parsed}. */
    static ObjectNode of(ObjectNode parsed, byte[] bytes) {
        for (byte b : bytes) {
            switch (b) {
                case ' ', '\t', '\n', '\r' -> {
                    continue;
                }
                case '{' -> {
                    return new VerbatimObjectNode(parsed, bytes);
                }
                default -> {
                    return parsed; // a byte-order mark, or UTF-16/32: write the tree
                }
            }
        }
        return parsed;
    }

    @Override
    public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
        if (raw == null) { // after Java deserialization
            super.serialize(g, provider);
        } else {
            g.writeRawValue(raw);
        }
    }

    /** The body's bytes as a raw JSON value; the UTF-8 generator copies them, a char-based one writes the text. */
    private static final class Verbatim extends SerializedString {
        private static final long serialVersionUID = 1L;

        Verbatim(byte[] bytes) {
            super(new String(bytes, StandardCharsets.UTF_8));
            _unquotedUTF8Ref = bytes;
        }
    }
}
