-- Tracking tokens are no longer kept in plain text: only their SHA-256 (a copy of the table opens no
-- tracking page). Tokens already sent keep working: their digests are computed here.
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS tracking_token_digest TEXT;
UPDATE incidents SET tracking_token_digest = encode(sha256(convert_to(tracking_token, 'UTF8')), 'hex')
  WHERE tracking_token_digest IS NULL AND tracking_token IS NOT NULL;
ALTER TABLE incidents ALTER COLUMN tracking_token_digest SET NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS incidents_tracking_token_digest ON incidents (tracking_token_digest);
ALTER TABLE incidents DROP COLUMN IF EXISTS tracking_token;
