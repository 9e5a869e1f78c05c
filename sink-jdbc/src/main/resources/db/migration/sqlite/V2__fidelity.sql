-- Issue 10, "a warehouse analysts can trust" (see the PostgreSQL migration). RENAME COLUMN needs SQLite 3.25;
-- sqlite-jdbc 3.50 bundles 3.50. The view is recreated.

ALTER TABLE lab_results RENAME COLUMN status TO category_status;
ALTER TABLE lab_results ADD COLUMN report_unit TEXT;
ALTER TABLE lab_results ADD COLUMN max_value REAL CHECK (max_value IS NULL OR abs(max_value) < 1e20);
ALTER TABLE lab_results ADD COLUMN limit_low REAL CHECK (limit_low IS NULL OR abs(limit_low) < 1e20);
ALTER TABLE lab_results ADD COLUMN limit_high REAL CHECK (limit_high IS NULL OR abs(limit_high) < 1e20);
ALTER TABLE lab_results ADD COLUMN stdev REAL CHECK (stdev IS NULL OR abs(stdev) < 1e20);
ALTER TABLE lab_results ADD COLUMN rsd REAL CHECK (rsd IS NULL OR abs(rsd) < 1e20);
ALTER TABLE lab_results ADD COLUMN rpd REAL CHECK (rpd IS NULL OR abs(rpd) < 1e20);
ALTER TABLE lab_results ADD COLUMN regulator_notes TEXT;
ALTER TABLE lab_results ADD COLUMN verdict TEXT;
CREATE INDEX lab_results_failed ON lab_results (entity_key) WHERE verdict = 'fail';

CREATE TABLE lab_result_categories (
    entity_key             TEXT NOT NULL,
    category               TEXT NOT NULL,
    status                 TEXT,
    method                 TEXT,
    date_tested            TEXT,   -- YYYY-MM-DD
    input_units            TEXT,
    report_units           TEXT,
    secondary_report_units TEXT,
    reported_as_wet        INTEGER CHECK (reported_as_wet IS NULL OR reported_as_wet IN (0, 1)),
    info_fields            TEXT NOT NULL CHECK (json_valid(info_fields)),
    PRIMARY KEY (entity_key, category)
) WITHOUT ROWID;

ALTER TABLE lab_entities ADD COLUMN merge_seq INTEGER NOT NULL DEFAULT 0;

DROP VIEW lab_samples;
CREATE VIEW lab_samples AS
SELECT e.entity_key,
       e.entity_id                     AS sample_id,
       e.state ->> '$.sample_name'     AS sample_name,
       e.state ->> '$.strain_name'     AS strain_name,
       e.state ->> '$.client_id'       AS client_id,
       e.state ->> '$.order_id'        AS order_id,
       e.state ->> '$.status'          AS status,
       e.state ->> '$.last_modified'   AS last_modified,
       e.state ->> '$.public_url'      AS public_url,
       e.deleted,
       e.version,
       e.updated_at,
       e.state ->> '$.lab_status'      AS lab_status,
       (SELECT count(*) FROM lab_results r
         WHERE r.entity_key = e.entity_key AND r.verdict = 'fail') AS failed_analytes,
       (SELECT max(c.date_tested) FROM lab_result_categories c
         WHERE c.entity_key = e.entity_key) AS date_tested
FROM lab_entities e
WHERE e.vendor = 'confident'
  AND e.entity_type = 'sample';
