-- The construction phase of a permit (after approval): commencement notice (thong bao khoi cong), suspension
-- (dinh chi thi cong) and resumption, completion (hoan cong), and expiry when the start-by date passes with no
-- commencement. Earlier dossiers keep their states; the new columns stay NULL for them.

ALTER TABLE permit_applications DROP CONSTRAINT permit_applications_state_check;
ALTER TABLE permit_applications ADD CONSTRAINT permit_applications_state_check CHECK (state IN
    ('submitted', 'appraisal', 'deficiency-notified', 'supplemented', 'approved', 'refused', 'withdrawn',
     'commenced', 'suspended', 'completed', 'expired'));

-- Start-by date of the issued e-permit (Vietnam date): it expires when that day ends with no commencement.
ALTER TABLE permit_applications ADD COLUMN start_by date;
-- Planned start date given in the holder's commencement notice.
ALTER TABLE permit_applications ADD COLUMN planned_start date;
