"""Filling a template: ``{first_name}`` placeholders, no logic, no surprises.

A template is plain text with placeholders in braces. Every placeholder must be one of
:data:`VARIABLES` (or a value the caller supplies); an unknown one is an error that
names it, never a message sent with a hole in it. A variable may be empty: a line left
with nothing but empty variables disappears, and so do the spaces an empty variable
leaves before punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

# name -> what it holds; the template page lists them.
VARIABLES: dict[str, str] = {
    "first_name": "Their first name.",
    "full_name": "Their full name.",
    "organization": 'Where they work, or "your organization".',
    "at_organization": 'e.g. "at Acme", or nothing when their workplace is unknown.',
    "their_title": "Their job title there, if known.",
    "my_name": "Your full name (profile).",
    "my_first_name": "Your first name.",
    "my_intro": "Your one- or two-sentence intro (profile).",
    "connection": "How you are connected, in one sentence (warm path, tie, introducer).",
    "ask": 'What you ask for, e.g. "a 20-30 minute call", "a coffee", "lunch".',
    "application": "One sentence about your application at their organization, if any.",
    "role": 'The role you applied for, e.g. "the Data Analyst role", or "the role".',
    "referred_by": 'Who suggested you write, or "a mutual contact".',
    "conversation_date": "When you talked (as given by the conversation).",
    "conversation_when": 'e.g. "on 3 May", or nothing.',
    "learned": "What you learned from them (as given by the conversation).",
    "learned_sentence": "A sentence about what you learned, or nothing.",
    "referrals": "People they suggested you talk to.",
    "referrals_sentence": "A sentence thanking them for those names, or nothing.",
    "advice": "What you did with their advice.",
    "advice_sentence": "A sentence about what you did with their advice, or nothing.",
    "last_note": 'The message a nudge follows up, e.g. "my note of 3 May".',
    "last_subject": "The subject of the message a nudge follows up.",
    "signature": "Your e-mail signature (profile), or your name.",
    "shared": 'What made you think of them, e.g. "your group\'s new paper".',
    "shared_sentence": 'e.g. "I saw your group\'s new paper and thought of you.", or nothing.',
    "why_i_write": "Why a keep-in-touch note: what made you think of them, or a short update "
    "after their advice.",
    "update_subject": 'The subject of a keep-in-touch note, e.g. "Saw this and thought of you".',
    "opening_title": 'The opening you tell them about (bench), e.g. "Data engineer".',
    "opening_start": 'When the opening starts, e.g. "1 June 2027", or nothing.',
    "opening_sentence": "One sentence naming the opening and its start, as far as you gave them.",
}


class TemplateError(ValueError):
    """A template uses placeholders nobody can fill."""

    def __init__(self, unknown: list[str]) -> None:
        self.unknown = unknown
        names = ", ".join("{" + name + "}" for name in unknown)
        word = "variable" if len(unknown) == 1 else "variables"
        super().__init__(
            f"Unknown {word} {names}: use only the variables listed beside the template."
        )


def placeholders(text: str) -> list[str]:
    return list(dict.fromkeys(PLACEHOLDER.findall(text)))


def template_problems(text: str, known: Mapping[str, str] | None = None) -> str:
    """A sentence naming the unknown placeholders of ``text``, or ``""``."""
    names = known if known is not None else VARIABLES
    unknown = [name for name in placeholders(text) if name not in names]
    return str(TemplateError(unknown)) if unknown else ""


def fill(text: str, values: Mapping[str, str], *, single_line: bool = False) -> str:
    """``text`` with every placeholder replaced; raises :class:`TemplateError` if unknown."""
    unknown = [name for name in placeholders(text) if name not in values]
    if unknown:
        raise TemplateError(unknown)
    lines: list[str] = []
    for line in text.splitlines():
        had = bool(PLACEHOLDER.search(line))
        filled = PLACEHOLDER.sub(lambda m: str(values[m.group(1)] or ""), line)
        if had:
            filled = re.sub(r"[ \t]{2,}", " ", filled)
            filled = re.sub(r"[ \t]+([.,;:!?])", r"\1", filled).strip()
            if not filled:
                continue  # a line of empty variables disappears
        lines.append(filled.rstrip())
    result = "\n".join(lines)
    result = re.sub(r"\n{3,}", "\n\n", result).strip()
    if single_line:
        result = " ".join(result.split())
    return result
