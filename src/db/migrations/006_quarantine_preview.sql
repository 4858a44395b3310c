-- A short plain-text preview of each email, for the quarantine page (which must not load whole emails).
ALTER TABLE inbound_emails ADD COLUMN IF NOT EXISTS preview TEXT;
