

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_create_my_affiliation'),
    ]

    operations = [
        migrations.AddField(
            model_name='profile',
            name='max_nudges',
            field=models.PositiveSmallIntegerField(default=2, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(5)], verbose_name='stop after this many unanswered nudges'),
        ),
        migrations.AddField(
            model_name='profile',
            name='nudge_after_days',
            field=models.PositiveSmallIntegerField(default=7, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(60)], verbose_name='no reply: nudge after (business days)'),
        ),
        migrations.AddField(
            model_name='profile',
            name='try_another_after_days',
            field=models.PositiveSmallIntegerField(default=3, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(60)], verbose_name='no reply: suggest another person after (business days)'),
        ),
    ]
