package io.labhooks.sink.write;

import java.math.BigDecimal;

/**
 * A {@code lab_results} row without its entity key: one analyte of a panel. {@code value} is null where the
 * lab reported text ("ND", "&lt;LOQ", empty).
 */
public record ResultRow(String category, String analyte, BigDecimal value, String valueText, String unit,
                        BigDecimal lod, BigDecimal loq, BigDecimal limit, String status) {
}
