package io.labhooks.testkit.payloads;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;

/**
 * Realistic CoreOne for Labs webhook bodies, one shape per object family. CoreOne's document only says the body
 * is "a hash which varies depending on the specific webhook", so these are plausible Rails-style records
 * ({@code id}, {@code created_at}, {@code updated_at} as {@code 2021-02-25T15:35:00.123-06:00}). They vary on
 * purpose, to exercise the adapter's id and version fallbacks:
 * <ul>
 *   <li>{@code accession} and {@code invoice} nest the record under the object's name ({@code {"accession": {...}}});</li>
 *   <li>{@code instrument/generate_instrument_file} has only the instrument's name and the file name;</li>
 *   <li>{@code instrument/request_instrument_file} has the request parameters and an {@code instrument_id};</li>
 *   <li>the others are flat records.</li>
 * </ul>
 * The type goes in the {@value #TYPE_HEADER} header. Deterministic: the same arguments give the same body.
 */
public final class CoreOnePayloads {
    public static final String TYPE_HEADER = "X-Coreone-Webhook-Type";
    /** Every webhook type in CoreOne's document (v5.3.38), in its order. */
    public static final List<String> WEBHOOK_TYPES = List.of(
            "accession/status_change", "accession/client_change", "accession/receive",
            "accession_lab_section/create", "accession_lab_section/destroy", "accession_lab_section/release",
            "accession_lab_section/unrelease",
            "attachment/fail", "attachment/process",
            "client/create", "client/destroy", "client/update",
            "clinical_histories/create", "clinical_histories/destroy", "clinical_histories/update",
            "comment/create", "comment/destroy", "comment/update",
            "credit_note/create",
            "hl7message/fail", "hl7message/process",
            "instrument/fail", "instrument/generate_instrument_file", "instrument/process", "instrument/request_instrument_file",
            "invoice/client_change", "invoice/close", "invoice/create",
            "leaf/fail", "leaf/match",
            "nahln_transmission/fail", "nahln_transmission/process",
            "payment/create");
    /** CoreOne's timestamps: milliseconds and an offset, as Rails writes them. */
    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx");
    private static final ZoneOffset LAB_OFFSET = ZoneOffset.ofHours(-6);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> STATUSES = List.of("pending", "received", "in_progress", "completed", "reported");
    private static final List<String> SECTIONS = List.of("Bacteriology", "Serology", "Virology", "Parasitology", "Toxicology");
    private static final List<String> INSTRUMENTS = List.of("Cobas c311", "Sysmex XN-1000", "VITEK 2", "Luminex 200");

    private CoreOnePayloads() {
    }

    /** The object of a webhook type: the part before the slash. */
    public static String object(String webhookType) {
        int slash = webhookType.indexOf('/');
        return slash < 0 ? webhookType : webhookType.substring(0, slash);
    }

    /** The action of a webhook type: the part after the slash. */
    public static String action(String webhookType) {
        int slash = webhookType.indexOf('/');
        return slash < 0 ? "" : webhookType.substring(slash + 1);
    }

    /** A timestamp as CoreOne writes it. */
    public static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).atOffset(LAB_OFFSET).format(TIME);
    }

    /**
     * A body for {@code webhookType} about record {@code id}, last updated at {@code updatedAt}. An unknown type
     * gets a flat {@code {id, updated_at}} record.
     */
    public static ObjectNode body(String webhookType, long id, Instant updatedAt, long seed) {
        Random r = new Random(seed);
        String action = action(webhookType);
        String created = time(updatedAt.minus(1 + r.nextInt(72), ChronoUnit.HOURS));
        String updated = time(updatedAt);
        long accessionId = 100_000 + r.nextInt(900_000);
        long clientId = 1_000 + r.nextInt(9_000);
        ObjectNode b = NODES.objectNode();
        switch (object(webhookType)) {
            case "accession" -> {
                ObjectNode a = b.putObject("accession");
                a.put("id", id);
                a.put("accession_number", "A" + (21 + r.nextInt(5)) + "-" + String.format("%06d", id % 1_000_000));
                a.put("status", switch (action) {
                    case "receive" -> "received";
                    default -> STATUSES.get(r.nextInt(STATUSES.size()));
                });
                a.put("client_id", clientId);
                if (action.equals("client_change")) {
                    a.put("previous_client_id", clientId + 1 + r.nextInt(100));
                }
                if (action.equals("status_change")) {
                    a.put("previous_status", "pending");
                }
                a.put("received_at", action.equals("receive") ? updated : null);
                a.put("created_at", created);
                a.put("updated_at", updated);
            }
            case "accession_lab_section" -> {
                b.put("id", id);
                b.put("accession_id", accessionId);
                b.put("lab_section_id", 1 + r.nextInt(SECTIONS.size()));
                b.put("lab_section_name", SECTIONS.get(r.nextInt(SECTIONS.size())));
                b.put("status", switch (action) {
                    case "release" -> "released";
                    case "unrelease" -> "in_progress";
                    case "destroy" -> "removed";
                    default -> "pending";
                });
                b.put("released_at", action.equals("release") ? updated : null);
                b.put("created_at", created);
                b.put("updated_at", updated);
            }
            case "attachment" -> {
                b.put("id", id);
                b.put("accession_id", accessionId);
                b.put("filename", "scan_" + accessionId + ".pdf");
                b.put("content_type", "application/pdf");
                b.put("status", action.equals("fail") ? "failed" : "processed");
                b.put("error_message", action.equals("fail") ? "could not read PDF: unexpected end of file" : null);
                b.put("created_at", created);
                b.put("updated_at", updated);
            }
            case "client" -> {
                b.put("id", id);
                b.put("name", "Client " + id + " Veterinary Clinic");
                b.put("account_number", "C" + String.format("%05d", id % 100_000));
                b.put("credit_status", r.nextInt(5) == 0 ? "on_hold" : "good");
                b.put("email", "lab" + id + "@example.com");
                b.put("phone", "+1 303 555 " + String.format("%04d", r.nextInt(10_000)));
                b.put("deleted_at", action.equals("destroy") ? updated : null);
                b.put("created_at", created);
                b.put("updated_at", updated);
            }
            case "clinical_histories" -> {
                b.put("id", id);
                b.put("accession_id", accessionId);
                b.put("animal_id", 50_000 + r.nextInt(50_000));
                b.put("animal_name", List.of("Bella", "Max", "Daisy", "Duke").get(r.nextInt(4)));
                b.put("species", List.of("canine", "feline", "bovine", "equine").get(r.nextInt(4)));
                b.put("history", "Lethargy for 3 days; reduced appetite.");
                b.put("created_at", created);
                b.put("updated_at", updated);
            }
            case "comment" -> {
                b.put("id", id);
                b.put("accession_id", accessionId);
                b.put("body", action.equals("update") ? "Sample hemolysed; results may be affected (edited)." : "Sample hemolysed.");
                b.put("user", "tech" + r.nextInt(20));
                b.put("internal", r.nextBoolean());
                b.put("created_at", created);
                b.put("updated_at", updated);
            }
            case "credit_note" -> {
                b.put("id", id);
                b.put("credit_note_number", "CN-" + id);
                b.put("client_id", clientId);
                b.put("invoice_id", 20_000 + r.nextInt(10_000));
                b.put("amount", String.format("%d.%02d", 5 + r.nextInt(500), r.nextInt(100)));
                b.put("currency", "USD");
                b.put("created_at", created);
                b.put("updated_at", updated);
            }
            case "hl7message" -> {
                b.put("id", id);
                b.put("message_control_id", "MSG" + String.format("%08d", id % 100_000_000));
                b.put("message_type", "ORU^R01");
                b.put("status", action.equals("fail") ? "failed" : "processed");
                b.put("error_message", action.equals("fail") ? "PID segment missing" : null);
                b.put("created_at", created);
                b.put("updated_at", updated);
            }
            case "instrument" -> {
                String name = INSTRUMENTS.get((int) Math.floorMod(id, (long) INSTRUMENTS.size()));
                switch (action) {
                    case "generate_instrument_file" -> {
                        b.put("instrument", name);
                        b.put("filename", "orders_" + name.replaceAll("[^A-Za-z0-9]", "") + "_" + id + ".txt");
                    }
                    case "request_instrument_file" -> {
                        b.put("instrument_id", id);
                        b.put("lab_section_id", 1 + r.nextInt(SECTIONS.size()));
                        b.putArray("accession_ids").add(accessionId).add(accessionId + 1);
                        b.put("format", "astm");
                        b.put("start_date", created.substring(0, 10));
                        b.put("end_date", updated.substring(0, 10));
                    }
                    default -> {
                        b.put("id", id);
                        b.put("instrument_id", 1 + Math.floorMod(id, 4L));
                        b.put("instrument_name", name);
                        b.put("status", action.equals("fail") ? "failed" : "processed");
                        b.put("error_message", action.equals("fail") ? "unknown specimen barcode" : null);
                        b.put("created_at", created);
                        b.put("updated_at", updated);
                    }
                }
            }
            case "invoice" -> {
                ObjectNode i = b.putObject("invoice");
                i.put("id", id);
                i.put("invoice_number", "INV-" + id);
                i.put("client_id", clientId);
                if (action.equals("client_change")) {
                    i.put("previous_client_id", clientId + 1 + r.nextInt(100));
                }
                i.put("status", action.equals("close") ? "closed" : "open");
                i.put("total", String.format("%d.%02d", 20 + r.nextInt(2_000), r.nextInt(100)));
                i.put("closed_at", action.equals("close") ? updated : null);
                i.put("created_at", created);
                i.put("updated_at", updated);
            }
            case "leaf" -> {
                boolean match = action.equals("match");
                b.put("id", id);
                b.put("barcode", match ? "C1L" + accessionId : null);
                b.put("filename", "scan_" + String.format("%06d", id % 1_000_000) + ".tif");
                b.put("matched", match);
                b.put("accession_id", match ? accessionId : null);
                b.put("created_at", created);
                b.put("updated_at", updated);
            }
            case "nahln_transmission" -> {
                b.put("id", id);
                b.put("accession_id", accessionId);
                b.put("message_id", "NAHLN-" + id);
                b.put("status", action.equals("fail") ? "failed" : "accepted");
                b.put("error_message", action.equals("fail") ? "receiver rejected message: invalid specimen type" : null);
                b.put("created_at", created);
                b.put("updated_at", updated);
            }
            case "payment" -> {
                b.put("id", id);
                b.put("client_id", clientId);
                b.put("invoice_id", 20_000 + r.nextInt(10_000));
                b.put("amount", String.format("%d.%02d", 20 + r.nextInt(2_000), r.nextInt(100)));
                b.put("method", List.of("check", "credit_card", "ach").get(r.nextInt(3)));
                b.put("reference", "PMT" + String.format("%07d", r.nextInt(10_000_000)));
                b.put("created_at", created);
                b.put("updated_at", updated);
            }
            default -> {
                b.put("id", id);
                b.put("updated_at", updated);
            }
        }
        return b;
    }

    /** The body as UTF-8 JSON bytes: what CoreOne signs with {@code X-Coreone-Webhook-Hash}. */
    public static byte[] bytes(JsonNode body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JsonNode always serializes", e);
        }
    }
}
