"""Countries known to the holidays package, used for business days later."""

from __future__ import annotations

import re
from functools import cache

from holidays.registry import COUNTRIES


@cache
def country_choices() -> list[tuple[str, str]]:
    pairs = []
    for class_name, code, *_rest in COUNTRIES.values():
        label = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", class_name)
        pairs.append((code, label))
    return [("", "—"), *sorted(pairs, key=lambda pair: pair[1])]
