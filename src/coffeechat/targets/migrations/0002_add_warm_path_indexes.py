"""Indexes the warm-path search reads the network through.

Every query of the network starts with ``owner_id = ?``. Without statistics SQLite then
picks the owner index alone and reads every tie or membership of the user, which is
slow with 60,000 ties and 100,000 memberships. These composite indexes let both
SQLite and PostgreSQL go straight to the ties and memberships of the few hundred
people a search needs. They are created here, by the app that needs them, as plain
SQL (valid on both databases) so that the network app's models and migrations stay
as they are.
"""

from django.db import migrations

INDEXES = [
    ("targets_tie_owner_from", "network_tie", "owner_id, from_person_id"),
    ("targets_tie_owner_to", "network_tie", "owner_id, to_person_id"),
    ("targets_tie_owner_introducer", "network_tie", "owner_id, introduced_by_id"),
    ("targets_membership_owner_person", "network_membership", "owner_id, person_id"),
    ("targets_employment_owner_person", "network_employment", "owner_id, person_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0001_create_targets_postings_applications"),
        ("network", "0002_import_support"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, table, columns in INDEXES
    ]
