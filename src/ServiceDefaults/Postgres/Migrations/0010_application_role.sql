-- The application's role (hcmcity_app) reads and writes the capabilities' rows and nothing more: it owns no table, so
-- it can neither alter one, disable a trigger nor truncate (issue #11, item 3). The role that runs the migrations
-- (ConnectionStrings:PostgresOwner) owns the schema; 0011 narrows the audit tables further.
-- Operators create hcmcity_app as a login role (scripts/services.sh, deploy/postgres/init-roles.sh); where it does not
-- exist yet it is created here without login, for the deployment to grant to a login role of its own.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hcmcity_app') THEN
        CREATE ROLE hcmcity_app NOLOGIN;
    END IF;
EXCEPTION
    -- Roles are cluster-wide: the migration of another database may have created it a moment ago.
    WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

-- The tables and sequences the migrations created, whichever capabilities this process knows; not the migrator's own
-- bookkeeping (the application must not forge schema_migrations) nor objects that belong to an extension (PostGIS).
DO $$
DECLARE
    item record;
BEGIN
    FOR item IN SELECT nspname FROM pg_namespace WHERE nspname IN ('public', 'restricted') LOOP
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO hcmcity_app', item.nspname);
    END LOOP;
    FOR item IN
        SELECT n.nspname, c.relname, c.relkind
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('public', 'restricted')
          AND c.relkind IN ('r', 'p', 'S')
          AND pg_get_userbyid(c.relowner) = current_user
          AND c.relname <> 'schema_migrations'
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
    LOOP
        IF item.relkind = 'S' THEN
            EXECUTE format('GRANT USAGE, SELECT, UPDATE ON SEQUENCE %I.%I TO hcmcity_app', item.nspname, item.relname);
        ELSE
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I.%I TO hcmcity_app', item.nspname, item.relname);
        END IF;
    END LOOP;
END
$$;

-- Tables and sequences later migrations create (run by the same owner) get the same rights.
ALTER DEFAULT PRIVILEGES GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO hcmcity_app;
ALTER DEFAULT PRIVILEGES GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO hcmcity_app;
