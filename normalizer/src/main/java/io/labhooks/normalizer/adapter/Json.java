package io.labhooks.normalizer.adapter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
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
        // (a consumer of data.vendor_payload's source, a DLQ replay tool) could see a different entity. They are caught
        // as the tree is built (FAIL_ON_READING_DUP_TREE_KEY, where the map insert finds the earlier value) rather than by
        // the parser's STRICT_DUPLICATE_DETECTION, whose extra set per object was an eighth of a full panel's parse.
        JsonFactory f = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH).maxNumberLength(100).maxStringLength(16 << 20).build()).build();
        // Trailing tokens ("{...} x", "{...}{...}") are refused too: which object is the body would be a guess, and
        // an accepted body is copied verbatim into data.vendor_payload (VerbatimObjectNode).
        this.mapper = new ObjectMapper(f).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
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
            // adapters hand the body on as data.vendor_payload, which is then written as the bytes received
            return new Parsed(VerbatimObjectNode.of((ObjectNode) n, in.body()), null);
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
