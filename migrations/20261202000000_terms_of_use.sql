-- TERMS-01: the OID of the sender terms accepted at sign-up, beside their version (accounts
-- created before this column have none). A recipient's acceptance at reception is recorded in
-- the decision's evidence and journal entry, not here.
ALTER TABLE account ADD COLUMN terms_oid TEXT;
