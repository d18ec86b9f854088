# The search index (coffeechat.network.search): its two tables, the triggers that keep
# it in step with every write, a trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL),
# and every existing person marked for indexing (the worker or the first search builds
# their rows).

import django.db.models.deletion
from django.db import OperationalError, migrations, models, transaction

# The triggers come from the module, so a later change to them is a new migration that
# drops and recreates them the same way (this one then creates the newer set first).
from coffeechat.network.search import FTS_DROP, FTS_SQL, trigger_sql

TRIGRAM_INDEX = (
    "CREATE INDEX network_personsearch_document_trgm "
    "ON network_personsearch USING gin (document gin_trgm_ops)"
)


def create_triggers(apps, schema_editor):
    connection = schema_editor.connection
    create, _ = trigger_sql(connection.vendor)
    with connection.cursor() as cursor:
        for statement in create:
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            # pg_trgm ships with PostgreSQL but needs a privileged role to create it once;
            # without it search still works, scanning the owner's rows.
            cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
            if cursor.fetchone():
                cursor.execute(
                    "SELECT rolsuper OR rolcreatedb FROM pg_roles WHERE rolname = current_user"
                )
                allowed = cursor.fetchone()[0]
                cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
                if cursor.fetchone() is None and allowed:
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
                if cursor.fetchone():
                    cursor.execute(TRIGRAM_INDEX)
        if connection.vendor == "sqlite":
            # The trigram tokenizer needs SQLite 3.34 or newer; without it search scans.
            try:
                with transaction.atomic(using=schema_editor.connection.alias):
                    for statement in FTS_SQL:
                        cursor.execute(statement)
            except OperationalError:
                pass
        cursor.execute("INSERT INTO network_searchdirty (person_id) SELECT id FROM network_person")


def drop_triggers(apps, schema_editor):
    connection = schema_editor.connection
    _, drop = trigger_sql(connection.vendor)
    with connection.cursor() as cursor:
        for statement in drop:
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS network_personsearch_document_trgm")
        else:
            for statement in FTS_DROP:
                cursor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('network', '0006_contact_types'),
    ]

    operations = [
        migrations.CreateModel(
            name='PersonSearch',
            fields=[
                ('person', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='search', serialize=False, to='network.person')),
                ('owner_id', models.BigIntegerField(db_index=True)),
                ('names', models.TextField()),
                ('document', models.TextField()),
            ],
        ),
        migrations.CreateModel(
            name='SearchDirty',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('person_id', models.BigIntegerField(db_index=True)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
