-- Delivery feedback: the events SES publishes about our mail (send, delivery, bounce, complaint), once
-- each, and the addresses that get no more automatic mail (a hard bounce, a complaint) until lifted.
CREATE TABLE IF NOT EXISTS delivery_events (
  id                BIGSERIAL PRIMARY KEY,
  event_key         TEXT NOT NULL UNIQUE,
  event_type        TEXT NOT NULL,
  ses_message_id    TEXT NOT NULL,
  -- The tag our mail carries (the local part of our Message-ID): names the outbound record even when the
  -- attempt that sent it died before it could record SES's message id.
  outbound_message  TEXT,
  recipients        TEXT[] NOT NULL,
  bounce_type       TEXT,
  bounce_sub_type   TEXT,
  detail            TEXT,
  occurred_at       TIMESTAMPTZ NOT NULL,
  received_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- A Send event that recorded its message as sent before the attempt that sent it could (that attempt
  -- died, or had not got there yet): the fault run counts them.
  recorded_send     BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS delivery_events_ses_message_id ON delivery_events (ses_message_id);
CREATE INDEX IF NOT EXISTS delivery_events_outbound_message ON delivery_events (outbound_message);

ALTER TABLE outbound_emails ADD COLUMN IF NOT EXISTS outbound_message TEXT
  GENERATED ALWAYS AS (split_part(btrim(message_id, '<>'), '@', 1)) STORED;
CREATE INDEX IF NOT EXISTS outbound_emails_outbound_message ON outbound_emails (outbound_message);
CREATE INDEX IF NOT EXISTS outbound_emails_ses_message_id ON outbound_emails (ses_message_id);

CREATE TABLE IF NOT EXISTS suppressed_recipients (
  address          TEXT PRIMARY KEY,
  reason           TEXT NOT NULL,
  detail           TEXT NOT NULL,
  ses_message_id   TEXT,
  suppressed_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
