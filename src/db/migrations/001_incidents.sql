-- Incidents and the record of every inbound email (what happened to it, and why).
CREATE SEQUENCE IF NOT EXISTS incident_number_seq START WITH 10001;

CREATE TABLE IF NOT EXISTS incidents (
  id                 BIGSERIAL PRIMARY KEY,
  number             TEXT NOT NULL UNIQUE,
  -- One inbound email makes at most one incident, however often it is delivered.
  ses_message_id     TEXT NOT NULL UNIQUE,
  short_description  TEXT NOT NULL,
  description        TEXT NOT NULL,
  state              TEXT NOT NULL DEFAULT 'new',
  priority           SMALLINT NOT NULL CHECK (priority BETWEEN 1 AND 5),
  assignment_group   TEXT,
  category           TEXT,
  routing_rule_id    TEXT,
  sender_address     TEXT NOT NULL,
  sender_name        TEXT NOT NULL DEFAULT '',
  reporter_email     TEXT,
  reporter_name      TEXT,
  reporter_verified  BOOLEAN NOT NULL DEFAULT FALSE,
  message_id         TEXT,
  -- The tracking link names this token, never the guessable incident number.
  tracking_token     TEXT NOT NULL UNIQUE,
  sla_due_at         TIMESTAMPTZ NOT NULL,
  attachments        JSONB NOT NULL DEFAULT '[]',
  created_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS incident_comments (
  id              BIGSERIAL PRIMARY KEY,
  incident_id     BIGINT NOT NULL REFERENCES incidents(id),
  author          TEXT NOT NULL,
  body            TEXT NOT NULL,
  source          TEXT NOT NULL,
  ses_message_id  TEXT UNIQUE,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS inbound_emails (
  ses_message_id   TEXT PRIMARY KEY,
  bucket           TEXT NOT NULL,
  object_key       TEXT NOT NULL,
  sender_address   TEXT,
  subject          TEXT,
  verdicts         JSONB,
  spam_score       INTEGER,
  stage            TEXT NOT NULL,
  reason           TEXT,
  incident_number  TEXT,
  received_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS inbound_emails_stage ON inbound_emails (stage);

CREATE TABLE IF NOT EXISTS allowlist (
  entry       TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('address', 'domain')),
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The user directory reporters are matched against.
CREATE TABLE IF NOT EXISTS users (
  email       TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Outbound mail is recorded before it is sent: a retried activity finds the row and does not send twice.
CREATE TABLE IF NOT EXISTS outbound_emails (
  id               BIGSERIAL PRIMARY KEY,
  dedupe_key       TEXT NOT NULL UNIQUE,
  kind             TEXT NOT NULL,
  incident_number  TEXT,
  recipient        TEXT NOT NULL,
  subject          TEXT,
  ses_message_id   TEXT,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  sent_at          TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS outbound_emails_recipient ON outbound_emails (recipient);
