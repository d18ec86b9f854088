from __future__ import annotations

from typing import Any

from django import forms

from coffeechat.core.scoping import owned
from coffeechat.imports.models import FORMAT_CHOICES
from coffeechat.imports.records import ColumnMapping
from coffeechat.imports.upload_types import ACCEPTED, SNIFF_BYTES, check_upload
from coffeechat.network.models import Affiliation, AffiliationKind

# Fields a column may feed that can repeat (several e-mail or phone columns).
REPEATABLE = {"email": "extra_emails", "phone": "extra_phones"}


class UploadForm(forms.Form):
    file = forms.FileField(
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED)}),
        help_text="A LinkedIn export (Connections.csv or the whole .zip), a Google, Outlook or "
        "Thunderbird CSV, a vCard file, or any CSV with one person per row; or a calendar "
        "invitation (.ics) someone sent you, which becomes a scheduled conversation.",
    )
    format = forms.ChoiceField(
        choices=[("", "Recognise it for me"), *FORMAT_CHOICES], required=False
    )
    affiliation = forms.ModelChoiceField(
        queryset=Affiliation.objects.none(),
        required=False,
        label="Everyone in this file belongs to",
        empty_label="— no group —",
        help_text="For an alumni directory or a member list: each person becomes a member.",
    )
    new_affiliation_name = forms.CharField(
        max_length=200, required=False, label="…or a new group named"
    )
    new_affiliation_kind = forms.ChoiceField(
        choices=AffiliationKind.choices, required=False, label="Kind of group"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["affiliation"].queryset = owned(Affiliation, user)  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        head = upload.read(SNIFF_BYTES)
        upload.seek(0)
        check_upload(upload.name or "upload", head)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("affiliation") and data.get("new_affiliation_name"):
            self.add_error("new_affiliation_name", "Pick an existing group or name a new one.")
        return data


class MappingForm(forms.Form):
    """One select per column of the file: which field it feeds, or none."""

    remember = forms.BooleanField(
        required=False, initial=True, label="Use this mapping for the next file with these columns"
    )

    def __init__(
        self,
        *args: Any,
        header: list[str],
        mapping: ColumnMapping | None,
        fields: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.header = header
        current: dict[int, str] = {}
        if mapping is not None:
            current = {index: name for name, index in mapping.columns.items()}
            for index in mapping.extra_emails:
                current[index] = "email"
            for index in mapping.extra_phones:
                current[index] = "phone"
        choices = [("", "— ignore —"), *fields]
        for index, title in enumerate(header):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                choices=choices,
                required=False,
                label=title or f"Column {index + 1}",
                initial=current.get(index, ""),
            )

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"column_{i}"] for i in range(len(self.header))]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: dict[str, int] = {}
        for index in range(len(self.header)):
            name = data.get(f"column_{index}") or ""
            if name and name not in REPEATABLE and name in seen:
                self.add_error(
                    f"column_{index}",
                    f"Column {seen[name] + 1} already feeds this field; pick one of them.",
                )
            seen.setdefault(name, index)
        names = {data.get(f"column_{i}") for i in range(len(self.header))}
        if not names & {"first_name", "last_name", "full_name"}:
            raise forms.ValidationError(
                "Pick the column that holds the name (a full name, or first and last name)."
            )
        return data

    def mapping(self) -> ColumnMapping:
        result = ColumnMapping(columns={})
        for index in range(len(self.header)):
            name = self.cleaned_data.get(f"column_{index}") or ""
            if not name:
                continue
            if name in REPEATABLE and name in result.columns:
                getattr(result, REPEATABLE[name]).append(index)
            else:
                result.columns[name] = index
        return result
