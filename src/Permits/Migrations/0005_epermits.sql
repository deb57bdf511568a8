-- Electronic construction permits (giay phep xay dung dien tu): the register of issued permits, each with its
-- signed JWS (the legal electronic document), and their revocations (thu hoi).

-- Per-unit, per-year sequence behind permit numbers such as GP-26743-2026-000045.
CREATE TABLE epermit_sequences (
    unit text NOT NULL,
    year integer NOT NULL,
    last_value bigint NOT NULL,
    PRIMARY KEY (unit, year)
);

CREATE TABLE epermits (
    number text PRIMARY KEY,
    -- One dossier, one permit: a retried approval finds the permit already issued.
    dossier_number text NOT NULL UNIQUE,
    unit text NOT NULL,
    parcel_id bigint NOT NULL,
    issued_at timestamptz NOT NULL,
    valid_until timestamptz NOT NULL,
    key_id text NOT NULL,
    -- The compact JWS exactly as issued; its payload holds the claims (no personal data beyond initials).
    jws text NOT NULL,
    holder_name text,
    holder_subject text,
    created_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON COLUMN epermits.holder_name IS
    'RESTRICTED personal data: shown only to the holder and to officers, never in public or verify outputs.';

CREATE INDEX epermits_parcel ON epermits (parcel_id);

-- Append-only: the first revocation of a permit stands.
CREATE TABLE epermit_revocations (
    number text PRIMARY KEY REFERENCES epermits (number),
    revoked_at timestamptz NOT NULL,
    revoked_by text NOT NULL,
    reason text NOT NULL CHECK (length(btrim(reason)) > 0)
);

CREATE INDEX epermit_revocations_time ON epermit_revocations (revoked_at DESC);
