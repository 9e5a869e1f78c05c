package io.labhooks.sink.write;

import java.math.BigDecimal;

/**
 * A {@code lab_results} row without its entity key: one analyte of a panel. {@code value} is null where the
 * lab reported text ("ND", "&lt;LOQ", empty, or a number too large to keep such as {@code 1e999}); the text is in
 * {@code valueText}. {@code unit} is the unit the value is in (Confident's {@code input_units}), {@code reportUnit}
 * the certificate's display unit. {@code verdict} is the normalizer's, {@code categoryStatus} the category's.
 */
public record ResultRow(String category, String analyte, BigDecimal value, String valueText, String unit,
                        String reportUnit, BigDecimal lod, BigDecimal loq, BigDecimal limit, BigDecimal max,
                        BigDecimal limitLow, BigDecimal limitHigh, BigDecimal stdev, BigDecimal rsd, BigDecimal rpd,
                        String regulatorNotes, String verdict, String categoryStatus) {
}
