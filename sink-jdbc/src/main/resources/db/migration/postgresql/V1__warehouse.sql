-- labhooks warehouse, PostgreSQL. Written by the sink only; analysts read.

-- Every distinct canonical event, once (history). Insert-only: ON CONFLICT (event_id) DO NOTHING.
CREATE TABLE lab_events (
    event_id     text        PRIMARY KEY,
    type         text        NOT NULL,
    source_id    text        NOT NULL,
    vendor       text        NOT NULL,
    entity_key   text        NOT NULL,
    version      bigint      NOT NULL,
    hwm_advanced boolean     NOT NULL,
    occurred_at  timestamptz NOT NULL,
    received_at  timestamptz NOT NULL,
    delivery_id  text,
    payload      jsonb       NOT NULL,  -- the whole CloudEvent
    written_at   timestamptz NOT NULL   -- when the sink committed it
);
CREATE INDEX lab_events_entity ON lab_events (entity_key, version);
CREATE INDEX lab_events_received ON lab_events (received_at);

-- The current state of each entity. Upsert guarded by version: an older version never overwrites a newer one.
CREATE TABLE lab_entities (
    entity_key    text        PRIMARY KEY,
    vendor        text        NOT NULL,
    entity_type   text        NOT NULL,
    entity_id     text        NOT NULL,
    version       bigint      NOT NULL,
    deleted       boolean     NOT NULL,
    state         jsonb       NOT NULL,  -- the event's data
    last_event_id text        NOT NULL,
    updated_at    timestamptz NOT NULL   -- when the sink last changed the row
);
CREATE INDEX lab_entities_vendor_type ON lab_entities (vendor, entity_type);

-- One row per analyte of the entity's current version (Confident samples), replaced with the entity.
CREATE TABLE lab_results (
    entity_key  text NOT NULL,
    category    text NOT NULL,
    analyte     text NOT NULL,
    value       numeric(30, 10),
    value_text  text,
    unit        text,
    lod         numeric(30, 10),
    loq         numeric(30, 10),
    limit_value numeric(30, 10),
    status      text,
    PRIMARY KEY (entity_key, category, analyte)
);

-- The current Confident samples, without JSON functions. last_modified is the entity version
-- (Confident's last_modified in epoch microseconds), so it is exact and always a valid timestamp.
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
       e.updated_at
FROM lab_entities e
WHERE e.vendor = 'confident'
  AND e.entity_type = 'sample';
