-- Construction sites under monitoring (cong truong), their sensors and alerts.
-- A site references its parcel by id without a foreign key: parcel records are replaced by re-imports, while a
-- site's permit history must survive them.

CREATE TABLE sites (
    id text PRIMARY KEY,
    permit_number text NOT NULL,
    parcel_id bigint NOT NULL,
    ward text NOT NULL,
    -- QCVN 26:2010/BTNMT zone: 'special' (hospitals, schools, libraries, worship) or 'normal'.
    zone text NOT NULL CHECK (zone IN ('normal', 'special')),
    footprint geometry(Geometry, 4326) NOT NULL,
    -- Permit conditions with national defaults filled in at registration (SiteConditions).
    conditions jsonb NOT NULL,
    status text NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'warning', 'violation', 'offline')),
    status_since timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX sites_footprint_gist ON sites USING gist (footprint);
CREATE INDEX sites_ward ON sites (ward);

CREATE TABLE site_sensors (
    device_id text PRIMARY KEY,
    site_id text NOT NULL REFERENCES sites (id),
    kind text NOT NULL CHECK (kind IN ('noise', 'pm', 'vibration', 'tilt')),
    -- PBKDF2 hash of the device's MQTT secret; the secret itself is shown once and never stored.
    secret_hash text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX site_sensors_site ON site_sensors (site_id);

CREATE TABLE site_alerts (
    id uuid PRIMARY KEY,
    site_id text NOT NULL REFERENCES sites (id),
    device_id text NOT NULL,
    metric text NOT NULL,
    severity text NOT NULL,
    value double precision,
    limit_value double precision,
    state text NOT NULL CHECK (state IN ('raised', 'acknowledged', 'resolved')),
    raised_at timestamptz NOT NULL,
    acknowledged_at timestamptz,
    acknowledged_by text,
    resolved_at timestamptz,
    resolved_by text
);

CREATE INDEX site_alerts_open ON site_alerts (site_id, raised_at) WHERE state <> 'resolved';
