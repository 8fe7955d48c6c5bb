"""The full-text index of the database in use: a GIN index on the stored tsvector on PostgreSQL, an FTS5 table
on SQLite."""

from django.db import migrations

PG_CREATE = "CREATE INDEX IF NOT EXISTS search_entry_tsv ON search_searchentry USING gin (tsv)"
PG_DROP = "DROP INDEX IF EXISTS search_entry_tsv"
SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_entry_fts USING fts5(title, tokens, tokenize = 'unicode61 remove_diacritics 0')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS search_entry_fts"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_entries")]
    operations = [migrations.RunPython(create, drop)]
