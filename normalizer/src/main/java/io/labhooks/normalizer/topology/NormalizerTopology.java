package io.labhooks.normalizer.topology;

import io.labhooks.config.LabhooksConfig;
import io.labhooks.config.SourceConfig;
import io.labhooks.normalizer.NormalizerMetrics;
import io.labhooks.normalizer.adapter.VendorAdapter;
import io.labhooks.schemas.Topics;
import io.labhooks.schemas.events.EventCodec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The normalizer's Streams topology, as a pure function of the config:
 * {@code raw → parse (adapter per source) → DLQ | repartition by entity key → dedupe → events (+ entities if advanced;
 * for LML and Flabs the merged entity state, also when a late lower-rank event added fields)}.
 */
public final class NormalizerTopology {
    /** The dedupe store; its changelog is {@code <application-id>-labhooks-dedupe-changelog}. */
    public static final String STORE = "labhooks-dedupe";
    /** The repartition topic is {@code <application-id>-by-entity-repartition}. */
    public static final String REPARTITION = "by-entity";
    public static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

    private NormalizerTopology() {
    }

    public static Topology buildTopology(LabhooksConfig config, Function<SourceConfig, VendorAdapter> adapters,
                                         NormalizerMetrics metrics) {
        EventCodec codec = new EventCodec();
        Map<String, SourceConfig> sources = new LinkedHashMap<>();
        config.sources().forEach(s -> sources.put(s.id(), s));
        Duration retention = config.normalizer().dedupeRetention();
        Duration purgeEvery = retention.compareTo(PURGE_INTERVAL) < 0 ? retention : PURGE_INTERVAL;

        StreamsBuilder b = new StreamsBuilder();
        b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.ByteArray())
                .withLoggingEnabled(Map.of()));

        Map<String, KStream<String, Parsed>> parsed = b.stream(Topics.RAW, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("raw"))
                .process(() -> new ParseProcessor(sources, adapters, metrics, codec), Named.as("parse"))
                .split(Named.as("parsed-"))
                .branch((k, v) -> v.rejected(), Branched.as("dlq"))
                .defaultBranch(Branched.as("events"));

        parsed.get("parsed-dlq").mapValues(Parsed::bytes, Named.as("dlq-bytes"))
                .to(Topics.DLQ, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("dlq"));

        KStream<String, Deduped> deduped = parsed.get("parsed-events").mapValues(Parsed::bytes, Named.as("event-bytes"))
                .repartition(Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName(REPARTITION))
                .process(() -> new DedupeProcessor(STORE, retention, purgeEvery, metrics, codec), Named.as("dedupe"), STORE);

        deduped.mapValues(Deduped::bytes, Named.as("events-bytes"))
                .to(Topics.EVENTS, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("events"));
        deduped.filter((k, v) -> v.entityBytes() != null, Named.as("advanced"))
                .mapValues(Deduped::entityBytes, Named.as("entities-bytes"))
                .to(Topics.ENTITIES, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("entities"));
        return b.build();
    }
}
