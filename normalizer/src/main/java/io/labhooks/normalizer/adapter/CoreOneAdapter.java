package io.labhooks.normalizer.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.config.Pointers;
import io.labhooks.schemas.Headers;
import io.labhooks.schemas.events.CanonicalEvent;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CoreOne for Labs webhooks to canonical events. The event type is the {@code X-Coreone-Webhook-Type} record
 * header ({@code object/action}, matched case-insensitively); the body is "a hash which varies depending on the
 * specific webhook".
 *
 * <ul>
 *   <li>type {@code lab.coreone.{object}.{action}}, e.g. {@code accession_lab_section/release} ->
 *       {@code lab.coreone.accession_lab_section.release}; entity key {@code coreone:{object}:{id}}.
 *       Types not among the {@link #WEBHOOK_TYPES documented ones} pass through the same way.</li>
 *   <li>id: the source's {@code pointers.entity-id} if configured (and only it), else the first usable value of
 *       {@code /id}, {@code /{object}/id}, {@code /data/id}, {@code /{object}_id}, {@code /{object}} (when it is a
 *       string or number: e.g. {@code instrument/generate_instrument_file} sends only the instrument's name and a
 *       file name), {@code /{object}/name}, {@code /{object}_name}. None: MISSING_ID.</li>
 *   <li>version: the source's {@code pointers.version} if configured (and only it), else the first non-null of
 *       {@code /updated_at}, {@code /{object}/updated_at}, {@code /data/updated_at}. A number (or string of
 *       digits) is itself; an ISO-8601 timestamp is epoch microseconds, read in the source's {@code timezone}
 *       if it has no offset, and is also the event's {@code time}; no value at all: the receipt time in epoch
 *       microseconds. Anything else: BAD_VERSION (an object or array: WRONG_SHAPE).</li>
 *   <li>discriminator: SHA-256 of the exact body bytes, so the same body delivered twice (different delivery ids)
 *       is one event id and a different body is another.</li>
 *   <li>{@code {object}/destroy} (any object) sets {@code data.deleted = true}.</li>
 *   <li>data: {@code object, action, webhook_type, id, id_pointer, version_pointer, deleted}.</li>
 * </ul>
 * {@code pointers.event-type} and {@code pointers.entity-type} are not used: the header names both.
 * A missing or malformed header is WRONG_SHAPE.
 *
 * <p>Stateless and thread-safe; never throws for bad input.
 */
public final class CoreOneAdapter implements VendorAdapter {
    /** Every {@code X-Coreone-Webhook-Type} in CoreOne's document (v5.3.38), in its order. */
    public static final List<String> WEBHOOK_TYPES = List.of(
            "accession/status_change",
            "accession/client_change",
            "accession/receive",
            "accession_lab_section/create",
            "accession_lab_section/destroy",
            "accession_lab_section/release",
            "accession_lab_section/unrelease",
            "attachment/fail",
            "attachment/process",
            "client/create",
            "client/destroy",
            "client/update",
            "clinical_histories/create",
            "clinical_histories/destroy",
            "clinical_histories/update",
            "comment/create",
            "comment/destroy",
            "comment/update",
            "credit_note/create",
            "hl7message/fail",
            "hl7message/process",
            "instrument/fail",
            "instrument/generate_instrument_file",
            "instrument/process",
            "instrument/request_instrument_file",
            "invoice/client_change",
            "invoice/close",
            "invoice/create",
            "leaf/fail",
            "leaf/match",
            "nahln_transmission/fail",
            "nahln_transmission/process",
            "payment/create");
    private static final Set<String> KNOWN = Set.copyOf(WEBHOOK_TYPES);
    private static final Pattern TYPE = Pattern.compile("([a-z0-9_-]{1,64})/([a-z0-9_-]{1,64})");
    /** Default id pointers; {@code {object}} is replaced by the object from the header. */
    public static final List<String> DEFAULT_ID_POINTERS = List.of(
            "/id", "/{object}/id", "/data/id", "/{object}_id", "/{object}", "/{object}/name", "/{object}_name");
    /** Default version pointers; {@code {object}} is replaced by the object from the header. */
    public static final List<String> DEFAULT_VERSION_POINTERS = List.of("/updated_at", "/{object}/updated_at", "/data/updated_at");

    private final Json json;

    public CoreOneAdapter(Json json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    /** True if {@code webhookType} (e.g. {@code client/update}) is one of the documented types. */
    public static boolean isKnown(String webhookType) {
        return webhookType != null && KNOWN.contains(webhookType.strip().toLowerCase(Locale.ROOT));
    }

    @Override
    public AdapterResult adapt(RawInput in) {
        String header = in.header(Headers.COREONE_WEBHOOK_TYPE);
        if (header == null || header.isBlank()) {
            return AdapterResult.rejected(Rejection.Reason.WRONG_SHAPE, "no " + Headers.COREONE_WEBHOOK_TYPE + " header");
        }
        String webhookType = header.strip().toLowerCase(Locale.ROOT);
        var m = TYPE.matcher(webhookType);
        if (!m.matches()) {
            return AdapterResult.rejected(Rejection.Reason.WRONG_SHAPE, Headers.COREONE_WEBHOOK_TYPE
                    + " is not object/action: '" + JsonFields.abbreviate(header) + "'");
        }
        Json.Parsed parsed = json.parseObject(in);
        if (!parsed.ok()) {
            return new AdapterResult.Rejected(parsed.rejection());
        }
        try {
            return AdapterResult.accepted(event(in, parsed.body(), webhookType, m.group(1), m.group(2)));
        } catch (JsonFields.Invalid e) {
            return new AdapterResult.Rejected(e.rejection());
        }
    }

    private CanonicalEvent event(RawInput in, ObjectNode body, String webhookType, String object, String action) {
        Pointers pointers = in.source().pointers();
        String idPointer = null;
        String id = null;
        if (isSet(pointers.entityId())) {
            idPointer = pointers.entityId();
            id = JsonFields.requiredId(JsonFields.at(body, idPointer), "the entity id at " + idPointer);
        } else {
            for (String p : DEFAULT_ID_POINTERS) {
                String ptr = p.replace("{object}", object);
                JsonNode v = JsonFields.at(body, ptr);
                if (v != null && (v.isTextual() || v.isIntegralNumber())) {
                    id = JsonFields.id(v, "the entity id at " + ptr);
                    if (id != null) {
                        idPointer = ptr;
                        break;
                    }
                }
            }
            if (id == null) {
                throw JsonFields.invalid(Rejection.Reason.MISSING_ID, "no entity id at any of " + String.join(", ",
                        DEFAULT_ID_POINTERS).replace("{object}", object));
            }
        }

        List<String> versionPointers = isSet(pointers.version()) ? List.of(pointers.version())
                : DEFAULT_VERSION_POINTERS.stream().map(p -> p.replace("{object}", object)).toList();
        String versionPointer = null;
        Versions.Parsed version = null;
        for (String ptr : versionPointers) {
            JsonNode v = JsonFields.at(body, ptr);
            if (v == null) {
                continue;
            }
            if (v.isContainerNode()) {
                throw JsonFields.invalid(Rejection.Reason.WRONG_SHAPE, "the version at " + ptr + " must be a number or a timestamp, was " + v.getNodeType());
            }
            Optional<Versions.Parsed> p = Versions.numberOrTimestamp(v, in.source().timezone());
            if (p.isEmpty()) {
                throw JsonFields.invalid(Rejection.Reason.BAD_VERSION, "the version at " + ptr + " is neither a whole number nor an ISO-8601 timestamp: '"
                        + JsonFields.abbreviate(v.asText()) + "'");
            }
            version = p.get();
            versionPointer = ptr;
            break;
        }
        Instant time = version == null ? null : version.time();

        boolean deleted = action.equals("destroy");
        ObjectNode out = json.mapper().createObjectNode();
        out.put("object", object);
        out.put("action", action);
        out.put("webhook_type", webhookType);
        out.put("known_type", KNOWN.contains(webhookType));
        out.put("id", id);
        out.put("id_pointer", idPointer);
        out.put("version_pointer", versionPointer == null ? "receipt_time" : versionPointer);
        out.put("deleted", deleted);
        if (version == null) {
            return EventFactory.eventVersionedByReceipt(in, object, id, object + "." + action, JsonFields.bodyHash(in), time, out, body);
        }
        // A destroy often repeats the record's last updated_at: one microsecond more makes it win that tie,
        // so the entity ends deleted whichever of the two arrives first.
        long v = deleted && version.version() < Long.MAX_VALUE ? version.version() + 1 : version.version();
        return EventFactory.event(in, object, id, object + "." + action, v, JsonFields.bodyHash(in), time, out, body);
    }

    private static boolean isSet(String pointer) {
        return pointer != null && !pointer.isEmpty();
    }
}
