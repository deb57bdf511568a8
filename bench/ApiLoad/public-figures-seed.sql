-- Load data for the "public" and "public-sites" scenarios: 10,000 dossiers in eight wards (bench-0..bench-7) over
-- 2026, 60 % resolved (some late), the rest open, and 200 sites with 2,000 alerts, half acknowledged. Run it once
-- on the platform's database after its migrations: psql "$DATABASE" -f bench/ApiLoad/public-figures-seed.sql
-- Deadlines here are 9 calendar days (about 7 working days): load data, not a check of the figures (the tests do that).
BEGIN;

INSERT INTO restricted.permit_applicants (citizen_id, full_name, address, phone)
VALUES ('000000000001', 'Bench', 'Bench', '0000000000') ON CONFLICT (citizen_id) DO NOTHING;

INSERT INTO permit_applications (number, unit, parcel_id, permit_type, floors, height, basements, road_width, footprint,
    applicant_id, state, submitted_by, submitted_role, submitted_at, complete_at, deadline, deficiency_notified, warned,
    overdue, permit_number, tracking_secret_hash, version, updated_at)
SELECT 'HS-BENCH-' || lpad(i::text, 6, '0'), 'bench-' || (i % 8), i, (ARRAY['new-construction', 'repair-renovation', 'relocation', 'term-limited'])[1 + i % 4],
    3, 12, 0, 6, ST_SetSRID(ST_MakeEnvelope(600000, 1190000, 600005, 1190016), 9210),
    (SELECT id FROM restricted.permit_applicants WHERE citizen_id = '000000000001'),
    CASE WHEN i % 10 < 6 THEN 'approved' ELSE 'appraisal' END, 'bench', 'citizen', at, at, (at + interval '9 days')::date,
    false, false, false, NULL, sha256(i::text::bytea), CASE WHEN i % 10 < 6 THEN 2 ELSE 1 END, at
FROM (SELECT i, timestamptz '2026-01-02 01:00+00' + (i * interval '29 minutes') AS at FROM generate_series(1, 10000) i) d;

INSERT INTO permit_events (number, seq, action, from_state, to_state, actor_subject, actor_role, at, reason)
SELECT number, 1, 'submit', '', 'submitted', 'bench', 'citizen', submitted_at, NULL FROM permit_applications WHERE number LIKE 'HS-BENCH-%';

INSERT INTO permit_events (number, seq, action, from_state, to_state, actor_subject, actor_role, at, reason)
SELECT number, 2, 'approve', 'appraisal', 'approved', 'bench-officer', 'officer',
    submitted_at + (parcel_id % 15) * interval '1 day' + interval '2 hours', NULL
FROM permit_applications WHERE number LIKE 'HS-BENCH-%' AND state = 'approved';

INSERT INTO sites (id, permit_number, parcel_id, ward, zone, footprint, conditions, status, created_at)
SELECT 'bench-site-' || i, 'GP-BENCH-' || i, i, 'bench-' || (i % 8), 'normal',
    ST_SetSRID(ST_MakeEnvelope(106.6 + i * 0.001, 10.7, 106.6002 + i * 0.001, 10.7002), 4326),
    '{"dayStart":"06:00:00","nightStart":"21:00:00","noiseDayDb":70,"noiseNightDb":55,"vibrationDayDb":75,"pm10DayUg":100,"pm25DayUg":45}',
    'ok', timestamptz '2026-01-05 00:00+00' + (i * interval '1 day')
FROM generate_series(1, 200) i;

INSERT INTO site_alerts (id, site_id, device_id, metric, severity, value, limit_value, state, raised_at, acknowledged_at, acknowledged_by)
SELECT gen_random_uuid(), 'bench-site-' || (1 + i % 200), 'bench-dev', 'laeq', 'violation', 80, 70,
    CASE WHEN i % 2 = 0 THEN 'acknowledged' ELSE 'raised' END, timestamptz '2026-01-10 00:00+00' + (i * interval '3 hours'),
    CASE WHEN i % 2 = 0 THEN timestamptz '2026-01-10 00:05+00' + (i * interval '3 hours') END,
    CASE WHEN i % 2 = 0 THEN 'bench-inspector' END
FROM generate_series(1, 2000) i;

COMMIT;
ANALYZE permit_applications;
ANALYZE permit_events;
ANALYZE sites;
ANALYZE site_alerts;
