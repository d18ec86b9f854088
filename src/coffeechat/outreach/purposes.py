"""What each purpose of a message means: the one table every app asks.

Outreach (the composer, the etiquette checks, the built-in templates, reply rates),
follow-ups (what waits for a reply, what counts toward the weekly target),
conversations (which answered messages are conversations to schedule) and the API
read this table; none keeps its own list. Adding a purpose is a choice in
:class:`~coffeechat.outreach.models.Purpose`, a row here and its built-in templates
(:mod:`coffeechat.outreach.builtin`); a test fails when a row is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from coffeechat.outreach.models import Ask, Purpose


@dataclass(frozen=True, slots=True)
class PurposeRule:
    purpose: str
    # A first note to someone: the connection, length and ask checks apply, and it
    # counts toward the weekly outreach target.
    first_note: bool = False
    # It waits for an answer, so the no-reply policy (outreach.policy) applies: the
    # "try another person" and nudge dates, up to the last nudge.
    awaits_reply: bool = False
    # A reply means a conversation to schedule (a call, a coffee, five minutes).
    asks_for_conversation: bool = False
    # It asks for information, never for a job (the "job request" check).
    information_only: bool = False
    # Written to someone at an organization you applied to, it should say so.
    say_you_applied: bool = False
    # The length to stay under, in words; None: no length check.
    words: int | None = None
    # What ``{ask}`` says: a fixed phrase, or "" for the ask the user chose (a call,
    # a coffee, a lunch). A nudge asks again for what the nudged message asked.
    ask: str = ""
    # The kind of follow-up that sending this message closes ("" for none).
    closes_follow_up: str = ""

    @property
    def label(self) -> str:
        return str(Purpose(self.purpose).label)


FIRST_NOTE_WORDS = 120
# The rule of the follow-ups the bench adds for the people picked for an opening
# (coffeechat.bench.services.follow_up_picked); an "opening" message closes them.
OPENING_FOLLOW_UP = "bench_opening"


def _request(purpose: str) -> PurposeRule:
    """A first note asking for a conversation, for information only."""
    return PurposeRule(
        purpose,
        first_note=True,
        awaits_reply=True,
        asks_for_conversation=True,
        information_only=True,
        say_you_applied=True,
        words=FIRST_NOTE_WORDS,
    )


TABLE: dict[str, PurposeRule] = {
    rule.purpose: rule
    for rule in (
        _request(Purpose.INFORMATIONAL),
        _request(Purpose.AFTER_APPLYING),
        PurposeRule(
            Purpose.REJECTION_FEEDBACK,
            awaits_reply=True,
            asks_for_conversation=True,
            ask="five minutes",
        ),
        _request(Purpose.COLD_MANAGER),
        _request(Purpose.REFERRAL),
        PurposeRule(Purpose.THANK_YOU, closes_follow_up="thank_you"),
        PurposeRule(Purpose.NUDGE, awaits_reply=True),
        PurposeRule(
            Purpose.KEEP_IN_TOUCH,
            information_only=True,
            say_you_applied=True,
            closes_follow_up="keep_in_touch",
        ),
        PurposeRule(
            Purpose.SUPERVISOR_STAY_IN_TOUCH,
            awaits_reply=True,
            say_you_applied=True,
            closes_follow_up="supervisor_check_in",
        ),
        # From the other side of the table: a manager tells someone on their bench that
        # something has opened up. Not a first note and not a job request; a reply means
        # a conversation to schedule. Sending it closes the bench's follow-up for them.
        PurposeRule(
            Purpose.OPENING,
            asks_for_conversation=True,
            closes_follow_up=OPENING_FOLLOW_UP,
        ),
    )
}

_missing = set(Purpose.values) - set(TABLE)
if _missing:  # a new purpose needs its row: fail at start-up, never silently
    raise RuntimeError(f"Purposes without a row in outreach/purposes.py: {sorted(_missing)}")

# The user's choice of ask, in words, for purposes without a fixed ask.
ASK_PHRASES: dict[str, str] = {
    Ask.CALL: "a 20-30 minute call",
    Ask.COFFEE: "a coffee",
    Ask.LUNCH: "a lunch",
}


def rule_of(purpose: str) -> PurposeRule:
    """The row of ``purpose``; KeyError for an unknown one."""
    return TABLE[purpose]


def _where(flag: str) -> frozenset[str]:
    return frozenset(key for key, rule in TABLE.items() if getattr(rule, flag))


FIRST_NOTES = _where("first_note")
AWAITS_REPLY = _where("awaits_reply")
ASKS_FOR_CONVERSATION = _where("asks_for_conversation")
INFORMATION_ONLY = _where("information_only")
SAY_YOU_APPLIED = _where("say_you_applied")


def ask_phrase(purpose: str, ask: str = "", *, nudged_purpose: str = "") -> str:
    """What ``{ask}`` says in a message of ``purpose``.

    A fixed ask of the purpose wins ("five minutes" for feedback after a rejection);
    otherwise the user's choice (a call by default). A nudge asks for what the
    nudged message asked for: pass its purpose and ask.
    """
    if purpose == Purpose.NUDGE and nudged_purpose and nudged_purpose != Purpose.NUDGE:
        purpose = nudged_purpose
    fixed = TABLE[purpose].ask if purpose in TABLE else ""
    return fixed or ASK_PHRASES.get(ask, ASK_PHRASES[Ask.CALL])
