-- Role, database and PostGIS for the tests; idempotent, run by scripts/services.sh on every start.
SELECT 'CREATE ROLE hcmcity LOGIN SUPERUSER PASSWORD ''hcmcity'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hcmcity')\gexec
SELECT 'CREATE DATABASE hcmcity OWNER hcmcity ENCODING ''UTF8'''
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'hcmcity')\gexec
\connect hcmcity
CREATE EXTENSION IF NOT EXISTS postgis;
