-- Issue 10, "a warehouse analysts can trust": every compound field, a verdict per analyte, the category's info
-- fields, the lab's verdict per sample, and merged state for thin-payload vendors. Upgrades a V1 warehouse in
-- place; existing rows get the new fields the next time their entity changes, or at once with
-- `labhooks warehouse rebuild` (docs/warehouse.md).

ALTER TABLE lab_results RENAME COLUMN status TO category_status;
ALTER TABLE lab_results
    ADD COLUMN report_unit     text,
    ADD COLUMN max_value       numeric(30, 10),
    ADD COLUMN limit_low       numeric(30, 10),
    ADD COLUMN limit_high      numeric(30, 10),
    ADD COLUMN stdev           numeric(30, 10),
    ADD COLUMN rsd             numeric(30, 10),
    ADD COLUMN rpd             numeric(30, 10),
    ADD COLUMN regulator_notes text,
    ADD COLUMN verdict         text;
CREATE INDEX lab_results_failed ON lab_results (entity_key) WHERE verdict = 'fail';

-- One row per lab_data category of a Confident sample's current version, replaced with the entity.
CREATE TABLE lab_result_categories (
    entity_key             text  NOT NULL,
    category               text  NOT NULL,
    status                 text,             -- pass, fail, completed
    method                 text,
    date_tested            date,
    input_units            text,             -- the unit test data is submitted in (lab_results.unit)
    report_units           text,             -- the CoA's display unit (lab_results.report_unit)
    secondary_report_units text,
    reported_as_wet        boolean,
    info_fields            jsonb NOT NULL,   -- every info field as sent (digits, dry_weight, footnote, notes*, signatory_*, …)
    PRIMARY KEY (entity_key, category)
);

-- How many events are merged into lab_entities.state (LML, Flabs): a late event of lower rank adds fields
-- without moving the version, so the upsert also takes a row of the same version with more events merged.
ALTER TABLE lab_entities ADD COLUMN merge_seq bigint NOT NULL DEFAULT 0;

DROP VIEW lab_samples;
CREATE VIEW lab_samples AS
SELECT e.entity_key,
       e.entity_id                                         AS sample_id,
       e.state ->> 'sample_name'                           AS sample_name,
       e.state ->> 'strain_name'                           AS strain_name,
       e.state ->> 'client_id'                             AS client_id,
       e.state ->> 'order_id'                              AS order_id,
       e.state ->> 'status'                                AS status,
       timestamptz 'epoch' + e.version * interval '1 microsecond' AS last_modified,
       e.state ->> 'public_url'                            AS public_url,
       e.deleted,
       e.version,
       e.updated_at,
       e.state ->> 'lab_status'                            AS lab_status,
       (SELECT count(*) FROM lab_results r
         WHERE r.entity_key = e.entity_key AND r.verdict = 'fail') AS failed_analytes,
       (SELECT max(c.date_tested) FROM lab_result_categories c
         WHERE c.entity_key = e.entity_key)                AS date_tested
FROM lab_entities e
WHERE e.vendor = 'confident'
  AND e.entity_type = 'sample';
