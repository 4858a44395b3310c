-- Sender authentication (README, "Security model"): whether the email that made an incident came from
-- an authenticated sender (only then is anyone mailed or named from it), and which replies did not
-- (kept, marked unverified, never shown as the customer's words). Earlier rows keep what they had.
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS sender_authenticated BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE incident_comments ADD COLUMN IF NOT EXISTS unverified BOOLEAN NOT NULL DEFAULT FALSE;
-- Per inbound email, as the workflow recorded it: "release and allowlist" allowlists only an
-- authenticated sender, and the admin page shows why one is not.
ALTER TABLE inbound_emails ADD COLUMN IF NOT EXISTS sender_authenticated BOOLEAN;
ALTER TABLE inbound_emails ADD COLUMN IF NOT EXISTS sender_authentication TEXT;
