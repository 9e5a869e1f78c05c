package io.labhooks.ingress.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.labhooks.config.SpoolConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolStoreTest {
    @TempDir
    Path tmp;

    static SpoolRecord record(String key, long ts, byte[] body) {
        return new SpoolRecord(key, ts, List.of(new SpoolRecord.Header("labhooks.source", "s1".getBytes(StandardCharsets.UTF_8)),
                new SpoolRecord.Header("X-Coreone-Webhook-Type", "client/update".getBytes(StandardCharsets.UTF_8)),
                new SpoolRecord.Header("empty", new byte[0]), new SpoolRecord.Header("null", null)), body);
    }

    SpoolConfig config(long maxBytes) {
        return new SpoolConfig(tmp.resolve("spool"), maxBytes);
    }

    @Test
    void appendReadDeleteInArrivalOrder() throws Exception {
        try (SpoolStore s = SpoolStore.open(config(1L << 20))) {
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                seqs.add(s.append(record("k" + i, 1000 + i, ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8))));
            }
            assertThat(seqs).isSorted().doesNotHaveDuplicates();
            assertThat(s.records()).isEqualTo(300);
            assertThat(s.oldestTimestamp()).hasValue(1000);
            List<SpoolStore.Entry> first = s.read(0, 100, Long.MAX_VALUE);
            assertThat(first).extracting(e -> e.record().key()).first().isEqualTo("k0");
            assertThat(first).hasSize(100).extracting(SpoolStore.Entry::seq).isSorted();
            s.delete(first);
            assertThat(s.records()).isEqualTo(200);
            assertThat(s.oldestTimestamp()).hasValue(1100);
            List<SpoolStore.Entry> rest = s.read(0, 1000, Long.MAX_VALUE);
            assertThat(rest).hasSize(200).extracting(e -> e.record().key()).startsWith("k100").endsWith("k299");
            assertThat(s.read(0, 1000, 1)).as("at least one record, even over the byte bound").hasSize(1);
            s.delete(rest);
            assertThat(s.records()).isZero();
            assertThat(s.bytes()).isZero();
            assertThat(s.oldestTimestamp()).isEmpty();
            assertThat(s.read(0, 10, Long.MAX_VALUE)).isEmpty();
        }
    }

    @Test
    void reportsRocksDbNativeMemoryByKindAndNothingOnceClosed() throws Exception {
        SpoolStore s = SpoolStore.open(config(64L << 20));
        try {
            long emptyMemtables = s.nativeMemoryBytes(SpoolStore.NativeMemory.MEMTABLES);
            byte[] body = new byte[10_000];
            java.util.Arrays.fill(body, (byte) 'x');
            for (int i = 0; i < 200; i++) {
                s.append(record("k" + i, i, body));
            }
            assertThat(s.nativeMemoryBytes(SpoolStore.NativeMemory.MEMTABLES))
                    .as("2 MB appended sit in the write buffer until a flush").isGreaterThan(emptyMemtables + 1_000_000);
            s.compact(); // flushes the memtable into an SST file, which then has a table reader
            assertThat(s.nativeMemoryBytes(SpoolStore.NativeMemory.TABLE_READERS)).isPositive();
            assertThat(s.read(0, 200, Long.MAX_VALUE)).hasSize(200);
            assertThat(s.nativeMemoryBytes(SpoolStore.NativeMemory.BLOCK_CACHE)).as("the read's data blocks").isPositive();
        } finally {
            s.close();
        }
        for (SpoolStore.NativeMemory kind : SpoolStore.NativeMemory.values()) {
            assertThat(s.nativeMemoryBytes(kind)).as(kind.id()).isZero();
        }
    }

    @Test
    void reopenRecoversEveryRecordExactlyAndContinuesTheSequence() throws Exception {
        byte[] binary = new byte[4096];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 31);
        }
        SpoolRecord a = record("a", 1, "{\"a\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8));
        SpoolRecord b = record("b", 2, binary);
        long lastSeq;
        long bytes;
        try (SpoolStore s = SpoolStore.open(config(1L << 20))) {
            s.append(a);
            lastSeq = s.append(b);
            bytes = s.bytes();
        }
        try (SpoolStore s = SpoolStore.open(config(1L << 20))) {
            assertThat(s.records()).isEqualTo(2);
            assertThat(s.bytes()).isEqualTo(bytes);
            List<SpoolStore.Entry> got = s.read(0, 10, Long.MAX_VALUE);
            assertThat(got).extracting(SpoolStore.Entry::record).containsExactly(a, b);
            assertThat(got.get(1).record().body()).isEqualTo(binary);
            assertThat(got.get(0).record().headers()).isEqualTo(a.headers());
            assertThat(s.append(a)).isGreaterThan(lastSeq);
        }
    }

    @Test
    void fullSpoolRefusesWithFullAndTakesRecordsAgainOnceDrained() throws Exception {
        try (SpoolStore s = SpoolStore.open(config(1L << 20))) {
            byte[] body = new byte[100_000];
            int stored = 0;
            assertThatThrownBy(() -> {
                for (int i = 0; i < 20; i++) {
                    s.append(record("k" + i, i, body));
                }
            }).isInstanceOf(SpoolException.Full.class).hasMessageContaining("spool full");
            stored = (int) s.records();
            assertThat(stored).isEqualTo(10);
            assertThat(s.bytes()).isLessThanOrEqualTo(1L << 20);
            s.delete(s.read(0, 1, Long.MAX_VALUE));
            s.append(record("again", 0, body));
            assertThat(s.records()).isEqualTo(stored);
        }
    }

    @Test
    void aSecondStoreOnTheSameDirectoryInThisProcessGetsAClearError() throws Exception {
        try (SpoolStore s = SpoolStore.open(config(1L << 20))) {
            assertThatThrownBy(() -> SpoolStore.open(config(1L << 20)))
                    .isInstanceOf(SpoolException.Locked.class)
                    .hasMessageContaining(s.dir().toString()).hasMessageContaining("in use by another process");
        }
    }

    @Test
    void anotherProcessHoldingTheLockGivesAClearErrorNamingTheDirectory() throws Exception {
        Path dir = tmp.resolve("spool");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SpoolLockHolder.class.getName(),
                dir.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine(); // the child's log lines come first
            } while (line != null && !line.startsWith("LOCKED"));
            assertThat(line).as("the child opened the spool").isNotNull();
            assertThatThrownBy(() -> SpoolStore.open(config(1L << 20)))
                    .isInstanceOf(SpoolException.Locked.class)
                    .hasMessageContaining(dir.toAbsolutePath().toString())
                    .hasMessageContaining("LOCK");
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        // once the other process is gone, the spool opens
        try (SpoolStore s = SpoolStore.open(config(1L << 20))) {
            assertThat(s.records()).isZero();
        }
    }

    @Test
    void aFullDiskMakesAppendsFailAndTheyRecoverWhenSpaceReturns() throws Exception {
        Path mnt = Files.createDirectories(tmp.resolve("tmpfs"));
        org.junit.jupiter.api.Assumptions.assumeTrue(Tmpfs.mount(mnt, "2m"), "cannot mount a tmpfs here (not root?)");
        try {
            try (SpoolStore s = SpoolStore.open(new SpoolConfig(mnt.resolve("spool"), 1L << 30))) {
                byte[] body = new byte[64 * 1024];
                SpoolException failure = null;
                int stored = 0;
                for (int i = 0; i < 200 && failure == null; i++) {
                    try {
                        s.append(record("k" + i, i, body));
                        stored++;
                    } catch (SpoolException.Unavailable e) {
                        failure = e;
                    }
                }
                assertThat(failure).as("a 2 MiB disk fills up").isNotNull();
                assertThat(failure.getMessage()).contains("cannot write to the spool");
                assertThat(s.writable()).isFalse();
                assertThat(s.records()).isEqualTo(stored);
                Tmpfs.resize(mnt, "64m");
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                        .until(() -> s.append(record("after", 1, body)) >= 0);
                assertThat(s.writable()).isTrue();
                List<SpoolStore.Entry> all = s.read(0, 1000, Long.MAX_VALUE);
                assertThat(all).extracting(e -> e.record().key()).contains("after");
                assertThat(all.size()).isGreaterThanOrEqualTo(stored + 1);
            }
        } finally {
            Tmpfs.unmount(mnt);
        }
    }
}
