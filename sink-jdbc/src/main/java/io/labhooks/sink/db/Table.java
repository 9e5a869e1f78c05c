package io.labhooks.sink.db;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A table that rows are appended to with {@link Dialect#insertAll}: its name and its columns, each with the type its
 * values are given in (a {@code String}, a {@code BigDecimal} or a {@code Boolean}, or null for SQL NULL).
 */
public record Table(String name, List<Column> columns) {
    /** How a value is given and bound: {@code TEXT}, {@code DATE} ({@code yyyy-MM-dd}) and {@code JSON} are strings. */
    public enum Type { TEXT, DECIMAL, BOOLEAN, DATE, JSON }

    public record Column(String name, Type type) {
        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }

    public Table {
        Objects.requireNonNull(name, "name");
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a table needs a column");
        }
    }

    /** {@code Table.of("t", "a", Type.TEXT, "b", Type.DECIMAL)}: names and types in turn. */
    public static Table of(String name, Object... namesAndTypes) {
        if (namesAndTypes.length % 2 != 0) {
            throw new IllegalArgumentException("names and types come in pairs");
        }
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            columns.add(new Column((String) namesAndTypes[i], (Type) namesAndTypes[i + 1]));
        }
        return new Table(name, columns);
    }

    /** The column names, comma-separated, for an {@code INSERT} or a {@code COPY}. */
    String columnList() {
        StringBuilder out = new StringBuilder();
        for (Column c : columns) {
            out.append(out.length() == 0 ? "" : ", ").append(c.name());
        }
        return out.toString();
    }
}
