package io.labhooks.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates canonical events against the JSON Schemas in {@code contracts/src/main/resources/schemas/} (on the classpath from labhooks-contracts).
 * The family schema of an event is {@code {vendor}.{entitytype}.schema.json}, else {@code {vendor}.schema.json},
 * else {@code generic.schema.json}.
 */
public final class EventSchemas {
    private static final String BASE = "https://labhooks.io/schemas/";
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.schemaMappers(m -> m.mapPrefix(BASE, "classpath:schemas/")));
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private final Map<String, JsonSchema> cache = new ConcurrentHashMap<>();

    /** The schema file name for an event's vendor and entity type. */
    public String familyOf(String vendor, String entityType) {
        for (String name : List.of(vendor + "." + entityType + ".schema.json", vendor + ".schema.json")) {
            if (EventSchemas.class.getResource("/schemas/" + name) != null) {
                return name;
            }
        }
        return "generic.schema.json";
    }

    /** Problems of an event (as CloudEvents JSON) against its family schema; empty when valid. */
    public Set<ValidationMessage> validate(JsonNode event) {
        String family = familyOf(event.path("labhooksvendor").asText(), event.path("labhooksentitytype").asText());
        JsonSchema schema = cache.computeIfAbsent(family, f -> factory.getSchema(SchemaLocation.of(BASE + f), config));
        return schema.validate(event);
    }
}
