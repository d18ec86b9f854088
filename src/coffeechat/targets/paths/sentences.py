"""Explanations: one plain sentence saying how you reach the end of a path."""

from __future__ import annotations

from datetime import date

from coffeechat.network.connections import source_phrase
from coffeechat.network.models import AffiliationKind, TieKind
from coffeechat.targets.paths.model import Job, Link, Path, PersonRef, Reason

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _count(n: int) -> str:
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def _when(day: date | None, today: date) -> str:
    if day is None:
        return ""
    if day.year == today.year:
        return "this year"
    if day.year == today.year - 1:
        return "last year"
    return f"in {day.year}"


def _years_apart(first_name: str, mine: int | None, theirs: int | None) -> str:
    if theirs is None:
        return ""
    if mine is None:
        return f"{first_name} graduated in {theirs}"
    gap = theirs - mine
    if gap == 0:
        return f"in the same class ({theirs})"
    amount = "a year" if abs(gap) == 1 else f"{_count(abs(gap))} years"
    return f"{first_name} graduated {amount} {'before' if gap < 0 else 'after'} you"


def _affiliation_clause(reason: Reason, person: PersonRef) -> str:
    name = reason.affiliation
    kind = reason.affiliation_kind
    if kind == AffiliationKind.SCHOOL:
        text = f"you both studied at {name}"
        detail = _years_apart(person.short, reason.my_year, reason.their_year)
        return f"{text}, {detail}" if detail else text
    if kind == AffiliationKind.FORMER_EMPLOYER:
        place = reason.organization
        text = f"you both worked at {place}" if place else f"you are both in {name}"
        return f"{text} at the same time" if reason.same_time else text
    if kind == AffiliationKind.ASSOCIATION:
        return f"you are both members of {name}"
    return f"you are both part of {name}"


TIE_NOUNS: dict[str, str] = {
    TieKind.FRIEND: "your friend",
    TieKind.FAMILY: "a relative of yours",
    TieKind.COLLEAGUE: "your colleague",
    TieKind.CLASSMATE: "your classmate",
    TieKind.ACQUAINTANCE: "someone you know",
}


def _how_you_know(link: Link, today: date, *, clause: bool) -> str:
    """How you know the first person of a path: a noun phrase, or a clause naming them."""
    reason = link.reason
    person = link.person
    subject = f"{person.short} is " if clause else ""
    if reason.kind == "affiliation":
        return _affiliation_clause(reason, person)
    if reason.kind == "introducer":
        when = _when(reason.since, today)
        return f"{person.short} introduced you to {reason.introduced}{' ' + when if when else ''}"
    if reason.kind == "mail":
        mails = f"{_count(reason.mails)} e-mail{'s' if reason.mails != 1 else ''}"
        if reason.both_ways:
            return subject + f"someone you exchanged {mails} with"
        return subject + f"someone your mailbox has {mails} with, not yet both ways"
    if reason.kind == "contact":
        phrase = source_phrase(reason.source)
        if phrase.startswith(("from", "in ")):
            return f"{person.short} is {phrase}" if clause else phrase
        return subject + phrase
    # a tie of yours
    kind = reason.tie_kind
    if kind in {TieKind.INTRODUCED, TieKind.REFERRED}:
        verb = "introduced to you" if kind == TieKind.INTRODUCED else "referred to you"
        by = f" by {reason.introduced_by.name}" if reason.introduced_by else ""
        when = _when(reason.since, today)
        text = f"{person.short} was {verb}{by}" if clause else f"{verb}{by}"
        return f"{text} {when}".strip()
    noun = TIE_NOUNS.get(kind, "someone you know")
    if kind == TieKind.FRIEND and reason.strength >= 5:
        noun = "a close friend of yours"
    if reason.since is not None and kind in {TieKind.FRIEND, TieKind.COLLEAGUE, TieKind.CLASSMATE}:
        noun += f" since {reason.since.year}"
    if reason.introduced_by is not None:
        noun += f" (introduced by {reason.introduced_by.name})"
    return subject + noun


def _knows(link: Link) -> str:
    """The verb between two people in a path, from the link reaching the second."""
    reason = link.reason
    if reason.kind == "coworker":
        return "works with"
    verbs: dict[str, str] = {
        TieKind.FRIEND: "is a friend of",
        TieKind.FAMILY: "is related to",
        TieKind.COLLEAGUE: "has worked with",
        TieKind.CLASSMATE: "studied with",
    }
    return verbs.get(reason.tie_kind, "knows")


def describe_person(person: PersonRef, job: Job | None) -> str:
    """ "Dana Reyes (Acme, Data Science)", "Lee Park (formerly at Acme)" or the name alone."""
    if job is None:
        return person.name
    place = job.organization if job.is_current else f"formerly at {job.organization}"
    role = f", {job.role}" if job.role else ""
    return f"{person.name} ({place}{role})"


def explain(path: Path) -> str:
    """One plain sentence saying how you reach the end of ``path``.

    The outreach composer uses it as the connection sentence of a message, e.g.
    "Dana Reyes (Acme, Data Science) — you both studied at Northfield University,
    Dana graduated two years before you" or "Sam Ortiz knows Lee Park at Acme; Sam
    introduced you to Kim Ng last year".
    """
    today = path.today
    links = path.links
    first = links[0]
    if len(links) == 1:
        how = _how_you_know(first, today, clause=False)
        return f"{describe_person(first.person, path.job)} — {how}"
    job = path.job
    end = path.end.name
    if job is not None:
        end = (
            f"{end} at {job.organization}"
            if job.is_current
            else f"{end}, formerly at {job.organization}"
        )
    if links[-1].reason.kind == "coworker" and job is None:
        end = f"{end} at {links[-1].reason.organization}"
    chain = f"{first.person.name} {_knows(links[1])} "
    if len(links) == 3:
        chain += f"{links[1].person.name}, who {_knows(links[2])} "
    chain += end
    return f"{chain}; {_how_you_know(first, today, clause=True)}"
