package io.labhooks.cli.trace;

import io.labhooks.config.Vendor;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What {@code labhooks trace} looks for: an entity key ({@code confident:sample:SMP-1}), a vendor's own id with its
 * vendor ({@code --vendor flabs BILL-9}), or a delivery id (the UUIDv7 of {@code X-Labhooks-Delivery-Id}).
 */
public record TraceQuery(Kind kind, String value, Vendor vendor) {
    /** How the query names the entity. */
    public enum Kind { ENTITY_KEY, VENDOR_ID, DELIVERY_ID }

    private static final Pattern UUID = Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    public TraceQuery {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        if (kind == Kind.VENDOR_ID) {
            Objects.requireNonNull(vendor, "vendor");
        }
    }

    /**
     * Reads the command line's argument: with a vendor, a vendor id; else a delivery id if it is a UUID, an entity key
     * if it starts with a known vendor and a colon.
     *
     * @throws IllegalArgumentException naming what is accepted
     */
    public static TraceQuery parse(String arg, String vendorId) {
        if (arg == null || arg.isBlank()) {
            throw new IllegalArgumentException("give an entity key, a delivery id, or --vendor V and the vendor's id");
        }
        String a = arg.strip();
        if (vendorId != null) {
            Vendor v = Arrays.stream(Vendor.values()).filter(x -> x.id().equals(vendorId)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--vendor '" + vendorId + "' is not one of "
                            + Arrays.stream(Vendor.values()).map(Vendor::id).collect(Collectors.joining(", "))));
            return new TraceQuery(Kind.VENDOR_ID, a, v);
        }
        if (UUID.matcher(a).matches()) {
            return new TraceQuery(Kind.DELIVERY_ID, a.toLowerCase(java.util.Locale.ROOT), null);
        }
        int colon = a.indexOf(':');
        if (colon > 0) {
            String prefix = a.substring(0, colon);
            if (Arrays.stream(Vendor.values()).anyMatch(v -> v.id().equals(prefix)) && a.indexOf(':', colon + 1) > colon + 1) {
                return new TraceQuery(Kind.ENTITY_KEY, a, null);
            }
        }
        throw new IllegalArgumentException("'" + a + "' is neither an entity key (vendor:type:id, e.g. confident:sample:SMP-1)"
                + " nor a delivery id (a UUID); for a vendor's own id, add --vendor V");
    }

    /**
     * True if the entity key answers the query: the key itself, or a key of the vendor whose id is the vendor's id or
     * ends with it (a Flabs bill's id is {@code labID:billID}). A delivery id query matches by delivery, never here.
     */
    public boolean matchesKey(String entityKey) {
        return switch (kind) {
            case ENTITY_KEY -> value.equals(entityKey);
            case VENDOR_ID -> entityKey.startsWith(vendor.id() + ":") && entityKey.endsWith(":" + value);
            case DELIVERY_ID -> false;
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ENTITY_KEY -> "entity " + value;
            case VENDOR_ID -> vendor.id() + " id " + value;
            case DELIVERY_ID -> "delivery " + value;
        };
    }
}
