"""Search rows get a sort key: the order of people whose rank is the same."""

from django.db import migrations, models

# A plain ADD COLUMN: on SQLite, Django's AddField would rebuild the table, which the
# search triggers of migration 0007 refer to.
ADD = "ALTER TABLE network_personsearch ADD COLUMN sort text NOT NULL DEFAULT ''"
DROP = "ALTER TABLE network_personsearch DROP COLUMN sort"


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0009_add_mail_exchange"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(ADD, DROP)],
            state_operations=[
                migrations.AddField(
                    model_name="personsearch",
                    name="sort",
                    field=models.TextField(default=""),
                ),
            ],
        ),
        # Every search row is rebuilt with its sort key: a search rebuilds the rows of
        # its owner first, and the worker sweeps up the rest.
        migrations.RunSQL(
            "INSERT INTO network_searchdirty (person_id) SELECT id FROM network_person",
            migrations.RunSQL.noop,
        ),
    ]
