"""Trigram indexes so that searching people by part of a name or e-mail stays fast at a million
people (PostgreSQL only: `icontains` there is `UPPER(col::text) LIKE UPPER('%term%')`, which these
GIN indexes serve; SQLite, the embedded development database, scans as before).

pg_trgm ships with PostgreSQL and is a trusted extension since PostgreSQL 13, so the database
owner can enable it without superuser rights.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS person_email_trigram ON identity_person "
    "USING gin (UPPER(email::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS person_full_name_trigram ON identity_person "
    "USING gin (UPPER(full_name::text) gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS person_email_trigram",
    "DROP INDEX IF EXISTS person_full_name_trigram",
]


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("identity", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
