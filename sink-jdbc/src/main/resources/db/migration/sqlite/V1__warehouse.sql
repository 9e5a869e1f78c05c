-- labhooks warehouse, SQLite. Same tables as PostgreSQL: JSON is text (checked with json_valid),
-- timestamps are ISO-8601 UTC text (YYYY-MM-DDTHH:MM:SS.ffffffZ), booleans are 0/1.
-- The CHECKs on the numeric columns mirror PostgreSQL's numeric(30,10) range, so a value one
-- database rejects the other rejects too.

CREATE TABLE lab_events (
    event_id     TEXT    NOT NULL PRIMARY KEY,
    type         TEXT    NOT NULL,
    source_id    TEXT    NOT NULL,
    vendor       TEXT    NOT NULL,
    entity_key   TEXT    NOT NULL,
    version      INTEGER NOT NULL,
    hwm_advanced INTEGER NOT NULL CHECK (hwm_advanced IN (0, 1)),
    occurred_at  TEXT    NOT NULL,
    received_at  TEXT    NOT NULL,
    delivery_id  TEXT,
    payload      TEXT    NOT NULL CHECK (json_valid(payload)),
    written_at   TEXT    NOT NULL
);
CREATE INDEX lab_events_entity ON lab_events (entity_key, version);
CREATE INDEX lab_events_received ON lab_events (received_at);

CREATE TABLE lab_entities (
    entity_key    TEXT    NOT NULL PRIMARY KEY,
    vendor        TEXT    NOT NULL,
    entity_type   TEXT    NOT NULL,
    entity_id     TEXT    NOT NULL,
    version       INTEGER NOT NULL,
    deleted       INTEGER NOT NULL CHECK (deleted IN (0, 1)),
    state         TEXT    NOT NULL CHECK (json_valid(state)),
    last_event_id TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);
CREATE INDEX lab_entities_vendor_type ON lab_entities (vendor, entity_type);

CREATE TABLE lab_results (
    entity_key  TEXT NOT NULL,
    category    TEXT NOT NULL,
    analyte     TEXT NOT NULL,
    value       REAL CHECK (value IS NULL OR abs(value) < 1e20),
    value_text  TEXT,
    unit        TEXT,
    lod         REAL CHECK (lod IS NULL OR abs(lod) < 1e20),
    loq         REAL CHECK (loq IS NULL OR abs(loq) < 1e20),
    limit_value REAL CHECK (limit_value IS NULL OR abs(limit_value) < 1e20),
    status      TEXT,
    PRIMARY KEY (entity_key, category, analyte)
) WITHOUT ROWID;

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
       e.updated_at
FROM lab_entities e
WHERE e.vendor = 'confident'
  AND e.entity_type = 'sample';
