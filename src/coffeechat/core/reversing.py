"""Reversing URLs with ids, fast: each URL name is looked up once, then filled in.

Django's ``reverse()`` walks the URL patterns and checks its answer against their
regular expressions on every call: 30–50 µs. A list page with a few links per row spent
a fifth of its time there. ``reverse_ids`` asks Django once per URL name (and per
address prefix, URLconf, current app and argument names), with stand-in numbers, and
then only puts the real numbers where the stand-ins were.

Only non-negative integers take the short way: every ``<int:...>`` (or ``<str:...>``)
part of a route accepts them all and writes them as ``str(n)``, so the answer is
Django's own (tests/core/test_reversing.py compares them for every URL name with
arguments). Anything else (a string, a negative number, a name Django cannot reverse)
goes to ``reverse()`` itself, errors included.

The ``{% url %}`` tag of every template uses it (``core/templatetags/fast_url.py``, a
template builtin); models' ``get_absolute_url`` call it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse

# Stand-ins: long enough never to occur in a route by chance, and all different.
_STAND_IN = 970_531_000_000

_Key = tuple[Any, str, str, str | None, int, tuple[str, ...]]
# key -> the URL cut where the arguments go (args first, then kwargs in order); None
# when Django cannot reverse the name with such arguments (reverse() says why).
_parts: dict[_Key, tuple[str, ...] | None] = {}


def _is_id(value: object) -> bool:
    return type(value) is int and value >= 0


def _cut(key: _Key, viewname: str, count: int, names: tuple[str, ...]) -> tuple[str, ...] | None:
    stand_ins = [str(_STAND_IN + i) for i in range(count + len(names))]
    try:
        url = reverse(
            viewname,
            args=[int(s) for s in stand_ins[:count]],
            kwargs={name: int(s) for name, s in zip(names, stand_ins[count:], strict=True)},
            current_app=key[3],
        )
    except NoReverseMatch:
        return None
    parts = []
    rest = url
    for stand_in in stand_ins:
        if rest.count(stand_in) != 1:
            return None  # a route that does not simply write the number: not cached
        before, rest = rest.split(stand_in)
        parts.append(before)
    parts.append(rest)
    return tuple(parts)


def reverse_ids(
    viewname: str,
    args: Sequence[Any] | None = None,
    kwargs: dict[str, Any] | None = None,
    current_app: str | None = None,
) -> str:
    """``reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)``, the
    same string, without searching the URL patterns again for ids."""
    args = args or ()
    kwargs = kwargs or {}
    if not isinstance(viewname, str) or not (
        all(_is_id(a) for a in args) and all(_is_id(v) for v in kwargs.values())
    ):
        return reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    names = tuple(kwargs)
    resolver = get_resolver(get_urlconf())  # one object per URLconf, until caches clear
    key: _Key = (resolver, get_script_prefix(), viewname, current_app, len(args), names)
    try:
        parts = _parts[key]
    except KeyError:
        parts = _parts[key] = _cut(key, viewname, len(args), names)
    if parts is None:
        return reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    values = [*args, *kwargs.values()]
    out = [parts[0]]
    for value, part in zip(values, parts[1:], strict=True):
        out.append(str(value))
        out.append(part)
    return "".join(out)
