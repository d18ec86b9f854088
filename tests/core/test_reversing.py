"""reverse_ids and {% url %} give exactly what Django's reverse() gives."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import (
    NoReverseMatch,
    URLPattern,
    URLResolver,
    get_resolver,
    reverse,
    set_script_prefix,
)

from coffeechat.core.reversing import reverse_ids


def _named_routes(
    patterns: list[Any], namespace: str = "", names: tuple[str, ...] = ()
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Every URL name of the project with the names of its arguments."""
    for item in patterns:
        converters = tuple(getattr(item.pattern, "converters", {}))
        if isinstance(item, URLResolver):
            inner = f"{namespace}{item.namespace}:" if item.namespace else namespace
            yield from _named_routes(item.url_patterns, inner, names + converters)
        elif isinstance(item, URLPattern) and item.name:
            yield f"{namespace}{item.name}", names + converters


ROUTES = sorted({route for route in _named_routes(get_resolver().url_patterns) if route[1]})


@pytest.fixture
def prefix() -> Iterator[None]:
    yield
    set_script_prefix("/")


def test_it_knows_the_projects_routes_with_ids() -> None:
    assert ("network:person-detail", ("person_id",)) in ROUTES
    assert len(ROUTES) > 40


@pytest.mark.parametrize("script_prefix", ["/", "/coffee/"])
def test_it_gives_djangos_answer_for_every_route(script_prefix: str, prefix: None) -> None:
    set_script_prefix(script_prefix)
    for name, arguments in ROUTES:
        for value in (0, 7, 123456789):
            kwargs = dict.fromkeys(arguments, value)
            try:
                expected = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                with pytest.raises(NoReverseMatch):
                    reverse_ids(name, kwargs=kwargs)
                continue
            assert reverse_ids(name, kwargs=kwargs) == expected, name
            if script_prefix != "/":
                assert expected.startswith(script_prefix)


def test_it_fills_in_several_ids_in_their_places() -> None:
    two = [(name, arguments) for name, arguments in ROUTES if len(arguments) == 2]
    assert two
    name, (first, second) = two[0]
    kwargs = {first: 31, second: 4}
    assert reverse_ids(name, kwargs=kwargs) == reverse(name, kwargs=kwargs)
    assert reverse_ids(name, args=[31, 4]) == reverse(name, args=[31, 4])


@pytest.mark.parametrize("value", ["12", -3, None, True, 2.0])
def test_it_leaves_anything_but_an_id_to_django(value: Any) -> None:
    kwargs = {"person_id": value}
    try:
        expected = reverse("network:person-detail", kwargs=kwargs)
    except NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            reverse_ids("network:person-detail", kwargs=kwargs)
    else:
        assert reverse_ids("network:person-detail", kwargs=kwargs) == expected


def test_it_raises_as_django_does_for_a_wrong_name_or_argument() -> None:
    with pytest.raises(NoReverseMatch):
        reverse_ids("network:no-such-page", kwargs={"person_id": 1})
    with pytest.raises(NoReverseMatch):
        reverse_ids("network:person-detail", kwargs={"organization_id": 1})


def test_the_url_tag_of_every_template_gives_the_same_links() -> None:
    template = Template(
        '{% url "network:person-detail" person_id=p %}|'
        '{% url "network:person-detail" p %}|'
        '{% url "network:person-detail" person_id=s as link %}{{ link }}|'
        '{% url "network:person-list" as plain %}{{ plain }}|'
        '{% url "network:person-detail" person_id=-1 as none %}[{{ none }}]'
    )
    request = RequestFactory().get("/")
    rendered = template.render(Context({"p": 42, "s": "43", "request": request}))
    person = reverse("network:person-detail", kwargs={"person_id": 42})
    other = reverse("network:person-detail", kwargs={"person_id": 43})
    assert rendered == f"{person}|{person}|{other}|{reverse('network:person-list')}|[]"
    with pytest.raises(NoReverseMatch):
        Template('{% url "network:person-detail" person_id=-1 %}').render(Context({}))
