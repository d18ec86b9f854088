"""Finding people who are probably one person entered twice.

:func:`find_duplicates` is pure: it takes plain :class:`Candidate` rows and
returns scored :class:`Match` pairs with the reasons shown to the user. It never
compares every pair: people are put into blocks that a duplicate would share (an
e-mail, a phone, a LinkedIn profile, the last name with the first initial or the
nickname group of the first name, the name's words in any order), and only people
who share a block are scored; within a last-name block only given names that could
be one are paired ("John" with "J.", "Jon" and "Johnny", never "James"). Last names
one typo apart are found through their spellings with one letter left out. Pairs
that are each the same person as a third are proposed too.

Scoring adds evidence for and against in points (log-odds) and turns the sum into
a probability-like score between 0 and 1:

- the same LinkedIn profile, e-mail address or phone number is the same person
  (1.0), unless the names plainly disagree (a shared family line, say);
- otherwise the names must agree: exactly, by nickname, by accents, by a typo,
  by an initial, or swapped; how much a name agreement counts depends on how
  common the name is in this network;
- the same organization, or the same e-mail domain (not a free-mail one),
  supports a match; two different organizations, or two different LinkedIn
  profiles, count against it.

The rules and their figures are in docs/importing.md ("How duplicates are found").

:func:`candidates_for` and :func:`network_duplicates` load a user's network in a
constant number of queries.
"""

from __future__ import annotations

from coffeechat.network.duplicates.finding import Match, find_duplicates
from coffeechat.network.duplicates.loading import (
    candidates_for,
    duplicates_of,
    network_duplicates,
)
from coffeechat.network.duplicates.name_match import compare_first_names, compare_last_names
from coffeechat.network.duplicates.people import Candidate

__all__ = [
    "Candidate",
    "Match",
    "candidates_for",
    "compare_first_names",
    "compare_last_names",
    "duplicates_of",
    "find_duplicates",
    "network_duplicates",
]
