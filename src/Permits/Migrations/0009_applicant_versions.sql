-- Applicant profiles belong to the signed-in person who declared them, and are never overwritten (issue #11).
-- Before: one row per CCCD, replaced by whoever next declared that CCCD, so anyone knowing a CCCD could change the
-- name, address and phone an officer saw on another person's dossier, and learn whether the CCCD was on file.
-- Now: a row is one version of one owner's profile, immutable; a change is a new row with the next version, and a
-- dossier keeps the row it was filed with. The owner is the token subject of the citizen who declared it (linked
-- once: every version of an owner has the same CCCD); a profile declared at the counter by an officer has none and is
-- never reused. Rows written before this migration have no owner, as no one can tell who last wrote them.

ALTER TABLE restricted.permit_applicants DROP CONSTRAINT permit_applicants_citizen_id_key;

ALTER TABLE restricted.permit_applicants
    -- Token subject (sub) of the citizen whose profile this is; NULL for a counter declaration or an older row.
    ADD COLUMN owner_subject text,
    -- 1 for the first declaration of an owner, then one more per change.
    ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1);

CREATE UNIQUE INDEX permit_applicants_owner_version ON restricted.permit_applicants (owner_subject, version)
    WHERE owner_subject IS NOT NULL;

CREATE INDEX permit_applicants_citizen_id ON restricted.permit_applicants (citizen_id);
