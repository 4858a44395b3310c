-- SLA clocks: each incident's clock (kept by its incidentSla workflow; saved here so that a reopened
-- incident's clock starts again where it stopped, and so that agents and the API see it), every event it
-- had (started, warning, breach, met, paused, resumed, reopened, re-planned), and which policy the open
-- clocks were last planned on.
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS escalation_address TEXT;

CREATE TABLE IF NOT EXISTS incident_slas (
  incident_number          TEXT PRIMARY KEY REFERENCES incidents(number),
  clock                    JSONB NOT NULL,
  first_response_due_at    TIMESTAMPTZ,
  resolution_due_at        TIMESTAMPTZ,
  paused_since             TIMESTAMPTZ,
  first_response_breached  BOOLEAN NOT NULL DEFAULT false,
  resolution_breached      BOOLEAN NOT NULL DEFAULT false,
  updated_at               TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS incident_slas_breached ON incident_slas (incident_number) WHERE first_response_breached OR resolution_breached;

CREATE TABLE IF NOT EXISTS sla_events (
  id               BIGSERIAL PRIMARY KEY,
  incident_number  TEXT NOT NULL REFERENCES incidents(number),
  -- A retried activity records each event once.
  event_key        TEXT NOT NULL UNIQUE,
  target           TEXT,
  event            TEXT NOT NULL,
  at               TIMESTAMPTZ NOT NULL,
  due_at           TIMESTAMPTZ,
  detail           TEXT NOT NULL,
  recorded_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS sla_events_incident ON sla_events (incident_number, id);

CREATE TABLE IF NOT EXISTS sla_policies (
  fingerprint  TEXT PRIMARY KEY,
  policy       JSONB NOT NULL,
  applied_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
