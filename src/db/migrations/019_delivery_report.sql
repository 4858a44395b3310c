-- A bounce of our mail that came to our inbound address (a mail server's delivery report, not SES's
-- event), tied to the outbound message it returns: a delivery event of source 'report', naming the
-- inbound email that carried it. It shows on the message's recipient; it suppresses no address.
ALTER TABLE delivery_events ADD COLUMN IF NOT EXISTS source TEXT NOT NULL DEFAULT 'ses';
ALTER TABLE delivery_events ADD COLUMN IF NOT EXISTS reported_by TEXT;
