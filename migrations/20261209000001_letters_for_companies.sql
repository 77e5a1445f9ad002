-- Issue 13 (policy §4.2, §4.7, §6.2): a letter sent for a company by its legal representative
-- or a delegate: the request (`entity_member`) that lets the sender act for it, and the
-- company's name and registry number as they were at sending.
ALTER TABLE letter ADD COLUMN sender_member_id TEXT;
ALTER TABLE letter ADD COLUMN sender_company TEXT;
ALTER TABLE letter ADD COLUMN sender_company_rcs TEXT;
