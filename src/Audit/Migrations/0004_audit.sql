-- Audit trail (nhat ky kiem toan): append-only and hash-chained. Each entry's hash is
-- SHA-256(prev_hash || canonical JSON of the entry) (HcmCity.Storage.Audit.AuditChain), so altering an entry breaks
-- its hash and deleting one breaks the next entry's link. audit_head keeps the last seq and hash: appenders lock
-- its row (one chain, in commit order) and the verifier compares it with the log's last entry (a deleted tail).
-- details never hold personal data: people are referred to by id.

CREATE TABLE audit_log (
    seq bigint PRIMARY KEY,
    at timestamptz NOT NULL,
    actor text NOT NULL,
    role text NOT NULL,
    action text NOT NULL,
    subject text NOT NULL,
    -- Canonical JSON text as hashed (text, not jsonb: jsonb would reorder keys and change the hashed bytes).
    details text NOT NULL,
    prev_hash bytea NOT NULL CHECK (length(prev_hash) = 32),
    hash bytea NOT NULL UNIQUE CHECK (length(hash) = 32)
);

CREATE INDEX audit_log_subject ON audit_log (subject, seq);

CREATE TABLE audit_head (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    seq bigint NOT NULL,
    hash bytea NOT NULL CHECK (length(hash) = 32)
);

INSERT INTO audit_head (id, seq, hash) VALUES (true, 0, decode(repeat('00', 32), 'hex'));

CREATE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE TRIGGER audit_head_no_delete
    BEFORE DELETE OR TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
