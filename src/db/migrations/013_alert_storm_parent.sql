-- An alert storm (many monitoring alert keys opening incidents within a window) is one parent incident;
-- the incidents of its keys name it as their parent.
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS parent_incident TEXT REFERENCES incidents(number);
CREATE INDEX IF NOT EXISTS incidents_parent_incident ON incidents (parent_incident) WHERE parent_incident IS NOT NULL;
