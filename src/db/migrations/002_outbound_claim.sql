-- An outbound email is claimed by the attempt that sends it: a second attempt running at the same time
-- (a timed-out attempt still alive) or after a crash mid-send does not send it again.
ALTER TABLE outbound_emails ADD COLUMN IF NOT EXISTS send_started_at TIMESTAMPTZ;
ALTER TABLE outbound_emails ADD COLUMN IF NOT EXISTS failure TEXT;
CREATE INDEX IF NOT EXISTS outbound_emails_recipient_created ON outbound_emails (recipient, created_at);
