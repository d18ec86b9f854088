"""The nudge dates come from the no-reply policy: the first (3 business days, as the
default "try another person") and second (7, as the default nudge) keep their values."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0002_message_conversation"),
    ]

    operations = [
        migrations.RenameField("message", "first_nudge_on", "try_another_on"),
        migrations.RenameField("message", "second_nudge_on", "nudge_due_on"),
        migrations.AlterField(
            model_name="message",
            name="nudge_due_on",
            field=models.DateField(blank=True, help_text="No reply by then: nudge.", null=True),
        ),
        migrations.AlterField(
            model_name="message",
            name="try_another_on",
            field=models.DateField(
                blank=True, help_text="No reply by then: write to someone else there.", null=True
            ),
        ),
    ]
