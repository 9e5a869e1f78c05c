package io.labhooks.sink.write;

/**
 * A {@code lab_result_categories} row without its entity key: one lab_data category of a Confident sample.
 *
 * @param dateTested     {@code yyyy-MM-dd}, or null
 * @param infoFieldsJson every info field as sent, as JSON
 */
public record CategoryRow(String category, String status, String method, String dateTested, String inputUnits,
                          String reportUnits, String secondaryReportUnits, Boolean reportedAsWet, String infoFieldsJson) {
}
