"""How much each piece of evidence counts, in points (log-odds), and the priors behind it."""

from __future__ import annotations

# Each piece of evidence adds log(P(evidence | same person) / P(evidence | two people)).
# The second probability comes from the network itself where it can: a shared
# "Smith" or a shared employer of 500 people says less than a shared "Okonkwo" or a
# shared five-person studio. Counts are smoothed toward a prior (COMMON_* for names
# that are common the world over), so that a network of ten people still knows that
# "John Smith" is a common name.

# Assumed share of people entered twice: sets the prior odds of a pair. A network
# built from a LinkedIn export, an address book and a directory overlaps a lot (the
# same colleagues are in all three); the value is calibrated with
# benchmarks/duplicates.py, where it gives the best recall at a precision over 0.95 on
# 30,000 people while "John Smith" at two employers stays two people (0.25 before
# issue 16, when a pair's name evidence counted less).
DUPLICATE_RATE = 0.4
MIN_NETWORK = 500  # a smaller network is scored as if it had 500 people
SMOOTHING = 1000.0  # weight of the prior frequencies, in people

FIRST_PRIOR, COMMON_FIRST_PRIOR = 0.002, 0.012
LAST_PRIOR, COMMON_LAST_PRIOR = 0.0005, 0.006
ORGANIZATION_PRIOR = 0.002
DOMAIN_PRIOR = 0.002
INITIAL_PRIOR = 0.07

SAME_FIRST = 0.85  # P(same given name | same person): the rest are nicknames, typos…
NICKNAME = 0.2
BY_MIDDLE_NAME = 0.02  # "J. Michael Smith" and "Michael Smith"
SAME_LAST = 0.9
FULL_NAME = SAME_FIRST * SAME_LAST  # the same whole name…
WHOLE_NAME_OTHERS = 2  # …counted when at least this many others have it too
COMPOUND_LAST = 0.5  # "García" and "García López": few last names contain another
RARE_COMPOUND = 0.01  # …and the compound itself may be the rare one ("Sánchez Iglesias")
SAME_ORGANIZATION = 0.5  # a second record often has no employer, or a newer one
SAME_DOMAIN = 0.3
INITIAL_AGREES = 0.9

# Different given names almost never belong to one person (the middle-name case aside).
FIRST_POINTS = {"prefix": 1.5, "missing": 0.0, "mismatch": -8.0}
LAST_POINTS = {"initial": 0.0, "missing": -0.5, "mismatch": -5.0}
# A spelling seen once or twice next to another is most likely a typo of it; two
# spellings both seen often are two real names ("Müller" and "Miller").
TYPO = 0.05  # P(a typo in one of the names | same person)
# …and under non-match the misspelt spelling would be a name nobody else has: at least
# as telling as that rare name with P(this very misspelling | same person), however
# common the well-spelt name. (About 4 and 5 points in a network of 5,000, more in a
# bigger one, where a name nobody else has is rarer.)
TYPO_OF_A_RARE_SPELLING = {"first": 0.018, "last": 0.012}
TYPO_BETWEEN_COMMON_SPELLINGS = 1.5
SECOND_TYPO = -1.5  # two edits apart rather than one
MIDDLE_CONFLICT = -2.0  # "Jean-Pierre" against "Jean-Paul"
DIFFERENT_ORGANIZATIONS = -1.5  # both have jobs on record and none is shared
SAME_DOMAIN_AND_ORGANIZATION = 0.5  # the domain mostly repeats the employer
SHARED_ROLE_ADDRESS = 2.0  # info@, office@: shared by several people
DIFFERENT_LINKEDIN = -4.0
# "J. Smith" is proposed only with something else in common (an employer, a domain),
# or when the initial can stand for one given name only (Scorer.one_given_name).
UNSUPPORTED_INITIAL_CAP = 0.6

# A score for an e-mail or phone shared by people whose names disagree.
SHARED_CONTACT_DIFFERENT_NAMES = 0.85
MAX_NAME_SCORE = 0.99  # 1.0 is kept for exact identifiers


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one block of text (easier to read and edit)."""
    return frozenset(text.split())


# Given names and last names common the world over (folded).
COMMON_FIRST = word_set(
    """
    james john robert michael william david richard joseph thomas charles christopher
    daniel matthew anthony mark paul steven andrew joshua kevin brian george edward
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy
    margaret sandra emily michelle laura anna maria emma olivia sophia ana jose juan
    carlos luis jorge miguel antonio francisco manuel pedro alejandro javier peter
    thomas hans klaus michael andreas stefan christian wolfgang jean pierre michel
    philippe marie nathalie giuseppe giovanni marco luca francesco alessandro andrea
    wei li ming mohammed muhammad ahmed ali fatima mohamed
    """
)
COMMON_LAST = word_set(
    """
    smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez
    lopez gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson
    white harris sanchez clark ramirez lewis robinson walker young allen king wright
    scott torres nguyen hill flores green adams nelson baker hall rivera campbell
    mitchell carter roberts gomez phillips evans turner diaz parker cruz edwards collins
    reyes stewart morris morales murphy cook rogers kelly muller schmidt schneider
    fischer weber meyer wagner becker schulz hoffmann bernard dubois durand petit
    leroy moreau simon laurent rossi russo ferrari esposito bianchi romano colombo
    silva santos oliveira souza pereira costa ferreira almeida fernandez wang li zhang
    liu chen yang huang zhao wu zhou xu sun zhu tran le pham kim park choi singh kumar
    sharma patel khan ahmed ali mohamed nowak kowalski ivanov smirnov jensen nielsen
    hansen andersson johansson karlsson nilsson larsen cohen levi
    """
)
