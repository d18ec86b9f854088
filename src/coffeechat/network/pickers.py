"""Choosing one person in a form without listing every person.

A network can hold 30,000 people, so a form never renders them all. The picker is a
text box: with JavaScript, htmx asks ``network:person-search`` for the best matches as
you type and shows them as radio buttons; without it, the name typed is resolved when
the form is posted (one match: chosen; several: listed to choose from; none: an error).
Only the owner's people are ever found or accepted: the field's queryset is scoped by
:class:`coffeechat.network.forms.OwnedModelForm`, like any other choice of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from coffeechat.network.models import Person
from coffeechat.network.services import find_people

PICKER_SIZE = 20
QUERY_SUFFIX = "_q"


@dataclass(frozen=True)
class Picked:
    """What a picker posts: the ticked person's id and the text in its search box."""

    id: str
    query: str


class PersonPicker(forms.Widget):
    """A search box, the current choice as a ticked radio button, and room for matches."""

    template_name = "network/_person_picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices: Any = ()  # set by ModelChoiceField; never iterated (it is every person)
        self.matches: list[Person] = []
        self.more = False
        self.resolved: Person | None = None  # the person a typed name was resolved to

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Picked:
        return Picked(
            id=str(data.get(name) or ""),
            query=" ".join(str(data.get(name + QUERY_SUFFIX) or "").split()),
        )

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and name + QUERY_SUFFIX not in data

    def use_required_attribute(self, initial: Any) -> bool:
        return False  # the radio buttons carry the value, not the search box

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        field = getattr(self.choices, "field", None)
        picked = value if isinstance(value, Picked) else Picked(str(value or ""), "")
        chosen = self.resolved
        if chosen is not None:  # shown again for another field's error: keep the choice
            picked = Picked(str(chosen.pk), "")
        elif field is not None and picked.id.isdigit():
            chosen = field.queryset.filter(pk=int(picked.id)).first()
        final_attrs = self.build_attrs(self.attrs, attrs)
        element_id = final_attrs.pop("id", f"id_{name}")
        context = {
            "name": name,
            "query_name": name + QUERY_SUFFIX,
            "id": element_id,
            "attrs": final_attrs,
            "query": picked.query,
            "chosen": chosen,
            "empty_label": None if field is None or field.required else field.empty_label,
            "people": [p for p in self.matches if chosen is None or p.pk != chosen.pk],
            "more": self.more,
            "search_url": f"{reverse('network:person-search')}?field={name}",
        }
        return mark_safe(render_to_string(self.template_name, context))


class PersonPickerField(forms.ModelChoiceField):
    """One of the owner's people, chosen with a :class:`PersonPicker`."""

    widget = PersonPicker

    def __init__(self, queryset: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", "Nobody")
        super().__init__(queryset if queryset is not None else Person.objects.none(), **kwargs)

    def to_python(self, value: Any) -> Person | None:
        if isinstance(value, Picked):
            if value.query:
                return self._resolve(value)
            value = value.id
        return super().to_python(value)

    def has_changed(self, initial: Any, data: Any) -> bool:
        if isinstance(data, Picked):
            if data.query:
                return True
            data = data.id
        return super().has_changed(initial, data)

    def _resolve(self, picked: Picked) -> Person:
        """The person the typed text names, or an error that lists the candidates."""
        widget = self.widget
        assert isinstance(widget, PersonPicker)
        widget.resolved = self._match(picked)
        return widget.resolved

    def _match(self, picked: Picked) -> Person:
        assert self.queryset is not None
        matches = find_people(self.queryset, picked.query, PICKER_SIZE + 1)
        for person in matches:  # ticked in the list the same text brought up
            if str(person.pk) == picked.id:
                return person
        exact = [p for p in matches if p.full_name.casefold() == picked.query.casefold()]
        if len(exact) == 1:
            return exact[0]
        if len(matches) == 1:
            return matches[0]
        label = self.label or "This field"
        if not matches:
            raise forms.ValidationError(
                "%(label)s: nobody in your network matches “%(query)s”.",
                code="no_match",
                params={"label": label, "query": picked.query},
            )
        widget = self.widget
        assert isinstance(widget, PersonPicker)
        widget.matches = matches[:PICKER_SIZE]
        widget.more = len(matches) > PICKER_SIZE
        raise forms.ValidationError(
            "%(label)s: several people match “%(query)s”; choose one in the list.",
            code="several_matches",
            params={"label": label, "query": picked.query},
        )


ORGANIZATION_SUGGESTIONS = 20
ORGANIZATION_LIST = "organization-names"


class OrganizationNameInput(forms.TextInput):
    """A text box for an organization's name whose suggestions come as you type.

    With JavaScript, htmx asks ``network:organization-names`` for at most
    :data:`ORGANIZATION_SUGGESTIONS` of the owner's organizations matching the text and
    puts them in the ``<datalist>`` that ``network/_organization_datalist.html`` renders;
    the page never lists every organization. Without it, any name typed is taken: an
    existing organization by its name, else a new one.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {
                "list": ORGANIZATION_LIST,
                "autocomplete": "off",
                "hx-trigger": "input changed delay:200ms",
                "hx-target": f"#{ORGANIZATION_LIST}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
                **(attrs or {}),
            }
        )

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        url = f"{reverse('network:organization-names')}?field={name}"
        context["widget"]["attrs"]["hx-get"] = url
        return context


PICK_OR_ADD = "Pick one from your list or type a new name to add it."


def organization_name_field(
    *, required: bool = True, help_text: str = PICK_OR_ADD, label: str = "Organization"
) -> forms.CharField:
    """A form's organization, typed (:class:`OrganizationNameInput`): every form that names
    an organization takes it this way, so no page lists all of them."""
    return forms.CharField(
        label=label,
        max_length=200,
        required=required,
        help_text=help_text,
        widget=OrganizationNameInput(),
    )
