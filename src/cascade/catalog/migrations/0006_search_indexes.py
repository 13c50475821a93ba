"""Full-text indexes of the catalog search, per database.

PostgreSQL: a GIN index on the weighted tsvector `document`, and a trigram index on titles so a
mistyped word still finds its item (pg_trgm is enabled by identity 0002).
SQLite: an FTS5 table over the entries' title, summary and text, kept in step by triggers
(external-content table: the text is stored once, in catalog_searchentry).
"""

from django.db import migrations

POSTGRESQL_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS search_entry_document ON catalog_searchentry "
    "USING gin (document)",
    "CREATE INDEX IF NOT EXISTS search_entry_title_trigram ON catalog_searchentry "
    "USING gin (title gin_trgm_ops)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_document",
    "DROP INDEX IF EXISTS search_entry_title_trigram",
]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE catalog_search_fts USING fts5("
    "title, summary, text, content='catalog_searchentry', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER catalog_search_fts_insert AFTER INSERT ON catalog_searchentry BEGIN "
    "INSERT INTO catalog_search_fts(rowid, title, summary, text) "
    "VALUES (new.id, new.title, new.summary, new.text); END",
    "CREATE TRIGGER catalog_search_fts_delete AFTER DELETE ON catalog_searchentry BEGIN "
    "INSERT INTO catalog_search_fts(catalog_search_fts, rowid, title, summary, text) "
    "VALUES ('delete', old.id, old.title, old.summary, old.text); END",
    "CREATE TRIGGER catalog_search_fts_update AFTER UPDATE ON catalog_searchentry BEGIN "
    "INSERT INTO catalog_search_fts(catalog_search_fts, rowid, title, summary, text) "
    "VALUES ('delete', old.id, old.title, old.summary, old.text); "
    "INSERT INTO catalog_search_fts(rowid, title, summary, text) "
    "VALUES (new.id, new.title, new.summary, new.text); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_search_fts_update",
    "DROP TRIGGER IF EXISTS catalog_search_fts_delete",
    "DROP TRIGGER IF EXISTS catalog_search_fts_insert",
    "DROP TABLE IF EXISTS catalog_search_fts",
]


def _run(postgresql: list[str], sqlite: list[str]):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for statement in {"postgresql": postgresql, "sqlite": sqlite}.get(vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_revisions_formats_search")]

    operations = [
        migrations.RunPython(
            _run(POSTGRESQL_FORWARD, SQLITE_FORWARD), _run(POSTGRESQL_BACKWARD, SQLITE_BACKWARD)
        )
    ]
