-- wslcuda's fleet history on a shared PostgreSQL server: three roles, least privilege
-- (docs/fleet.md, "Roles"). Run it once per fleet database, as a superuser or a role with
-- CREATEROLE that may grant on the database:
--
--   createdb fleet
--   psql -X -v ON_ERROR_STOP=1 -d fleet -f ci/postgres/roles.sql
--
-- wslcuda_owner   LOGIN    owns the tables: runs the migrations (DDL). Give it a password
--                          (ALTER ROLE wslcuda_owner PASSWORD '…') or a client certificate, and
--                          run the first `wslcuda history migrate --history postgresql://…`
--                          (or any history command) as this role.
-- wslcuda_ingest  NOLOGIN  a group for machines and CI jobs that record runs and push: SELECT
--                          and INSERT on wslcuda's tables, nothing else: no DDL, no UPDATE, no
--                          DELETE, no TRUNCATE. Ingest is idempotent with INSERT … ON CONFLICT
--                          DO NOTHING, which needs INSERT only; reading what is there (a run
--                          key already pushed, an id RETURNING) needs SELECT.
-- wslcuda_reader  NOLOGIN  a group for dashboards and `wslcuda history` queries: SELECT only.
--
-- Machines log in as members of a group, one login role each or one per CI system:
--   CREATE ROLE ci_fleet LOGIN PASSWORD '…' IN ROLE wslcuda_ingest;
--   CREATE ROLE grafana LOGIN PASSWORD '…' IN ROLE wslcuda_reader;
-- Passwords stay out of URIs: PGPASSWORD, ~/.pgpass or PGPASSFILE, or a service file.
--
-- The tables live in the database's public schema, which its owner controls: use a database of
-- its own for the fleet. Safe to run again, and from two sessions at once (an advisory lock
-- serialises it in one database; creating a role that exists is no error). Run it again after the owner's first migration (and after an upgrade's): it
-- grants on the tables that exist and takes INSERT on the schema's bookkeeping back from ingest.

BEGIN;
SELECT pg_advisory_xact_lock(hashtext('wslcuda ci/postgres/roles.sql'));

-- Roles belong to the whole cluster while the advisory lock is per database: a role that
-- another session (in another database) creates at the same moment is no error.
DO $roles$
BEGIN
  BEGIN
    CREATE ROLE wslcuda_owner LOGIN;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  BEGIN
    CREATE ROLE wslcuda_ingest NOLOGIN;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  BEGIN
    CREATE ROLE wslcuda_reader NOLOGIN;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO wslcuda_owner, wslcuda_ingest, wslcuda_reader',
                 current_database());
  -- Not even temporary tables for the others (PUBLIC has TEMPORARY by default).
  EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO wslcuda_owner', current_database());
END
$roles$;

-- Only the owner creates objects in the schema (PostgreSQL 15's default; servers before 15 let
-- every role create in public).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO wslcuda_owner;
GRANT USAGE ON SCHEMA public TO wslcuda_ingest, wslcuda_reader;

-- Tables and sequences the owner creates from now on (the migrations of later versions).
ALTER DEFAULT PRIVILEGES FOR ROLE wslcuda_owner IN SCHEMA public
  GRANT SELECT, INSERT ON TABLES TO wslcuda_ingest;
ALTER DEFAULT PRIVILEGES FOR ROLE wslcuda_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO wslcuda_ingest;
ALTER DEFAULT PRIVILEGES FOR ROLE wslcuda_owner IN SCHEMA public
  GRANT SELECT ON TABLES TO wslcuda_reader;

-- Tables the owner already created (the script run after the first migration).
DO $grants$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT c.relname, c.relkind FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relowner = 'wslcuda_owner'::regrole
             AND c.relkind IN ('r', 'p', 'v', 'S') LOOP
    IF t.relkind = 'S' THEN
      EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE public.%I TO wslcuda_ingest', t.relname);
    ELSE
      EXECUTE format('GRANT SELECT, INSERT ON public.%I TO wslcuda_ingest', t.relname);
      EXECUTE format('GRANT SELECT ON public.%I TO wslcuda_reader', t.relname);
    END IF;
  END LOOP;
  -- Read-only even for ingest: the schema's bookkeeping (a row there could make every wslcuda
  -- refuse the store as too new) and the local stores' pending marks.
  IF to_regclass('public.wslcuda_migrations') IS NOT NULL THEN
    REVOKE INSERT ON public.wslcuda_migrations FROM wslcuda_ingest;
  END IF;
  IF to_regclass('public.pending_pushes') IS NOT NULL THEN
    REVOKE INSERT ON public.pending_pushes FROM wslcuda_ingest;
  END IF;
END
$grants$;

COMMIT;
