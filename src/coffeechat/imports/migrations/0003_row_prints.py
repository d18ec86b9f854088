# Row prints (coffeechat.imports.prints): the table, and the triggers that delete a
# person's prints whenever anything an import reads of that person changes.

from django.db import migrations, models

# The triggers come from the module, so a later change to them is a new migration that
# drops and recreates them the same way.
from coffeechat.imports.prints import TRIGGERS
from coffeechat.network.search import trigger_sql


def create_triggers(apps, schema_editor):
    create, _ = trigger_sql(schema_editor.connection.vendor, TRIGGERS)
    with schema_editor.connection.cursor() as cursor:
        for statement in create:
            cursor.execute(statement)


def drop_triggers(apps, schema_editor):
    _, drop = trigger_sql(schema_editor.connection.vendor, TRIGGERS)
    with schema_editor.connection.cursor() as cursor:
        for statement in drop:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0002_add_staging_owner"),
        ("network", "0010_search_sort"),
    ]

    operations = [
        migrations.CreateModel(
            name="RowPrint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("owner_id", models.BigIntegerField(db_index=True)),
                ("person_id", models.BigIntegerField(db_index=True)),
                ("fingerprint", models.CharField(max_length=32)),
                ("problems", models.TextField(blank=True, default="")),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
