-- Why a comment marked "send to customer" was not sent (SES refused it, an interrupted attempt, ...).
ALTER TABLE incident_comments ADD COLUMN IF NOT EXISTS send_failure TEXT;
