-- Other helpdesks' ticket numbers an incident recorded (README, Threads): a vendor's case, another
-- ServiceNow instance's incident. Later mail carrying one of them, and none of our clues, joins the
-- incident. One number names one incident: the first to record it keeps it, so a reply on another
-- incident cannot take the vendor's mail away from it.
CREATE TABLE IF NOT EXISTS incident_external_numbers (
  id              BIGSERIAL PRIMARY KEY,
  incident_id     BIGINT NOT NULL REFERENCES incidents(id),
  system          TEXT NOT NULL,
  number          TEXT NOT NULL,
  -- The SES message id of the reply that brought it.
  recorded_by     TEXT NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (system, number)
);
CREATE INDEX IF NOT EXISTS incident_external_numbers_incident ON incident_external_numbers (incident_id);
