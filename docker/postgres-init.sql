-- Application role and database for Vigil, created next to Temporal's databases in the same
-- Postgres container. Runs once, from /docker-entrypoint-initdb.d, when the data volume is empty.
-- Written to be re-runnable by hand as well: psql -U temporal -d temporal -f docker/postgres-init.sql

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'vigil') THEN
    CREATE ROLE vigil WITH LOGIN PASSWORD 'vigil';
  END IF;
END
$$;

-- CREATE DATABASE cannot run inside a DO block; \gexec runs it only when the database is missing.
SELECT 'CREATE DATABASE vigil OWNER vigil'
WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_database WHERE datname = 'vigil')\gexec

-- The app role owns its database (and, as database owner, its public schema) but nothing else.
REVOKE ALL ON DATABASE vigil FROM PUBLIC;
GRANT ALL PRIVILEGES ON DATABASE vigil TO vigil;
