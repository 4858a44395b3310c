-- Follow-up policy (README, Threads, "Closed incidents"): when an incident was closed (a reply within the
-- reopen window reopens it, a later one follows the policy), and which closed incident a new one follows up.
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS closed_at TIMESTAMPTZ;
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS follow_up_of TEXT REFERENCES incidents(number);
CREATE INDEX IF NOT EXISTS incidents_follow_up_of ON incidents (follow_up_of) WHERE follow_up_of IS NOT NULL;
-- Incidents closed before their close time was kept: counted from now, so that no reply is turned away
-- sooner than the configured window allows.
UPDATE incidents SET closed_at = now() WHERE state = 'closed' AND closed_at IS NULL;
