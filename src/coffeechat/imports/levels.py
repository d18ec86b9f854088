"""A first guess at a person's level from their job title; the user can correct it."""

from __future__ import annotations

import re
from functools import lru_cache

from coffeechat.network.models import Level
from coffeechat.network.normalize import fold

# Checked in this order: "HR Manager" is HR, "Recruiting Director" is a recruiter.
_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        Level.RECRUITER,
        re.compile(r"\b(recruit\w*|talent acquisition|sourcer|headhunter|talent partner)\b"),
    ),
    (
        Level.HR,
        re.compile(
            r"\b(hr|human resources?|people (partner|operations|ops|team)|hrbp|personnel)\b"
        ),
    ),
    (
        Level.EXECUTIVE,
        re.compile(
            r"\b(ceo|cto|cfo|coo|cio|cmo|cpo|chief|president|vp|svp|evp|vice president"
            r"|founder|co founder|cofounder|owner|managing director|general manager"
            r"|executive director|partner)\b"
        ),
    ),
    (
        Level.MANAGER,
        re.compile(r"\b(manager|director|head|lead|supervisor|principal|chair|dean)\b"),
    ),
]


@lru_cache(maxsize=4096)
def level_for_title(title: str) -> str:
    """``recruiter``, ``hr``, ``executive``, ``manager`` or ``staff``; "" for no title."""
    text = " ".join(re.findall(r"[a-z0-9]+", fold(title)))
    if not text:
        return ""
    for level, pattern in _RULES:
        if pattern.search(text):
            return str(level)
    return str(Level.STAFF)
