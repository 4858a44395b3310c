-- Threads: which messages belong to which incident (for In-Reply-To/References matching), who may
-- speak on an incident, and which users are agents.
CREATE TABLE IF NOT EXISTS thread_messages (
  message_id   TEXT PRIMARY KEY,
  incident_id  BIGINT NOT NULL REFERENCES incidents(id),
  direction    TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS thread_messages_incident ON thread_messages (incident_id);

CREATE TABLE IF NOT EXISTS incident_participants (
  incident_id  BIGINT NOT NULL REFERENCES incidents(id),
  address      TEXT NOT NULL,
  added_via    TEXT NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (incident_id, address)
);

ALTER TABLE users ADD COLUMN IF NOT EXISTS role TEXT NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'agent'));

-- Our own Message-ID of each outbound email, fixed when it is recorded so a retry sends the same one.
ALTER TABLE outbound_emails ADD COLUMN IF NOT EXISTS message_id TEXT UNIQUE;

-- Agent comments are keyed by the id the agent's request carried (a retried request adds nothing).
ALTER TABLE incident_comments ADD COLUMN IF NOT EXISTS comment_key TEXT UNIQUE;
ALTER TABLE incident_comments ADD COLUMN IF NOT EXISTS sent_to_customer BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE incident_comments ADD COLUMN IF NOT EXISTS message_id TEXT;
