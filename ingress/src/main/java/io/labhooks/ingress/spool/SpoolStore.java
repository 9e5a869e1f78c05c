package io.labhooks.ingress.spool;

import io.labhooks.config.SpoolConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.CompressionType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingress's durable local spool: a RocksDB database in {@code ingress.spool.dir}, written with
 * {@code sync=true}, so an append returns only once the record is in the fsync'd, checksummed write-ahead log
 * (concurrent appends share one fsync: RocksDB's group commit). Crash recovery is RocksDB's WAL replay.
 *
 * <p>Key layout: an 8-byte big-endian sequence number, so that RocksDB's byte order is arrival order. The next
 * sequence is recovered on open from the last key. Value: {@link SpoolRecord#encode()}.
 *
 * <p>Readers ({@link #read}) see only a prefix without gaps: a sequence number handed out to an append that has
 * not committed yet hides every later record, so the forwarder never moves past a record still being written.
 *
 * <p>A write that fails (full disk, I/O error) marks the store failed; the next append closes and reopens the
 * database (at most once every {@value #REOPEN_INTERVAL_MS} ms), which clears RocksDB's background error once
 * there is room again. {@code spool.max-bytes} bounds the stored bytes (keys and values as written, not the
 * files: the WAL and SST files with their compaction overhead can take up to about twice as much disk).
 */
public final class SpoolStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolStore.class);
    static final int KEY_BYTES = 8;
    private static final long REOPEN_INTERVAL_MS = 500;

    static {
        RocksDB.loadLibrary();
    }

    /** One stored record and its sequence number; {@code size} is what it counts against max-bytes. */
    public record Entry(long seq, SpoolRecord record, long size) {
    }

    private final Path dir;
    private final long maxBytes;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final WriteOptions syncWrites = new WriteOptions().setSync(true);
    /**
     * Deletes are not synced themselves: the next synced append syncs the WAL with them. A crash can forget the
     * last deletes, and those records are then forwarded again: duplicates in raw, never a loss.
     */
    private final WriteOptions deletes = new WriteOptions().setSync(false);
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    /** No key below this exists (seqs only grow); moved up lazily by readers to skip deleted keys. */
    private final AtomicLong lowWater = new AtomicLong();
    /** Guarded by {@code this}: the next sequence and the appends that hold one but have not committed. */
    private long nextSeq;
    private final TreeSet<Long> pending = new TreeSet<>();
    private Options options;
    private RocksDB db;
    private volatile boolean failed;
    private volatile boolean closed;
    private volatile long lastReopenNanos;

    private SpoolStore(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    /**
     * Opens (or creates) the spool and recovers what a previous run left.
     *
     * @throws SpoolException.Locked      if another process or store holds the directory
     * @throws SpoolException.Unavailable if the directory cannot be created or RocksDB cannot open it
     */
    public static SpoolStore open(SpoolConfig config) throws SpoolException {
        Path dir = config.dir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SpoolException.Unavailable("cannot create the spool directory " + dir + ": " + e, e);
        }
        SpoolStore s = new SpoolStore(dir, config.maxBytes());
        s.lock.writeLock().lock();
        try {
            s.openDb();
        } finally {
            s.lock.writeLock().unlock();
        }
        if (s.records.get() > 0) {
            LOG.info("spool {}: recovered {} records ({} bytes) from a previous run; forwarding them", dir, s.records.get(),
                    s.bytes.get());
        } else {
            LOG.info("spool {}: empty (max {} bytes)", dir, s.maxBytes);
        }
        return s;
    }

    /** Opens the database and recounts it. Caller holds the write lock. */
    private void openDb() throws SpoolException {
        Options o = new Options().setCreateIfMissing(true)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setWriteBufferSize(16L << 20)
                .setMaxTotalWalSize(64L << 20)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setMaxLogFileSize(1L << 20)
                .setKeepLogFileNum(2);
        RocksDB opened;
        try {
            opened = RocksDB.open(o, dir.toString());
        } catch (RocksDBException e) {
            o.close();
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("LOCK") || msg.toLowerCase(java.util.Locale.ROOT).contains("lock hold")) {
                throw new SpoolException.Locked("the spool directory " + dir + " is in use by another process (its RocksDB "
                        + "LOCK file is held): run one ingress per spool directory, or give this one its own ingress.spool.dir ("
                        + msg + ")", e);
            }
            throw new SpoolException.Unavailable("cannot open the spool in " + dir + ": " + msg, e);
        }
        long n = 0;
        long b = 0;
        long first = -1;
        long last = -1;
        try (RocksIterator it = opened.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                long seq = seqOf(it.key());
                if (first < 0) {
                    first = seq;
                }
                last = seq;
                n++;
                b += KEY_BYTES + it.value().length;
            }
            it.status();
        } catch (RocksDBException e) {
            opened.close();
            o.close();
            throw new SpoolException.Unavailable("cannot read the spool in " + dir + ": " + e.getMessage(), e);
        }
        this.options = o;
        this.db = opened;
        records.set(n);
        bytes.set(b);
        lowWater.set(Math.max(lowWater.get(), Math.max(first, 0)));
        synchronized (this) {
            nextSeq = Math.max(nextSeq, last + 1);
        }
        failed = false;
    }

    public Path dir() {
        return dir;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Records stored (committed appends not yet deleted). */
    public long records() {
        return records.get();
    }

    public long bytes() {
        return bytes.get();
    }

    /** RocksDB's memory outside the Java heap, by what holds it; see {@link #nativeMemoryBytes}. */
    public enum NativeMemory {
        /** The write buffers: records appended since the last flush to an SST file ({@code rocksdb.cur-size-all-mem-tables}). */
        MEMTABLES("rocksdb.cur-size-all-mem-tables"),
        /** Index and filter blocks of the open SST files ({@code rocksdb.estimate-table-readers-mem}). */
        TABLE_READERS("rocksdb.estimate-table-readers-mem"),
        /** Data blocks cached for reads, the forwarder's ({@code rocksdb.block-cache-usage}). */
        BLOCK_CACHE("rocksdb.block-cache-usage");

        private final String property;

        NativeMemory(String property) {
            this.property = property;
        }

        /** The label value: {@code memtables}, {@code table_readers}, {@code block_cache}. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * What RocksDB reports holding of {@code kind} right now, in bytes (native memory, not bounded by {@code -Xmx});
     * 0 while the store is closed or reopening.
     *
     * @throws SpoolException.Unavailable if RocksDB cannot answer
     */
    public long nativeMemoryBytes(NativeMemory kind) throws SpoolException {
        if (!lock.readLock().tryLock()) {
            return 0; // being reopened or closed: the database's memory is being released
        }
        try {
            if (closed || db == null) {
                return 0;
            }
            return db.getLongProperty(kind.property);
        } catch (RocksDBException e) {
            throw new SpoolException.Unavailable("cannot read " + kind.property + " of the spool in " + dir + ": " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** True unless the last write failed and the store has not recovered yet, or it is closed. */
    public boolean writable() {
        return !closed && !failed;
    }

    /** True if a record of {@code size} bytes fits under max-bytes now. */
    public boolean hasRoom(long size) {
        return bytes.get() + size <= maxBytes;
    }

    /**
     * Stores one record durably (fsync'd) and returns its sequence number.
     *
     * @throws SpoolException.Full        if it does not fit under max-bytes
     * @throws SpoolException.Unavailable if it cannot be written (the store tries to recover on the next append)
     */
    public long append(SpoolRecord record) throws SpoolException {
        return append(record, null);
    }

    /**
     * As {@link #append(SpoolRecord)}; {@code onSeq} (if not null) gets the sequence number before the record can be
     * read, so that a reader never sees the record before the caller registered it.
     */
    public long append(SpoolRecord record, java.util.function.LongConsumer onSeq) throws SpoolException {
        byte[] value = record.encode();
        long size = KEY_BYTES + value.length;
        if (bytes.addAndGet(size) > maxBytes) {
            bytes.addAndGet(-size);
            throw new SpoolException.Full("spool full: " + bytes.get() + " of " + maxBytes + " bytes used, record of " + size
                    + " bytes refused");
        }
        boolean committed = false;
        try {
            if (failed) {
                recover();
            }
            lock.readLock().lock();
            try {
                RocksDB d = requireOpen();
                long seq;
                synchronized (this) {
                    seq = nextSeq++;
                    pending.add(seq);
                }
                if (onSeq != null) {
                    onSeq.accept(seq);
                }
                try {
                    d.put(syncWrites, key(seq), value);
                    committed = true;
                    records.incrementAndGet();
                    return seq;
                } catch (RocksDBException e) {
                    failed = true;
                    throw new SpoolException.Unavailable("cannot write to the spool in " + dir + ": " + e.getMessage(), e);
                } finally {
                    synchronized (this) {
                        pending.remove(seq);
                    }
                }
            } finally {
                lock.readLock().unlock();
            }
        } finally {
            if (!committed) {
                bytes.addAndGet(-size);
            }
        }
    }

    private RocksDB requireOpen() throws SpoolException.Unavailable {
        if (closed) {
            throw new SpoolException.Unavailable("the spool in " + dir + " is closed", null);
        }
        if (db == null) {
            throw new SpoolException.Unavailable("the spool in " + dir + " could not be reopened after a failed write", null);
        }
        return db;
    }

    /** After a failed write: close and reopen the database, which clears RocksDB's background error. */
    private void recover() {
        long now = System.nanoTime();
        if (now - lastReopenNanos < TimeUnit.MILLISECONDS.toNanos(REOPEN_INTERVAL_MS)) {
            return;
        }
        lock.writeLock().lock();
        try {
            if (!failed || closed) {
                return;
            }
            lastReopenNanos = now;
            closeDb();
            try {
                openDb();
                LOG.info("spool {}: writable again ({} records)", dir, records.get());
            } catch (SpoolException e) {
                LOG.warn("spool {}: still not writable: {}", dir, e.getMessage());
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The highest sequence a reader may see: below every append still in progress. */
    private synchronized long horizon() {
        return pending.isEmpty() ? nextSeq : pending.first();
    }

    /**
     * Reads up to {@code maxRecords} records (and about {@code maxBytes}; at least one) in arrival order, starting at
     * sequence {@code from}.
     */
    public List<Entry> read(long from, int maxRecords, long maxBytes) throws SpoolException {
        long horizon = horizon();
        lock.readLock().lock();
        try {
            RocksDB d = requireOpen();
            long start = Math.max(from, lowWater.get());
            List<Entry> out = new ArrayList<>();
            long total = 0;
            try (ReadOptions ro = new ReadOptions(); RocksIterator it = d.newIterator(ro)) {
                for (it.seek(key(start)); it.isValid() && out.size() < maxRecords && total < maxBytes; it.next()) {
                    long seq = seqOf(it.key());
                    if (seq >= horizon) {
                        break;
                    }
                    if (out.isEmpty() && from <= lowWater.get()) {
                        lowWater.accumulateAndGet(seq, Math::max);
                    }
                    byte[] v = it.value();
                    out.add(new Entry(seq, decode(seq, v), KEY_BYTES + v.length));
                    total += KEY_BYTES + v.length;
                }
                it.status();
            } catch (RocksDBException e) {
                throw new SpoolException.Unavailable("cannot read the spool in " + dir + ": " + e.getMessage(), e);
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    private SpoolRecord decode(long seq, byte[] v) {
        try {
            return SpoolRecord.decode(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("spool " + dir + ": record " + seq + " cannot be decoded: " + e.getMessage(), e);
        }
    }

    /** The receipt time of the oldest record, if any. */
    public OptionalLong oldestTimestamp() {
        if (records.get() == 0 || closed) {
            return OptionalLong.empty();
        }
        long horizon = horizon();
        lock.readLock().lock();
        try {
            if (db == null || closed) {
                return OptionalLong.empty();
            }
            try (RocksIterator it = db.newIterator()) {
                it.seek(key(lowWater.get()));
                if (!it.isValid()) {
                    return OptionalLong.empty();
                }
                long seq = seqOf(it.key());
                if (seq < horizon) {
                    lowWater.accumulateAndGet(seq, Math::max);
                }
                return OptionalLong.of(SpoolRecord.timestampOf(it.value()));
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Deletes records that Kafka acknowledged (one batch, not synced by itself; see {@link #deletes}). */
    public void delete(Collection<Entry> entries) throws SpoolException {
        if (entries.isEmpty()) {
            return;
        }
        lock.readLock().lock();
        try {
            RocksDB d = requireOpen();
            long size = 0;
            try (WriteBatch batch = new WriteBatch()) {
                for (Entry e : entries) {
                    batch.delete(key(e.seq()));
                    size += e.size();
                }
                d.write(deletes, batch);
            } catch (RocksDBException e) {
                failed = true;
                throw new SpoolException.Unavailable("cannot delete from the spool in " + dir + ": " + e.getMessage(), e);
            }
            records.addAndGet(-entries.size());
            bytes.addAndGet(-size);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Compacts away the tombstones of forwarded records (after a drain). */
    public void compact() throws SpoolException {
        lock.readLock().lock();
        try {
            requireOpen().compactRange();
        } catch (RocksDBException e) {
            throw new SpoolException.Unavailable("cannot compact the spool in " + dir + ": " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    static byte[] key(long seq) {
        return ByteBuffer.allocate(KEY_BYTES).putLong(seq).array();
    }

    static long seqOf(byte[] key) {
        return ByteBuffer.wrap(key).getLong();
    }

    private void closeDb() {
        if (db != null) {
            db.close();
            db = null;
        }
        if (options != null) {
            options.close();
            options = null;
        }
    }

    /** Closes the database; waits for running reads and writes. Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeDb();
            syncWrites.close();
            deletes.close();
        } finally {
            lock.writeLock().unlock();
        }
        LOG.info("spool {}: closed with {} records ({} bytes) left", dir, records.get(), bytes.get());
    }

    @Override
    public String toString() {
        return "SpoolStore[" + dir + ", " + records.get() + " records, " + bytes.get() + "/" + maxBytes + " bytes]";
    }
}
