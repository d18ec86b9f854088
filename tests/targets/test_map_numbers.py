"""The map writes its coordinates as the template's ``|floatformat:1`` did."""

from __future__ import annotations

import math

from django.template.defaultfilters import floatformat

from coffeechat.targets.map import svg_number

VALUES = [0.0, -0.0, 0.04, -0.04, 0.05, -0.05, 2.05, -12.25, 12.25, 346.45, 1e-17, -1e-17]
VALUES += [round(500 * math.cos(k / 7), 6) for k in range(200)]
VALUES += [500 * math.sin(k / 3) for k in range(200)]


def test_it_writes_what_floatformat_wrote() -> None:
    for value in VALUES:
        assert svg_number(value) == floatformat(value, 1), value


def test_it_never_writes_a_comma_or_a_minus_zero() -> None:
    assert svg_number(-0.01) == "0.0"
    assert svg_number(1234567.25) == "1234567.3"
