-- Qifu on PostgreSQL: the application connects as a role that does not own the tables
-- (MLPS 2.0 level 3, 安全审计 c/d: the audit log can be neither rewritten nor switched off by it).
--
-- Run as the owner role (the one `manage.py migrate` uses) after each migrate, with psql:
--   psql "$OWNER_DATABASE_URL" -v app=qifu_app -f scripts/pg-app-role.sql
-- The application's DATABASE_URL then names qifu_app; migrations keep using the owner.
-- Only the owner (or a superuser) can TRUNCATE, ALTER TABLE … DISABLE TRIGGER or DROP; the app
-- role gets row access to every table and, on the audit log, SELECT and INSERT only.

GRANT USAGE ON SCHEMA public TO :"app";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON core_auditevent FROM :"app";
GRANT SELECT, INSERT ON core_auditevent TO :"app";
