-- Agents add and remove an incident's participants (README, Threads). A name an agent gave is kept; a
-- removal is a mark, not a delete: a removed participant stays removed when the customer Cc's them again
-- on a reply (only an agent adds them back), and the row says who removed them and when.
ALTER TABLE incident_participants ADD COLUMN IF NOT EXISTS name TEXT;
ALTER TABLE incident_participants ADD COLUMN IF NOT EXISTS removed_at TIMESTAMPTZ;
ALTER TABLE incident_participants ADD COLUMN IF NOT EXISTS removed_by TEXT;
