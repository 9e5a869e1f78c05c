package io.labhooks.sink.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventCodec;
import io.labhooks.sink.Warehouse;
import io.labhooks.sink.write.CommitHook;
import io.labhooks.sink.write.EntityRow;
import io.labhooks.sink.write.RejectedRecordException;
import io.labhooks.sink.write.RowMapper;
import io.labhooks.sink.write.WarehouseWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-derives the warehouse rows of one vendor from what the warehouse already stores, so that fields added to the
 * normalizer after the rows were written (e.g. verdicts, report units, category info fields) appear without
 * replaying Kafka:
 * <ol>
 *   <li>each {@code lab_events} row of the vendor: its stored CloudEvent goes through {@code rederive} (the cli
 *       re-runs the vendor's adapter on {@code data.vendor_payload}); where the data changed, the payload is
 *       rewritten (same event id, same envelope);</li>
 *   <li>each {@code lab_entities} row of the vendor whose {@code last_event_id} has a {@code lab_events} row: its
 *       state, {@code lab_results} and {@code lab_result_categories} are rewritten from that (rebuilt) event, at
 *       the same version.</li>
 * </ol>
 * Idempotent: a second run changes nothing. The sink may run meanwhile: every step is a transaction, and a row the
 * sink advanced meanwhile is left alone (the entity update requires the same version). Entities whose last event
 * is not in {@code lab_events} are counted and left as they are.
 */
public final class WarehouseRebuild {
    private static final Logger LOG = LoggerFactory.getLogger(WarehouseRebuild.class);
    private static final int PAGE = 500;

    /**
     * What a rebuild did.
     *
     * @param events          lab_events rows of the vendor read
     * @param eventsRewritten of those, whose payload changed
     * @param entities        entity rows rewritten (with their results and categories)
     * @param entitiesSkipped entity rows left alone (their last event is not in lab_events, or not re-derivable)
     */
    public record Result(int events, int eventsRewritten, int entities, int entitiesSkipped) {
    }

    private final Warehouse warehouse;
    private final EventCodec codec;
    private final RowMapper rows;
    private final WarehouseWriter writer;

    public WarehouseRebuild(Warehouse warehouse, EventCodec codec, Clock clock) {
        this.warehouse = Objects.requireNonNull(warehouse, "warehouse");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.rows = new RowMapper(codec);
        this.writer = new WarehouseWriter(warehouse.dataSource(), warehouse.dialect(), CommitHook.NONE, clock);
    }

    /**
     * @param vendor   e.g. {@code confident}
     * @param rederive the stored event with freshly derived data, or empty to leave it as it is
     */
    public Result run(String vendor, Function<CanonicalEvent, Optional<CanonicalEvent>> rederive) throws SQLException {
        int events = 0;
        int rewritten = 0;
        String after = "";
        while (true) {
            List<String[]> page = page("SELECT event_id, payload FROM lab_events WHERE vendor = ? AND event_id > ? "
                    + "ORDER BY event_id LIMIT " + PAGE, vendor, after);
            if (page.isEmpty()) {
                break;
            }
            List<String[]> updates = new ArrayList<>();
            for (String[] row : page) {
                events++;
                after = row[0];
                byte[] storedBytes = row[1].getBytes(StandardCharsets.UTF_8);
                Optional<CanonicalEvent> fresh = rederive.apply(codec.read(storedBytes));
                if (fresh.isPresent()) {
                    byte[] freshBytes = codec.write(fresh.get());
                    // compared as parsed trees: the database may reorder keys (jsonb) and numbers read back alike
                    if (!tree(freshBytes).equals(tree(storedBytes))) {
                        updates.add(new String[] {new String(freshBytes, StandardCharsets.UTF_8), row[0]});
                    }
                }
            }
            rewritten += update("UPDATE lab_events SET payload = " + warehouse.dialect().jsonParameter()
                    + " WHERE event_id = ?", updates);
        }
        int entities = 0;
        int skipped = 0;
        after = "";
        while (true) {
            List<String[]> page = page("SELECT n.entity_key, e.payload FROM lab_entities n LEFT JOIN lab_events e "
                    + "ON e.event_id = n.last_event_id WHERE n.vendor = ? AND n.entity_key > ? ORDER BY n.entity_key LIMIT "
                    + PAGE, vendor, after);
            if (page.isEmpty()) {
                break;
            }
            List<EntityRow> entityRows = new ArrayList<>();
            for (String[] row : page) {
                after = row[0];
                if (row[1] == null) {
                    skipped++;
                    continue;
                }
                CanonicalEvent event = codec.read(row[1].getBytes(StandardCharsets.UTF_8));
                try {
                    entityRows.add(rows.entityRow(event));
                } catch (RejectedRecordException e) {
                    LOG.warn("rebuild: entity {} left as it is: {}", row[0], e.getMessage());
                    skipped++;
                }
            }
            writer.rewrite(entityRows);
            entities += entityRows.size();
        }
        Result r = new Result(events, rewritten, entities, skipped);
        LOG.info("rebuild of {}: {}", vendor, r);
        return r;
    }

    private JsonNode tree(byte[] json) {
        try {
            return codec.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored event that decoded once does not parse", e);
        }
    }

    private List<String[]> page(String sql, String vendor, String after) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Connection c = warehouse.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, vendor);
            ps.setString(2, after);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        return out;
    }

    private int update(String sql, List<String[]> params) throws SQLException {
        if (params.isEmpty()) {
            return 0;
        }
        try (Connection c = warehouse.dataSource().getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (String[] p : params) {
                    ps.setString(1, p[0]);
                    ps.setString(2, p[1]);
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
        return params.size();
    }
}
