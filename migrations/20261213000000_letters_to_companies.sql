-- Issue 13 (policy §6.4): a letter to a company is delivered to its legal representative or a
-- delegate verified by the service. A professional contact may name the company by its
-- registry number (`domain::entities::Registry`); the transaction copies it at sending, and
-- records the request (`entity_member`) that let the person who decided act for the company.
ALTER TABLE contact ADD COLUMN company_registry TEXT;
ALTER TABLE contact ADD COLUMN company_number TEXT;
ALTER TABLE letter_transaction ADD COLUMN recipient_company_registry TEXT;
ALTER TABLE letter_transaction ADD COLUMN recipient_company_number TEXT;
ALTER TABLE letter_transaction ADD COLUMN recipient_member_id TEXT;
-- The inbox of a company's representatives and delegates.
CREATE INDEX letter_transaction_company
    ON letter_transaction (recipient_company_number, recipient_company_registry, notified_at, id);
