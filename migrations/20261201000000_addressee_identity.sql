-- Issue 10 (ID-03, eIDAS Art. 44(1)(c)): the person identified at a reception must be the
-- addressee the sender named. Portable SQL (SQLite and PostgreSQL).

-- The identity proofing (an account's, `identity_proofing.id`) that allowed an account holder's
-- decision; a reception proofing's is `reception_id`. Its identification evidence goes into the
-- dossier.
ALTER TABLE letter_transaction ADD COLUMN recipient_identification_id TEXT;

-- A proofing (of an account or at this reception) whose verified identity is not the
-- addressee's: recorded once per proofing and transaction, journaled and told to the sender
-- in the same transaction; nothing is delivered to that person.
CREATE TABLE addressee_mismatch (
    transaction_id TEXT NOT NULL REFERENCES letter_transaction (id),
    -- `identity_proofing.id` or `reception.id`
    proofing_id TEXT NOT NULL,
    verified_name TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (transaction_id, proofing_id)
);

-- Policy §5.1: a consent request discloses the sender by the name their identity proofing
-- verified (a request is a qualified action); kept with the request, so that its answer and
-- expiry evidence name the same person. Older rows fall back to the account's name.
ALTER TABLE consent ADD COLUMN sender_name TEXT;
