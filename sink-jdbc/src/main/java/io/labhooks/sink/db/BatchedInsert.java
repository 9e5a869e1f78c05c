package io.labhooks.sink.db;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/** {@link Dialect#insertAll}'s default: one batched {@code INSERT} with the dialect's parameters. */
final class BatchedInsert {
    private BatchedInsert() {
    }

    static int insertAll(Dialect dialect, Connection c, Table table, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        StringBuilder values = new StringBuilder();
        for (Table.Column col : table.columns()) {
            values.append(values.length() == 0 ? "" : ", ").append(switch (col.type()) {
                case JSON -> dialect.jsonParameter();
                case DATE -> dialect.dateParameter();
                default -> "?";
            });
        }
        List<Table.Column> columns = table.columns();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table.name() + " (" + table.columnList()
                + ") VALUES (" + values + ")")) {
            for (Object[] row : rows) {
                for (int i = 0; i < columns.size(); i++) {
                    Object v = row[i];
                    switch (columns.get(i).type()) {
                        case DECIMAL -> dialect.setDecimal(ps, i + 1, (BigDecimal) v);
                        case BOOLEAN -> {
                            if (v == null) {
                                ps.setNull(i + 1, Types.BOOLEAN);
                            } else {
                                ps.setBoolean(i + 1, (Boolean) v);
                            }
                        }
                        default -> ps.setString(i + 1, (String) v);
                    }
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return rows.size();
    }
}
