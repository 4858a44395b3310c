-- Agent forwards (README, "What happens to an email"): an incident an authenticated agent made by
-- forwarding a customer's email is the customer's, and says which agent forwarded it. Null: not a forward.
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS forwarded_by TEXT;
