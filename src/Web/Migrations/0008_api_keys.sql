-- Developer API keys (khóa API cho nhà phát triển). The key itself is shown once at creation; only its SHA-256 is
-- kept (a key is 256 random bits, so no salt or slow hash is needed). The prefix finds the row; revocation keeps it.

CREATE TABLE api_keys (
    id uuid PRIMARY KEY,
    prefix text NOT NULL UNIQUE,
    key_hash bytea NOT NULL,
    owner_subject text NOT NULL,
    name text NOT NULL,
    requests_per_minute integer NOT NULL CHECK (requests_per_minute > 0),
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);

CREATE INDEX api_keys_owner ON api_keys (owner_subject);
