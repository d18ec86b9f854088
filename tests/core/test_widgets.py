"""FastSelect draws exactly what Django's select templates draw."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from coffeechat.core.widgets import FastSelect

CHOICES: list[Any] = [
    ("", "—"),
    (1, "1/5"),
    ("a&b", "Tom & <Jerry>"),
    ("Group <g>", [("x", "Ex"), ("y", "Why")]),
]


@pytest.mark.parametrize("value", [None, "", 1, "1", "a&b", "y", ["x", "y"]])
@pytest.mark.parametrize(
    "attrs",
    [None, {"id": "id_t5-status", "required": True}, {"disabled": False, "data-x": 'q"uote'}],
)
def test_it_draws_the_same_html_as_django(value: Any, attrs: dict[str, Any] | None) -> None:
    for django_widget, fast in (
        (forms.Select(choices=CHOICES), FastSelect(choices=CHOICES)),
        (
            forms.Select(attrs={"class": "s"}, choices=CHOICES[:2]),
            FastSelect(attrs={"class": "s"}, choices=CHOICES[:2]),
        ),
    ):
        expected = django_widget.render("t5-status", value, attrs)
        assert fast.render("t5-status", value, attrs) == expected


def test_it_draws_a_model_forms_select_the_same_way() -> None:
    class Choice(forms.Form):
        status = forms.ChoiceField(choices=[("active", "Active"), ("paused", "Paused")])

    form = Choice(initial={"status": "paused"}, prefix="t1")
    expected = str(form["status"])
    form.fields["status"].widget = FastSelect(choices=form.fields["status"].choices)
    assert str(form["status"]) == expected
