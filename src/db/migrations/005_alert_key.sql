-- Monitoring alerts: the host/service an incident is about. At most one open incident per alert key,
-- so two alerts arriving at once for the same host and service cannot open two incidents.
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS alert_key TEXT;
CREATE UNIQUE INDEX IF NOT EXISTS incidents_open_alert_key ON incidents (alert_key)
  WHERE alert_key IS NOT NULL AND state NOT IN ('closed', 'resolved');
