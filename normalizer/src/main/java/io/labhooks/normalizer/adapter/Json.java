package io.labhooks.normalizer.adapter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** Parses vendor bodies with limits: nesting depth, number and string lengths; no duplicate keys. */
public final class Json {
    public static final int MAX_DEPTH = 64;

    private final ObjectMapper mapper;

    public Json() {
        // Duplicate keys are refused: parsers disagree on which one wins, so another reader of the same signed bytes
        // (a consumer of data.vendor_payload's source, a DLQ replay tool) could see a different entity.
        JsonFactory f = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH).maxNumberLength(100).maxStringLength(16 << 20).build()).build();
        this.mapper = new ObjectMapper(f);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** The body as a JSON object, or a rejection (not JSON, not an object, too deep). */
    public Parsed parseObject(RawInput in) {
        if (in.body().length > in.source().maxBodyBytes()) {
            return new Parsed(null, Rejection.of(Rejection.Reason.TOO_LARGE,
                    "body of " + in.body().length + " bytes is over the source limit of " + in.source().maxBodyBytes()));
        }
        try {
            JsonNode n = mapper.readTree(in.body());
            if (n == null || n.isMissingNode()) {
                return new Parsed(null, Rejection.of(Rejection.Reason.NOT_JSON, "empty body"));
            }
            if (!n.isObject()) {
                return new Parsed(null, Rejection.of(Rejection.Reason.WRONG_SHAPE, "the body is JSON but not an object"));
            }
            return new Parsed((ObjectNode) n, null);
        } catch (StreamConstraintsException e) {
            return new Parsed(null, Rejection.of(Rejection.Reason.TOO_LARGE, e.getOriginalMessage()));
        } catch (IOException e) {
            return new Parsed(null, Rejection.of(Rejection.Reason.NOT_JSON, firstLine(e.getMessage())));
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unparseable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Either an object or a rejection. */
    public record Parsed(ObjectNode body, Rejection rejection) {
        public boolean ok() {
            return body != null;
        }
    }
}
