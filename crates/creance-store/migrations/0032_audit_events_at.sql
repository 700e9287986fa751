-- Issue 14 point 7: the company's audit log reads its events newest first, a page at a time,
-- filtered by user, kind and dates; `audit_events_entity` serves a customer's or a letter's trail.
CREATE INDEX audit_events_at ON audit_events (company_id, at, id);
