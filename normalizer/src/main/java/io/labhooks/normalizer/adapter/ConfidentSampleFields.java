package io.labhooks.normalizer.adapter;

import static io.labhooks.normalizer.adapter.ConfidentValues.decimal;
import static io.labhooks.normalizer.adapter.ConfidentValues.putLong;
import static io.labhooks.normalizer.adapter.ConfidentValues.text;
import static io.labhooks.normalizer.adapter.ConfidentValues.timestampText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * The top-level fields of Confident's Sample Payload as {@code data} fields. A list or object of the wrong type
 * ({@code test_packages}, {@code test_types}, {@code images}, {@code cover_image}) is left empty and named in
 * {@code warnings}; it never fails the sample. Stateless.
 */
final class ConfidentSampleFields {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ConfidentSampleFields() {
    }

    static void put(ObjectNode s, String id, Instant lastModified, ZoneId zone, ObjectNode d, List<String> warnings) {
        d.put("sample_id", id);
        d.put("order_id", text(s.get("order_id")));
        putLong(d, "client_id", s.get("client_id"));
        putLong(d, "order_status_id", s.get("order_status_id"));
        String orderStatusName = text(s.get("order_status_name"));
        d.put("order_status_name", orderStatusName);
        d.put("status", orderStatusName);
        d.put("sample_name", text(s.get("sample_name")));
        d.put("strain_name", text(s.get("strain_name")));
        putLong(d, "sample_type_id", s.get("sample_type_id"));
        d.put("sample_type_name", text(s.get("sample_type_name")));
        putLong(d, "sample_category_id", s.get("sample_category_id"));
        d.put("sample_category_name", text(s.get("sample_category_name")));
        putLong(d, "production_method_id", s.get("production_method_id"));
        d.put("production_method_name", text(s.get("production_method_name")));
        d.set("test_packages", list(s, "test_packages", warnings, "id", "name"));
        d.put("last_modified", lastModified.toString());
        d.set("initial_weight", decimal(s.get("initial_weight")));
        d.put("initial_weight_unit", text(s.get("initial_weight_unit")));
        d.set("test_types", list(s, "test_types", warnings, "id", "name", "abbreviation"));
        d.set("cover_image", image(s.get("cover_image"), "cover_image", warnings));
        ArrayNode images = NODES.arrayNode();
        JsonNode imagesNode = s.get("images");
        if (imagesNode != null && !imagesNode.isNull()) {
            if (!imagesNode.isArray()) {
                warnings.add("images is not a list: ignored");
            } else {
                int i = 0;
                for (JsonNode image : imagesNode) {
                    JsonNode img = image.isNull() ? null : image(image, "images[" + i + "]", warnings);
                    if (img != null && !img.isNull()) {
                        images.add(img);
                    }
                    i++;
                }
            }
        }
        d.set("images", images);
        d.put("notes", text(s.get("notes")));
        d.put("batch_id", text(s.get("batch_id")));
        d.set("batch_size", decimal(s.get("batch_size")));
        d.put("batch_size_unit", text(s.get("batch_size_unit")));
        d.put("lot_id", text(s.get("lot_id")));
        d.set("lot_size", decimal(s.get("lot_size")));
        d.put("lot_size_unit", text(s.get("lot_size_unit")));
        d.put("production_run_id", text(s.get("production_run_id")));
        d.set("production_run_size", decimal(s.get("production_run_size")));
        d.put("production_run_size_unit", text(s.get("production_run_size_unit")));
        d.put("regulator_sample_id", text(s.get("regulator_sample_id")));
        d.put("manifest_id", text(s.get("manifest_id")));
        d.put("regulator_batch_id", text(s.get("regulator_batch_id")));
        d.put("regulator_lot_id", text(s.get("regulator_lot_id")));
        d.put("regulator_sample_id2", text(s.get("regulator_sample_id2")));
        d.put("regulator_batch_id2", text(s.get("regulator_batch_id2")));
        d.put("harvest_id", text(s.get("harvest_id")));
        d.put("production_date", timestampText(s.get("production_date"), zone));
        d.put("date_samples_collected", timestampText(s.get("date_samples_collected"), zone));
        d.put("public_url", text(s.get("public_url")));
        d.set("units_per_serving", decimal(s.get("units_per_serving")));
        d.set("servings_per_container", decimal(s.get("servings_per_container")));
        d.put("unit_description", text(s.get("unit_description")));
        d.put("container_description", text(s.get("container_description")));
        putLong(d, "regulatory_category_id", s.get("regulatory_category_id"));
        d.put("solvents_used", text(s.get("solvents_used")));
    }

    /** A list of small objects, such as {@code test_packages}: ids as integers, the other fields as text. */
    private static ArrayNode list(ObjectNode s, String field, List<String> warnings, String idField, String... textFields) {
        ArrayNode out = NODES.arrayNode();
        JsonNode n = s.get(field);
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            warnings.add(field + " is not a list: ignored");
            return out;
        }
        int i = 0;
        for (JsonNode item : n) {
            if (item.isObject()) {
                ObjectNode o = out.addObject();
                putLong(o, idField, item.get(idField));
                for (String t : textFields) {
                    o.put(t, text(item.get(t)));
                }
            } else if (!item.isNull()) {
                warnings.add(field + "[" + i + "] is not an object: ignored");
            }
            i++;
        }
        return out;
    }

    private static JsonNode image(JsonNode n, String where, List<String> warnings) {
        if (n == null || n.isNull()) {
            return NODES.nullNode();
        }
        if (!n.isObject()) {
            warnings.add(where + " is not an object: ignored");
            return NODES.nullNode();
        }
        ObjectNode o = NODES.objectNode();
        o.put("filename", text(n.get("filename")));
        o.put("public_key", text(n.get("public_key")));
        o.put("url", text(n.get("url")));
        return o;
    }
}
