package io.labhooks.ingress.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.labhooks.config.SpoolConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * The spool against a model (a list of the records not yet acknowledged, in arrival order), in the spirit of
 * Vector's disk buffer model tests: appends, acks of the oldest records, acks of any records the forwarder got
 * acked, bounded forward reads, and reopen (recovery from the files alone). After every step, what the store holds
 * is exactly the model: the same records, in order, bytes and headers equal, with the same counts.
 */
class SpoolStoreStatefulTest {
    private final List<Sut> opened = new ArrayList<>();

    /** The store and its model. */
    static final class Sut {
        final Path dir;
        SpoolStore store;
        final List<SpoolRecord> model = new ArrayList<>();

        Sut(Path dir) {
            this.dir = dir;
            this.store = open();
        }

        SpoolStore open() {
            try {
                return SpoolStore.open(new SpoolConfig(dir, 1L << 30));
            } catch (SpoolException e) {
                throw new IllegalStateException(e);
            }
        }

        List<SpoolStore.Entry> all() {
            try {
                return store.read(0, Integer.MAX_VALUE, Long.MAX_VALUE);
            } catch (SpoolException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Property(tries = 25)
    void theSpoolHoldsExactlyWhatIsNotAcknowledgedInArrivalOrder(@ForAll("chains") ActionChain<Sut> chain) {
        chain.withInvariant("store equals model", sut -> {
            List<SpoolStore.Entry> all = sut.all();
            assertThat(all).extracting(SpoolStore.Entry::record).containsExactlyElementsOf(sut.model);
            assertThat(all).extracting(SpoolStore.Entry::seq).isSorted().doesNotHaveDuplicates();
            assertThat(sut.store.records()).isEqualTo(sut.model.size());
            assertThat(sut.store.bytes()).isEqualTo(all.stream().mapToLong(SpoolStore.Entry::size).sum());
            if (sut.model.isEmpty()) {
                assertThat(sut.store.oldestTimestamp()).isEmpty();
            } else {
                assertThat(sut.store.oldestTimestamp()).hasValue(sut.model.get(0).timestamp());
            }
        }).run();
    }

    @Provide
    Arbitrary<ActionChain<Sut>> chains() {
        return ActionChain.<Sut>startWith(() -> {
                    try {
                        Sut s = new Sut(Files.createTempDirectory("labhooks-spool-model-"));
                        opened.add(s);
                        return s;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .withAction(4, new Append())
                .withAction(2, new AckOldest())
                .withAction(2, new AckAny())
                .withAction(1, new ForwardRead())
                .withAction(1, new Reopen())
                .withMaxTransformations(30);
    }

    @AfterTry
    void cleanUp() throws IOException {
        for (Sut s : opened) {
            s.store.close();
            try (Stream<Path> walk = Files.walk(s.dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        opened.clear();
    }

    static Arbitrary<SpoolRecord> records() {
        Arbitrary<String> keys = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(36);
        Arbitrary<Long> ts = Arbitraries.longs().between(0, 4_102_444_800_000L);
        Arbitrary<SpoolRecord.Header> header = Combinators.combine(
                Arbitraries.strings().ofMinLength(1).ofMaxLength(30),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40).injectNull(0.1)).as(SpoolRecord.Header::new);
        Arbitrary<List<SpoolRecord.Header>> headers = header.list().ofMaxSize(6);
        Arbitrary<byte[]> bodies = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        return Combinators.combine(keys, ts, headers, bodies).as(SpoolRecord::new);
    }

    static final class Append implements Action.Independent<Sut> {
        @Override
        public Arbitrary<Transformer<Sut>> transformer() {
            return records().list().ofMinSize(1).ofMaxSize(5).map(rs -> Transformer.mutate("append " + rs.size(), sut -> {
                for (SpoolRecord r : rs) {
                    try {
                        sut.store.append(r);
                    } catch (SpoolException e) {
                        throw new IllegalStateException(e);
                    }
                    sut.model.add(r);
                }
            }));
        }
    }

    /** The forwarder got the oldest {@code n} acked. */
    static final class AckOldest implements Action.Dependent<Sut> {
        @Override
        public boolean precondition(Sut sut) {
            return !sut.model.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<Sut>> transformer(Sut state) {
            return Arbitraries.integers().between(1, state.model.size()).map(n -> Transformer.mutate("ack oldest " + n, sut -> {
                try {
                    sut.store.delete(sut.store.read(0, n, Long.MAX_VALUE));
                } catch (SpoolException e) {
                    throw new IllegalStateException(e);
                }
                sut.model.subList(0, n).clear();
            }));
        }
    }

    /** Some records of a batch were acked, others not (a retriable failure in between). */
    static final class AckAny implements Action.Dependent<Sut> {
        @Override
        public boolean precondition(Sut sut) {
            return !sut.model.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<Sut>> transformer(Sut state) {
            int size = state.model.size();
            return Arbitraries.integers().between(0, size - 1).set().ofMinSize(1).ofMaxSize(size)
                    .map(idx -> Transformer.mutate("ack " + idx, sut -> {
                        List<SpoolStore.Entry> all = sut.all();
                        List<SpoolStore.Entry> acked = new ArrayList<>();
                        List<SpoolRecord> keep = new ArrayList<>();
                        for (int i = 0; i < all.size(); i++) {
                            if (idx.contains(i)) {
                                acked.add(all.get(i));
                            } else {
                                keep.add(sut.model.get(i));
                            }
                        }
                        try {
                            sut.store.delete(acked);
                        } catch (SpoolException e) {
                            throw new IllegalStateException(e);
                        }
                        sut.model.clear();
                        sut.model.addAll(keep);
                    }));
        }
    }

    /** A bounded read (a forward batch) from any point returns the model's records from there, in order. */
    static final class ForwardRead implements Action.Dependent<Sut> {
        @Override
        public boolean precondition(Sut sut) {
            return !sut.model.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<Sut>> transformer(Sut state) {
            return Combinators.combine(Arbitraries.integers().between(0, state.model.size() - 1), Arbitraries.integers().between(1, 10),
                    Arbitraries.longs().between(1, 20_000)).as((from, max, bytes) -> Transformer.mutate(
                    "read from #" + from + " max " + max + " records " + bytes + " bytes", sut -> {
                        try {
                            long fromSeq = sut.all().get(from).seq();
                            List<SpoolStore.Entry> got = sut.store.read(fromSeq, max, bytes);
                            assertThat(got).isNotEmpty().hasSizeLessThanOrEqualTo(max);
                            assertThat(got).extracting(SpoolStore.Entry::record)
                                    .containsExactlyElementsOf(sut.model.subList(from, from + got.size()));
                        } catch (SpoolException e) {
                            throw new IllegalStateException(e);
                        }
                    }));
        }
    }

    /** Close and open again: everything not acked is recovered from the files, and new appends come after it. */
    static final class Reopen implements Action.Independent<Sut> {
        @Override
        public Arbitrary<Transformer<Sut>> transformer() {
            return Arbitraries.just(Transformer.mutate("reopen", sut -> {
                sut.store.close();
                sut.store = sut.open();
            }));
        }
    }
}
