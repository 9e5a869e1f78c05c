import type { Dashboard } from '@grafana/schema';
type Json<T> = T extends string ? `${T}` : T extends object ? { [K in keyof T]: Json<T[K]> } : T;
export const dashboard: Json<Dashboard> = {
  "noSuchField": 1,
  "annotations": {
    "list": [
      {
        "builtIn": 1,
        "datasource": {
          "type": "grafana",
          "uid": "-- Grafana --"
        },
        "enable": true,
        "hide": true,
        "iconColor": "rgba(0, 211, 255, 1)",
        "name": "Annotations & Alerts",
        "type": "dashboard"
      }
    ]
  },
  "description": "labhooks: webhook ingress, normalizer, sink and the end-to-end SLO. Source: deploy/grafana/labhooks-dashboard.json.",
  "editable": true,
  "fiscalYearStartMonth": 0,
  "graphTooltip": 1,
  "links": [],
  "panels": [
    {
      "type": "row",
      "id": 1,
      "title": "Ingress",
      "collapsed": false,
      "gridPos": {
        "h": 1,
        "w": 24,
        "x": 0,
        "y": 0
      },
      "panels": []
    },
    {
      "type": "timeseries",
      "id": 2,
      "title": "Ingress requests/s by source and code",
      "description": "Webhook deliveries answered per second. Anything but 200 counts as a failure for the sender.",
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 1
      },
      "fieldConfig": {
        "defaults": {
          "unit": "reqps",
          "min": 0,
          "color": {
            "mode": "palette-classic"
          },
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "none",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "off"
            }
          },
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          }
        },
        "overrides": []
      },
      "options": {
        "legend": {
          "displayMode": "table",
          "placement": "bottom",
          "calcs": [
            "lastNotNull",
            "max"
          ],
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "refId": "A",
          "editorMode": "code",
          "range": true,
          "expr": "sum by (source, code) (rate(labhooks_ingress_requests_total{source=~\"$source\"}[$__rate_interval]))",
          "legendFormat": "{{source}} {{code}}"
        }
      ]
    },
    {
      "type": "timeseries",
      "id": 3,
      "title": "Non-200 streak by source",
      "description": "labhooks_ingress_consecutive_failures: consecutive non-200 answers per source. Confident disables its webhook at 10; the LabhooksSenderFailing alert pages at 5.",
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 12,
        "y": 1
      },
      "fieldConfig": {
        "defaults": {
          "unit": "short",
          "min": 0,
          "color": {
            "mode": "palette-classic"
          },
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "none",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "line+area"
            }
          },
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              },
              {
                "color": "orange",
                "value": 5
              },
              {
                "color": "red",
                "value": 10
              }
            ]
          }
        },
        "overrides": []
      },
      "options": {
        "legend": {
          "displayMode": "table",
          "placement": "bottom",
          "calcs": [
            "lastNotNull",
            "max"
          ],
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "refId": "A",
          "editorMode": "code",
          "range": true,
          "expr": "max by (source) (labhooks_ingress_consecutive_failures{source=~\"$source\"})",
          "legendFormat": "{{source}}"
        }
      ]
    },
    {
      "type": "timeseries",
      "id": 4,
      "title": "Ack latency p50 / p99",
      "description": "Time from receipt to the 200 (Kafka acked the record, or it was spooled). Senders give up after 10 s; ack-timeout is 2 s by default.",
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 0,
        "y": 9
      },
      "fieldConfig": {
        "defaults": {
          "unit": "s",
          "min": 0,
          "color": {
            "mode": "palette-classic"
          },
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "none",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "line+area"
            }
          },
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              },
              {
                "color": "red",
                "value": 1
              }
            ]
          }
        },
        "overrides": []
      },
      "options": {
        "legend": {
          "displayMode": "table",
          "placement": "bottom",
          "calcs": [
            "lastNotNull",
            "max"
          ],
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "refId": "A",
          "editorMode": "code",
          "range": true,
          "expr": "histogram_quantile(0.5, sum by (le, source) (rate(labhooks_ingress_ack_seconds_bucket{source=~\"$source\"}[$__rate_interval])))",
          "legendFormat": "p50 {{source}}"
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "refId": "B",
          "editorMode": "code",
          "range": true,
          "expr": "histogram_quantile(0.99, sum by (le, source) (rate(labhooks_ingress_ack_seconds_bucket{source=~\"$source\"}[$__rate_interval])))",
          "legendFormat": "p99 {{source}}"
        }
      ]
    },
    {
      "type": "timeseries",
      "id": 5,
      "title": "Acks/s by path",
      "description": "Where acknowledged records went: kafka, or spool (the disk spool; planned).",
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 8,
        "y": 9
      },
      "fieldConfig": {
        "defaults": {
          "unit": "reqps",
          "min": 0,
          "color": {
            "mode": "palette-classic"
          },
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "none",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "off"
            }
          },
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          }
        },
        "overrides": []
      },
      "options": {
        "legend": {
          "displayMode": "table",
          "placement": "bottom",
          "calcs": [
            "lastNotNull",
            "max"
          ],
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "refId": "A",
          "editorMode": "code",
          "range": true,
          "expr": "sum by (path) (rate(labhooks_ingress_ack_seconds_count{source=~\"$source\"}[$__rate_interval]))",
          "legendFormat": "{{path}}"
        }
      ]
    },
    {
      "type": "timeseries",
      "id": 6,
      "title": "Requests in flight",
      "description": "labhooks_ingress_in_flight per instance; at ingress.max-in-flight (default 512) new requests get 503.",
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 16,
        "y": 9
      },
      "fieldConfig": {
        "defaults": {
          "unit": "short",
          "min": 0,
          "color": {
            "mode": "palette-classic"
          },
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "none",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "off"
            }
          },
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          }
        },
        "overrides": []
      },
      "options": {
        "legend": {
          "displayMode": "table",
          "placement": "bottom",
          "calcs": [
            "lastNotNull",
            "max"
          ],
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "refId": "A",
          "editorMode": "code",
          "range": true,
          "expr": "sum by (instance) (labhooks_ingress_in_flight)",
          "legendFormat": "{{instance}}"
        }
      ]
    },
    {
      "type": "timeseries",
      "id": 7,
      "title": "Time since last 200 by source",
      "description": "Age of labhooks_ingress_last_success_timestamp_seconds. A quiet vendor is normal at night; a long gap in business hours may mean the vendor disabled the webhook.",
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "gridPos": {
        "h": 7,
        "w": 24,
        "x": 0,
        "y": 17
      },
      "fieldConfig": {
        "defaults": {
          "unit": "s",
          "min": 0,
          "color": {
            "mode": "palette-classic"
          },
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "none",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "off"
            }
          },
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          }
        },
        "overrides": []
      },
      "options": {
        "legend": {
          "displayMode": "table",
          "placement": "bottom",
          "calcs": [
            "lastNotNull",
            "max"
          ],
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "refId": "A",
          "editorMode": "code",
          "range": true,
          "expr": "time() - (max by (source) (labhooks_ingress_last_success_timestamp_seconds{source=~\"$source\"}) > 0)",
          "legendFormat": "{{source}}"
        }
      ]
    },
    {
      "type": "row",
      "id": 8,
      "title": "Normalizer",
      "collapsed": false,
      "gridPos": {
        "h": 1,
        "w": 24,
        "x": 0,
        "y": 24
      },
      "panels": []
    },
    {
      "type": "timeseries",
      "id": 9,
      "title": "Normalizer outcomes/s by vendor and outcome",
      "description": "accepted: new event; duplicate: a vendor retry (normal); stale: an older version after a newer one (history only); invalid: sent to labhooks.dlq.v1.",
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "gridPos": {
        "h": 8,
        "w": 16,
        "x": 0,
        "y": 25
      },
      "fieldConfig": {
        "defaults": {
          "unit": "ops",
          "min": 0,
          "color": {
            "mode": "palette-classic"
          },
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "normal",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "off"
            }
          },
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          }
        },
        "overrides": []
      },
      "options": {
        "legend": {
          "displayMode": "table",
          "placement": "bottom",
          "calcs": [
            "lastNotNull",
            "max"
          ],
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "refId": "A",
          "editorMode": "code",
          "range": true,
          "expr": "sum by (vendor, outcome) (rate(labhooks_normalizer_events_total{vendor=~\"$vendor\"}[$__rate_interval]))",
          "legendFormat": "{{vendor}} {{outcome}}"
        }
      ]
    },
    {
      "type": "timeseries",
      "id": 10,
      "title": "DLQ rate by vendor",
      "description": "Deliveries the normalizer could not turn into events (outcome=invalid), written to labhooks.dlq.v1 with labhooks.error.reason. Fix, then `labhooks dlq replay`.",
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 16,
        "y": 25
      },
      "fieldConfig": {
        "defaults": {
          "unit": "ops",
          "min": 0,
          "color": {
            "mode": "palette-classic"
          },
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "none",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "line+area"
            }
          },
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              },
              {
                "color": "red",
                "value": 0.001
              }
            ]
          }
        },
        "overrides": []
      },
      "options": {
        "legend": {
          "displayMode": "table",
          "placement": "bottom",
          "calcs": [
            "lastNotNull",
            "max"
          ],
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "refId": "A",
          "editorMode": "code",
          "range": true,
          "expr": "sum by (vendor) (rate(labhooks_normalizer_events_total{outcome=\"invalid\", vendor=~\"$vendor\"}[$__rate_interval]))",
          "legendFormat": "{{vendor}}"
        }
      ]
    },
    {
      "type": "row",
      "id": 11,
      "title": "Sink and end-to-end",
      "collapsed": false,
      "gridPos": {
        "h": 1,
        "w": 24,
        "x": 0,
        "y": 33
      },
      "panels": []
    },
    {
      "type": "timeseries",
      "id": 12,
      "title": "Sink rows/s by table and outcome",
      "description": "Warehouse rows written: inserted, updated (lab_entities advanced), skipped (already present or older version).",
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 0,
        "y": 34
      },
      "fieldConfig": {
        "defaults": {
          "unit": "ops",
          "min": 0,
          "color": {
            "mode": "palette-classic"
          },
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "normal",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "off"
            }
          },
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          }
        },
        "overrides": []
      },
      "options": {
        "legend": {
          "displayMode": "table",
          "placement": "bottom",
          "calcs": [
            "lastNotNull",
            "max"
          ],
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "refId": "A",
          "editorMode": "code",
          "range": true,
          "expr": "sum by (table, outcome) (rate(labhooks_sink_rows_total[$__rate_interval]))",
          "legendFormat": "{{table}} {{outcome}}"
        }
      ]
    },
    {
      "type": "timeseries",
      "id": 13,
      "title": "Sink batch duration",
      "description": "Time to write one consumed batch and commit it (labhooks_sink_batch_seconds).",
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 8,
        "y": 34
      },
      "fieldConfig": {
        "defaults": {
          "unit": "s",
          "min": 0,
          "color": {
            "mode": "palette-classic"
          },
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "none",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "off"
            }
          },
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          }
        },
        "overrides": []
      },
      "options": {
        "legend": {
          "displayMode": "table",
          "placement": "bottom",
          "calcs": [
            "lastNotNull",
            "max"
          ],
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "refId": "A",
          "editorMode": "code",
          "range": true,
          "expr": "histogram_quantile(0.5, sum by (le) (rate(labhooks_sink_batch_seconds_bucket[$__rate_interval])))",
          "legendFormat": "p50"
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "refId": "B",
          "editorMode": "code",
          "range": true,
          "expr": "histogram_quantile(0.99, sum by (le) (rate(labhooks_sink_batch_seconds_bucket[$__rate_interval])))",
          "legendFormat": "p99"
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "refId": "C",
          "editorMode": "code",
          "range": true,
          "expr": "sum(rate(labhooks_sink_batch_seconds_sum[$__rate_interval])) / sum(rate(labhooks_sink_batch_seconds_count[$__rate_interval]))",
          "legendFormat": "mean"
        }
      ]
    },
    {
      "type": "timeseries",
      "id": 14,
      "title": "End-to-end latency p50 / p99 by vendor (SLO)",
      "description": "Ingress receipt to warehouse commit (labhooks_pipeline_latency_seconds). LabhooksPipelineSlow opens a ticket when p99 stays above 60 s for 15 minutes.",
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 16,
        "y": 34
      },
      "fieldConfig": {
        "defaults": {
          "unit": "s",
          "min": 0,
          "color": {
            "mode": "palette-classic"
          },
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "none",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "line+area"
            }
          },
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              },
              {
                "color": "red",
                "value": 60
              }
            ]
          }
        },
        "overrides": []
      },
      "options": {
        "legend": {
          "displayMode": "table",
          "placement": "bottom",
          "calcs": [
            "lastNotNull",
            "max"
          ],
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "refId": "A",
          "editorMode": "code",
          "range": true,
          "expr": "histogram_quantile(0.5, sum by (le, vendor) (rate(labhooks_pipeline_latency_seconds_bucket{vendor=~\"$vendor\"}[$__rate_interval])))",
          "legendFormat": "p50 {{vendor}}"
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "refId": "B",
          "editorMode": "code",
          "range": true,
          "expr": "histogram_quantile(0.99, sum by (le, vendor) (rate(labhooks_pipeline_latency_seconds_bucket{vendor=~\"$vendor\"}[$__rate_interval])))",
          "legendFormat": "p99 {{vendor}}"
        }
      ]
    },
    {
      "type": "row",
      "id": 15,
      "title": "Spool (planned: empty until the ingress spool ships)",
      "collapsed": false,
      "gridPos": {
        "h": 1,
        "w": 24,
        "x": 0,
        "y": 42
      },
      "panels": []
    },
    {
      "type": "timeseries",
      "id": 16,
      "title": "Spool records",
      "description": "Records in the ingress disk spool waiting to be forwarded to Kafka.",
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "gridPos": {
        "h": 7,
        "w": 8,
        "x": 0,
        "y": 43
      },
      "fieldConfig": {
        "defaults": {
          "unit": "short",
          "min": 0,
          "color": {
            "mode": "palette-classic"
          },
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "none",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "off"
            }
          },
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          }
        },
        "overrides": []
      },
      "options": {
        "legend": {
          "displayMode": "table",
          "placement": "bottom",
          "calcs": [
            "lastNotNull",
            "max"
          ],
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "refId": "A",
          "editorMode": "code",
          "range": true,
          "expr": "sum by (instance) (labhooks_spool_records)",
          "legendFormat": "{{instance}}"
        }
      ]
    },
    {
      "type": "timeseries",
      "id": 17,
      "title": "Spool bytes",
      "description": "Bytes in the spool's segment files (bounded by ingress.spool.max-bytes).",
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "gridPos": {
        "h": 7,
        "w": 8,
        "x": 8,
        "y": 43
      },
      "fieldConfig": {
        "defaults": {
          "unit": "bytes",
          "min": 0,
          "color": {
            "mode": "palette-classic"
          },
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "none",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "off"
            }
          },
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          }
        },
        "overrides": []
      },
      "options": {
        "legend": {
          "displayMode": "table",
          "placement": "bottom",
          "calcs": [
            "lastNotNull",
            "max"
          ],
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "refId": "A",
          "editorMode": "code",
          "range": true,
          "expr": "sum by (instance) (labhooks_spool_bytes)",
          "legendFormat": "{{instance}}"
        }
      ]
    },
    {
      "type": "timeseries",
      "id": 18,
      "title": "Spool oldest record age",
      "description": "How long the oldest spooled record has waited for Kafka.",
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "gridPos": {
        "h": 7,
        "w": 8,
        "x": 16,
        "y": 43
      },
      "fieldConfig": {
        "defaults": {
          "unit": "s",
          "min": 0,
          "color": {
            "mode": "palette-classic"
          },
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "none",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "off"
            }
          },
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          }
        },
        "overrides": []
      },
      "options": {
        "legend": {
          "displayMode": "table",
          "placement": "bottom",
          "calcs": [
            "lastNotNull",
            "max"
          ],
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "refId": "A",
          "editorMode": "code",
          "range": true,
          "expr": "max by (instance) (labhooks_spool_oldest_age_seconds)",
          "legendFormat": "{{instance}}"
        }
      ]
    },
    {
      "type": "row",
      "id": 19,
      "title": "JVM and process",
      "collapsed": false,
      "gridPos": {
        "h": 1,
        "w": 24,
        "x": 0,
        "y": 50
      },
      "panels": []
    },
    {
      "type": "timeseries",
      "id": 20,
      "title": "JVM heap",
      "description": "Heap used and max per instance (max is set by -XX:MaxRAMPercentage from the container limit).",
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 0,
        "y": 51
      },
      "fieldConfig": {
        "defaults": {
          "unit": "bytes",
          "min": 0,
          "color": {
            "mode": "palette-classic"
          },
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "none",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "off"
            }
          },
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          }
        },
        "overrides": []
      },
      "options": {
        "legend": {
          "displayMode": "table",
          "placement": "bottom",
          "calcs": [
            "lastNotNull",
            "max"
          ],
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "refId": "A",
          "editorMode": "code",
          "range": true,
          "expr": "sum by (instance) (jvm_memory_used_bytes{area=\"heap\"})",
          "legendFormat": "used {{instance}}"
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "refId": "B",
          "editorMode": "code",
          "range": true,
          "expr": "sum by (instance) (jvm_memory_max_bytes{area=\"heap\"})",
          "legendFormat": "max {{instance}}"
        }
      ]
    },
    {
      "type": "timeseries",
      "id": 21,
      "title": "GC pause time",
      "description": "Share of time spent in GC pauses per instance.",
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 8,
        "y": 51
      },
      "fieldConfig": {
        "defaults": {
          "unit": "percentunit",
          "min": 0,
          "color": {
            "mode": "palette-classic"
          },
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "none",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "off"
            }
          },
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          }
        },
        "overrides": []
      },
      "options": {
        "legend": {
          "displayMode": "table",
          "placement": "bottom",
          "calcs": [
            "lastNotNull",
            "max"
          ],
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "refId": "A",
          "editorMode": "code",
          "range": true,
          "expr": "sum by (instance) (rate(jvm_gc_pause_seconds_sum[$__rate_interval]))",
          "legendFormat": "{{instance}}"
        }
      ]
    },
    {
      "type": "timeseries",
      "id": 22,
      "title": "Process CPU",
      "description": "CPU used by the JVM process, as a share of the cores it sees.",
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 16,
        "y": 51
      },
      "fieldConfig": {
        "defaults": {
          "unit": "percentunit",
          "min": 0,
          "color": {
            "mode": "palette-classic"
          },
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "none",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "off"
            }
          },
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          }
        },
        "overrides": []
      },
      "options": {
        "legend": {
          "displayMode": "table",
          "placement": "bottom",
          "calcs": [
            "lastNotNull",
            "max"
          ],
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "refId": "A",
          "editorMode": "code",
          "range": true,
          "expr": "process_cpu_usage",
          "legendFormat": "{{instance}}"
        }
      ]
    }
  ],
  "refresh": "30s",
  "schemaVersion": 39,
  "tags": [
    "labhooks",
    "kafka",
    "webhooks"
  ],
  "templating": {
    "list": [
      {
        "name": "DS_PROMETHEUS",
        "label": "Data source",
        "type": "datasource",
        "query": "prometheus",
        "hide": 0,
        "includeAll": false,
        "multi": false,
        "options": [],
        "refresh": 1,
        "regex": ""
      },
      {
        "name": "source",
        "label": "Source",
        "type": "query",
        "datasource": {
          "type": "prometheus",
          "uid": "${DS_PROMETHEUS}"
        },
        "query": {
          "query": "label_values(labhooks_ingress_requests_total, source)",
          "refId": "PrometheusVariableQueryEditor-VariableQuery",
          "qryType": 1
        },
        "refresh": 2,
        "includeAll": true,
        "multi": true,
        "allValue": ".*",
        "sort": 1,
        "hide": 0,
        "current": {
          "selected": true,
          "text": [
            "All"
          ],
          "value": [
            "$__all"
          ]
        },
        "options": [],
        "regex": ""
      },
      {
        "name": "vendor",
        "label": "Vendor",
        "type": "query",
        "datasource": {
          "type": "prometheus",
          "uid": "${DS_PROMETHEUS}"
        },
        "query": {
          "query": "label_values(labhooks_normalizer_events_total, vendor)",
          "refId": "PrometheusVariableQueryEditor-VariableQuery",
          "qryType": 1
        },
        "refresh": 2,
        "includeAll": true,
        "multi": true,
        "allValue": ".*",
        "sort": 1,
        "hide": 0,
        "current": {
          "selected": true,
          "text": [
            "All"
          ],
          "value": [
            "$__all"
          ]
        },
        "options": [],
        "regex": ""
      }
    ]
  },
  "time": {
    "from": "now-6h",
    "to": "now"
  },
  "timepicker": {},
  "timezone": "",
  "title": "labhooks pipeline",
  "uid": "labhooks-pipeline",
  "version": 1,
  "weekStart": ""
};
