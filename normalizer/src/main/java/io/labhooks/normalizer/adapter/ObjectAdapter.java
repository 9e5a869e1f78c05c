package io.labhooks.normalizer.adapter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * An adapter of a vendor whose bodies are JSON objects: parses the body within the limits of {@link Json} and turns a
 * {@link JsonFields.Invalid} thrown while mapping it into a rejection, so that a subclass only maps the object.
 */
abstract class ObjectAdapter implements VendorAdapter {
    protected final Json json;

    ObjectAdapter(Json json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    @Override
    public final AdapterResult adapt(RawInput in) {
        AdapterResult early = precheck(in);
        if (early != null) {
            return early;
        }
        Json.Parsed parsed = json.parseObject(in);
        if (!parsed.ok()) {
            return new AdapterResult.Rejected(parsed.rejection());
        }
        try {
            return adaptObject(in, parsed.body());
        } catch (JsonFields.Invalid e) {
            return new AdapterResult.Rejected(e.rejection());
        }
    }

    /** A rejection decided before the body is parsed (e.g. from a header), or null to go on. */
    protected AdapterResult precheck(RawInput in) {
        return null;
    }

    protected abstract AdapterResult adaptObject(RawInput in, ObjectNode body);
}
