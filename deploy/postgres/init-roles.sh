#!/bin/sh
# First start of the postgis container (docker-entrypoint-initdb.d, after the image's own PostGIS script): the two
# roles of issue #11, item 3.
#   hcmcity_owner  owns the database and its schema, runs the migrations (ConnectionStrings__PostgresOwner)
#   hcmcity_app    the platform's role: reads and writes rows, owns nothing, so it can neither alter a table, disable
#                  a trigger nor truncate, and may only append to the audit trail (migrations 0010 and 0011)
# The superuser (POSTGRES_USER) is for the database administrator only; no platform process gets it.
set -eu
: "${POSTGRES_OWNER_PASSWORD:?set POSTGRES_OWNER_PASSWORD}" "${POSTGRES_APP_PASSWORD:?set POSTGRES_APP_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner_password="$POSTGRES_OWNER_PASSWORD" -v app_password="$POSTGRES_APP_PASSWORD" <<'SQL'
CREATE ROLE hcmcity_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE hcmcity_app LOGIN PASSWORD :'app_password';
ALTER DATABASE hcmcity OWNER TO hcmcity_owner;
-- PostGIS was installed by the superuser; migration 0001 adds the VN-2000 coordinate systems to its table.
CREATE EXTENSION IF NOT EXISTS postgis;
GRANT INSERT, UPDATE ON spatial_ref_sys TO hcmcity_owner;
SQL
