"""The no-reply policy's numbers move to the profile, where outreach reads them too."""

from django.db import migrations

FIELDS = ("try_another_after_days", "nudge_after_days", "max_nudges")


def copy_to_profile(apps, schema_editor):
    FollowUpSettings = apps.get_model("followups", "FollowUpSettings")
    Profile = apps.get_model("accounts", "Profile")
    for row in FollowUpSettings.objects.all():
        Profile.objects.update_or_create(
            user_id=row.owner_id, defaults={name: getattr(row, name) for name in FIELDS}
        )


def copy_back(apps, schema_editor):
    FollowUpSettings = apps.get_model("followups", "FollowUpSettings")
    Profile = apps.get_model("accounts", "Profile")
    for profile in Profile.objects.all():
        FollowUpSettings.objects.filter(owner_id=profile.user_id).update(
            **{name: getattr(profile, name) for name in FIELDS}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_add_no_reply_policy"),
        ("followups", "0002_add_conversation_message"),
    ]

    operations = [
        migrations.RunPython(copy_to_profile, copy_back),
        *(migrations.RemoveField(model_name="followupsettings", name=name) for name in FIELDS),
    ]
