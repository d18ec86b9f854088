from __future__ import annotations

from django import forms

from coffeechat.progress.models import WeeklyReviewSettings


class ReviewSettingsForm(forms.ModelForm[WeeklyReviewSettings]):
    class Meta:
        model = WeeklyReviewSettings
        fields = ["email_enabled", "weekday"]
        help_texts = {
            "email_enabled": "Off by default. It comes in the morning (from 08:00 your time) "
            "of the day you choose, and reviews the last complete week.",
        }
