-- The admin page's sessions and its throttling state live here, not in a web process's memory, so
-- several web replicas share them (a session signed in on one is used on another; throttling is global).

-- A session is found by the SHA-256 of its cookie value: a read of this table gives no usable session.
CREATE TABLE IF NOT EXISTS admin_sessions (
  id_hash     TEXT PRIMARY KEY,
  csrf        TEXT NOT NULL,
  user_name   TEXT NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS admin_sessions_expiry ON admin_sessions (expires_at);

-- Failed sign-ins (and wrong API tokens) per client address and per account name.
CREATE TABLE IF NOT EXISTS sign_in_failures (
  scope            TEXT NOT NULL CHECK (scope IN ('client', 'account')),
  key              TEXT NOT NULL,
  failures         INTEGER NOT NULL,
  last_failure_at  TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX IF NOT EXISTS sign_in_failures_age ON sign_in_failures (last_failure_at);

-- The API's calls per token (by hash) in the current window.
CREATE TABLE IF NOT EXISTS api_call_windows (
  token_hash  TEXT PRIMARY KEY,
  started_at  TIMESTAMPTZ NOT NULL,
  calls       INTEGER NOT NULL
);
