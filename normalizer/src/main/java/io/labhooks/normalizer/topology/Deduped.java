package io.labhooks.normalizer.topology;

/**
 * The dedupe step's output: the event JSON with {@code labhookshwmadvanced} set, for {@code labhooks.events.v1};
 * and what goes to {@code labhooks.entities.v1}, or null: the event itself when it advanced its entity, or for
 * LML and Flabs the entity's merged state (also after a late event of lower rank that added fields).
 */
record Deduped(boolean advanced, byte[] bytes, byte[] entityBytes) {
}
