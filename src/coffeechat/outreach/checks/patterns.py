"""What the etiquette checks look for in a text: word patterns and the names it claims."""

from __future__ import annotations

import re

CONNECTION_WORDS = re.compile(
    r"\b(suggested|introduced|referred|recommended|pointed me|passed (on )?your name|"
    r"gave me your (name|address|e-?mail)|your name (from|through)|found your (name|profile|"
    r"address)|we both|both (studied|worked|members?|part of)|alumn\w*|classmates?|"
    r"studied together|worked together|former colleague|in common|we met|we have met|"
    r"connected on linkedin|directory|member list)\b",
    re.IGNORECASE,
)
ASK_WORDS = re.compile(
    r"\b(call|coffee|lunch|chat|talk|conversation|meet|meeting|minutes|phone|video|advice|"
    r"questions?)\b",
    re.IGNORECASE,
)
NOT_A_JOB = re.compile(
    r"\bnot (asking )?(you )?(for )?(a |any |the )?(job|position|role)s?\b|"
    r"\bnot (to ask )?for a (job|position|role)\b",
    re.IGNORECASE,
)
JOB_ASK = re.compile(
    r"\b(hire me|hiring me|give me a job|(looking|asking|ask) for a (job|position|role)|"
    r"any (job )?(openings?|vacanc(y|ies))|open (roles?|positions?)|refer me|a referral|"
    r"recommend me for|put in a good word|(review|look over|look at|critique|check|read) my "
    r"(cv|resume|résumé)|consider me for|forward my (cv|resume|résumé|application)|"
    r"attached (is )?my (cv|resume|résumé)|my (cv|resume|résumé) is attached)\b",
    re.IGNORECASE,
)
MENTIONS_APPLICATION = re.compile(r"\bappl(y|ied|ying|ication)", re.IGNORECASE)
ME_WORDS = re.compile(r"\b(i|me|my|mine|myself|i'm|i've|i'd|i'll)\b", re.IGNORECASE)
YOU_WORDS = re.compile(r"\b(you|your|yours|yourself|you're|you've|you'd|you'll)\b", re.IGNORECASE)

# A third person named as a mutual connection: the name is capitalised words (with
# particles such as "van der"); the words around it are matched in any case.
_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’-]*(?![\w'’-])"
_GAP = r"[^\S\n]+"  # spaces within a line
_PARTICLE = r"(?:van|von|de|der|den|da|di|del|la|le|du|dos)"
_NAME = rf"{_WORD}(?:{_GAP}(?:{_PARTICLE}{_GAP})*{_WORD}){{0,3}}"
# "connected through A and B, who knows you": B must know them; A is not checked.
CHAIN_CLAIM = re.compile(rf"(?i:connected\s+through)\s+{_NAME}\s+(?i:and)\s+(?P<name>{_NAME})")
MUTUAL_CLAIMS = [
    re.compile(
        rf"(?i:connections?\s+in\s+common|mutual\s+(?:friends?|connections?|contacts?|"
        rf"acquaintances?))\s*[:,—–-]?\s*(?P<name>{_NAME})"
    ),
    re.compile(
        rf"(?P<name>{_NAME}),?\s+(?i:who\s+(?:works|worked|has\s+worked|studied|knows|"
        rf"is\s+a\s+friend|is\s+related)(?:\s+(?:with|of|to))?\s+you)\b"
    ),
    re.compile(
        rf"(?P<name>{_NAME})\s+(?i:(?:(?:suggested|recommended|thought|said)\s+(?:that\s+)?"
        rf"(?:I|me)|told\s+me|asked\s+me)\b[^.?!\n]{{0,30}}?\b(?:contact|get\s+in\s+touch|"
        rf"write|writing|reach|talk|speak))"
    ),
    re.compile(
        rf"(?P<name>{_NAME})\s+(?i:(?:introduced|referred)\s+(?:me|us)\b|(?:gave|passed)\s+"
        rf"(?:me\s+|on\s+)?your\s+(?:name|details|address|e-?mail))"
    ),
    re.compile(
        rf"(?i:at\s+the\s+suggestion\s+of|on\s+the\s+advice\s+of|(?:recommended|referred|"
        rf"introduced)\s+(?:to\s+you\s+)?by|connected\s+through)\s+(?P<name>{_NAME})"
        rf"(?!{_GAP}(?:{_WORD}|and\s))"  # the whole name, and not the first of a chain
    ),
]
# Capitalised words that start a sentence or a title, not a name.
_NOT_NAME_WORDS = (
    "also and but so then hi hello dear i we you my our your the a an in as he she they"
)
NOT_NAMES = frozenset([*_NOT_NAME_WORDS.split(), "mr", "mrs", "ms", "dr", "prof"])


def without_signature(body: str, signature: str) -> str:
    text = body.rstrip()
    if signature and text.endswith(signature):
        text = text[: -len(signature)]
    return text


def word_count(text: str) -> int:
    return len(re.findall(r"[\w'’-]+", text))


def _name(raw: str) -> str:
    words = raw.split()
    while words and words[0].lower() in NOT_NAMES:
        words.pop(0)
    return " ".join(words)


def claimed_mutuals(text: str) -> list[tuple[str, bool]]:
    """The third people ``text`` names as a connection: (name, named as a mutual one).

    The second person of a chain ("connected through A and B") is not a mutual
    connection: only that they know the recipient is claimed.
    """
    chains = list(CHAIN_CLAIM.finditer(text))
    found = [(_name(chain.group("name")), False) for chain in chains]
    for pattern in MUTUAL_CLAIMS:
        for match in pattern.finditer(text):
            if not any(chain.start() <= match.start() < chain.end() for chain in chains):
                found.append((_name(match.group("name")), True))
    return [(name, mutual) for name, mutual in dict.fromkeys(found) if name]
