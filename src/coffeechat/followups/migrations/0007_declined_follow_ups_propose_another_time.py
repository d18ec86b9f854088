"""A declined invitation's follow-up is of its own kind, "Propose another time"; those
made before were "Other"."""

from django.db import migrations, models


def name_declined(apps, schema_editor):
    FollowUp = apps.get_model("followups", "FollowUp")
    FollowUp.objects.filter(rule="declined", kind="custom").update(kind="reschedule")


def unname_declined(apps, schema_editor):
    FollowUp = apps.get_model("followups", "FollowUp")
    FollowUp.objects.filter(kind="reschedule").update(kind="custom")


class Migration(migrations.Migration):

    dependencies = [
        ('followups', '0006_digest_sending_and_uncertain'),
    ]

    operations = [
        migrations.AlterField(
            model_name='followup',
            name='kind',
            field=models.CharField(choices=[('thank_you', 'Thank-you'), ('nudge', 'Nudge'), ('try_another', 'Try another person'), ('keep_in_touch', 'Keep in touch'), ('promised', 'Promised action'), ('prepare', 'Prepare'), ('debrief', 'Debrief'), ('supervisor_check_in', 'Check in with a prospective supervisor'), ('reschedule', 'Propose another time'), ('custom', 'Other')], default='custom', max_length=30),
        ),
        migrations.RunPython(name_declined, unname_declined),
    ]
