"""Operations on the whole store: backup and restore (docs/backup.md).

A backup is one file: a tar holding ``manifest.json`` (what Nitka, which schema
revision, which backend, when, how many rows in each table, the payload's
SHA-256) and the payload (SQLite: a copy made with SQLite's online backup API;
PostgreSQL: ``pg_dump`` in the custom format). Both are written beside their
target under a temporary name and take its place only when complete and
checked, so that a killed or failed run never leaves a file that looks
finished, nor a store half-restored.
"""
