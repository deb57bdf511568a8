-- The application may read the audit trail and append to it, nothing else (issue #11, item 3): no INSERT, UPDATE or
-- DELETE of its own on audit_log and audit_head, only these two functions, which run as the owner
-- (SECURITY DEFINER) and can do nothing but extend the chain at its head. Rewriting the trail then needs the owner's
-- credentials, and even then the signed checkpoints kept outside the database (Audit:CheckpointDirectory) expose it.

REVOKE ALL ON audit_log, audit_head FROM hcmcity_app;
GRANT SELECT ON audit_log, audit_head TO hcmcity_app;

-- The head, locked until the caller's transaction ends: appenders chain one after the other, in commit order.
CREATE FUNCTION audit_lock_head(OUT seq bigint, OUT hash bytea)
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT h.seq, h.hash FROM public.audit_head h FOR UPDATE;
$$;

-- Appends one sealed entry; refused unless it is the next seq and links to the head's hash.
CREATE FUNCTION audit_append(
    p_seq bigint, p_at timestamptz, p_actor text, p_role text, p_action text, p_subject text, p_details text,
    p_prev_hash bytea, p_hash bytea)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    head_seq bigint;
    head_hash bytea;
BEGIN
    SELECT h.seq, h.hash INTO head_seq, head_hash FROM public.audit_head h FOR UPDATE;
    IF p_seq <> head_seq + 1 OR p_prev_hash <> head_hash THEN
        RAISE EXCEPTION 'audit entry % does not extend the head (entry %)', p_seq, head_seq
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    INSERT INTO public.audit_log (seq, at, actor, role, action, subject, details, prev_hash, hash)
    VALUES (p_seq, p_at, p_actor, p_role, p_action, p_subject, p_details, p_prev_hash, p_hash);
    UPDATE public.audit_head SET seq = p_seq, hash = p_hash;
END
$$;

REVOKE ALL ON FUNCTION audit_lock_head() FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_append(bigint, timestamptz, text, text, text, text, text, bytea, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_lock_head() TO hcmcity_app;
GRANT EXECUTE ON FUNCTION audit_append(bigint, timestamptz, text, text, text, text, text, bytea, bytea) TO hcmcity_app;
