-- Roles, database and PostGIS for the tests; idempotent, run by scripts/services.sh on every start.
-- hcmcity: superuser; the fixtures create a database per test class with it (HCM_TEST_POSTGRES).
-- hcmcity_owner: owns a schema and runs its migrations, nothing more (HCM_TEST_POSTGRES_OWNER).
-- hcmcity_app: the application's role; migration 0010 grants it rows, never tables (HCM_TEST_POSTGRES_APP).
SELECT 'CREATE ROLE hcmcity LOGIN SUPERUSER PASSWORD ''hcmcity'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hcmcity')\gexec
SELECT 'CREATE ROLE hcmcity_owner LOGIN CREATEDB PASSWORD ''hcmcity_owner'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hcmcity_owner')\gexec
-- Migration 0010 creates hcmcity_app without login where it is missing: give it login either way.
SELECT 'CREATE ROLE hcmcity_app LOGIN PASSWORD ''hcmcity_app'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hcmcity_app')\gexec
ALTER ROLE hcmcity_app LOGIN PASSWORD 'hcmcity_app';
SELECT 'CREATE DATABASE hcmcity OWNER hcmcity ENCODING ''UTF8'''
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'hcmcity')\gexec
\connect hcmcity
CREATE EXTENSION IF NOT EXISTS postgis;
