"""The built-in question bank, in our own words, grouped by topic.

Each question is tagged by the levels it suits (empty: anyone) and the purposes it
suits (empty: any purpose). :func:`propose` picks a short list for one person and
purpose: staff know the day-to-day, HR the process, managers the team's needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

STAFF = "staff"
MANAGER = "manager"
EXECUTIVE = "executive"
HR = "hr"
RECRUITER = "recruiter"
LEADERS = (MANAGER, EXECUTIVE)
PEOPLE_TEAM = (HR, RECRUITER)

INFORMATIONAL = "informational"
OPENING = "opening"
FEEDBACK = "rejection_feedback"
SUPERVISOR = "supervisor"

TOPICS: dict[str, str] = {
    "path": "Their path",
    "day_to_day": "Day-to-day work",
    "culture": "Culture",
    "skills": "Skills that matter",
    "cv": "CV advice",
    "outlook": "Business outlook and big projects",
    "trends": "Industry trends",
    "process": "How hiring works",
    "needs": "Current and upcoming needs",
    "feedback": "Feedback after a rejection",
    "advice": "Advice",
    "resources": "Resources",
    "who_else": "Who else to talk to",
}


@dataclass(frozen=True, slots=True)
class BankQuestion:
    key: str
    topic: str
    text: str
    levels: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()

    @property
    def topic_label(self) -> str:
        return TOPICS.get(self.topic, self.topic)

    def suits(self, level: str, purpose: str) -> bool:
        level_ok = not self.levels or not level or level in self.levels
        purpose_ok = not self.purposes or purpose in self.purposes
        return level_ok and purpose_ok


def _q(
    key: str, topic: str, text: str, levels: Sequence[str] = (), purposes: Sequence[str] = ()
) -> BankQuestion:
    return BankQuestion(key, topic, text, tuple(levels), tuple(purposes))


NOT_FEEDBACK = (INFORMATIONAL, OPENING, SUPERVISOR)

BANK: tuple[BankQuestion, ...] = (
    # Their path
    _q("path-1", "path", "How did you come to this kind of work?", (), NOT_FEEDBACK),
    _q("path-2", "path", "What made you choose this organization over the others you knew?"),
    _q("path-3", "path", "Which earlier job prepared you best for the one you have now?"),
    _q("path-4", "path", "If you started over today, would you take the same road in?"),
    _q("path-5", "path", "What surprised you most in your first months here?"),
    _q("path-6", "path", "How did your role change as you moved up?", LEADERS),
    # Day-to-day work
    _q("day-1", "day_to_day", "What does an ordinary week look like for you?", (STAFF, MANAGER)),
    _q("day-2", "day_to_day", "Which part of the work takes more time than people expect?"),
    _q("day-3", "day_to_day", "Whom do you work with most closely, inside and outside the team?"),
    _q("day-4", "day_to_day", "What tools and methods does the team use every day?", (STAFF,)),
    _q("day-5", "day_to_day", "What part of the job do you enjoy most, and least?"),
    _q("day-6", "day_to_day", "How is good work recognised here?", (STAFF, MANAGER)),
    _q("day-7", "day_to_day", "How much of the work is planned, and how much firefighting?"),
    # Culture
    _q("culture-1", "culture", "How would you describe the way people work together here?"),
    _q("culture-2", "culture", "How are decisions made in your team?"),
    _q("culture-3", "culture", "What kind of person does well here, and who struggles?"),
    _q("culture-4", "culture", "How does the organization support learning and growth?"),
    _q("culture-5", "culture", "How has the culture changed since you joined?"),
    _q("culture-6", "culture", "How do teams handle disagreement or a project that goes wrong?"),
    # Skills that matter
    _q("skills-1", "skills", "Which skills matter most to succeed in a role like yours?"),
    _q("skills-2", "skills", "Which skill do newcomers most often lack?", (STAFF, MANAGER)),
    _q("skills-3", "skills", "What would you learn first if you were in my place?"),
    _q("skills-4", "skills", "Which certifications or courses are respected here, if any?"),
    _q("skills-5", "skills", "How do you keep your own skills current?"),
    _q("skills-6", "skills", "What do you look for when you hire for your team?", LEADERS),
    # CV advice
    _q("cv-1", "cv", "What should a CV for this kind of role include?"),
    _q("cv-2", "cv", "One page or two: which do people here prefer?", (*PEOPLE_TEAM, *LEADERS)),
    _q("cv-3", "cv", "How would you word an accomplishment so that it stands out?"),
    _q("cv-4", "cv", "Which skills would you put first on my CV for this field?"),
    _q("cv-5", "cv", "Would you be willing to look at my CV and tell me what to change?"),
    _q("cv-6", "cv", "What makes you stop reading a CV?", (*PEOPLE_TEAM, *LEADERS)),
    _q("cv-7", "cv", "Does a cover letter still matter here?", PEOPLE_TEAM),
    # Business outlook and big projects
    _q("outlook-1", "outlook", "Where do you see the organization going in the next two years?"),
    _q("outlook-2", "outlook", "Which big projects or launches are coming up?"),
    _q("outlook-3", "outlook", "What is the biggest challenge the business faces right now?"),
    _q("outlook-4", "outlook", "Which teams are growing, and which are shrinking?", LEADERS),
    _q("outlook-5", "outlook", "How do new products or services get started here?"),
    _q("outlook-6", "outlook", "Who are the main competitors, and how do you differ?"),
    # Industry trends
    _q("trends-1", "trends", "Which changes in the industry will matter most soon?"),
    _q("trends-2", "trends", "How is new technology changing the work in your field?"),
    _q("trends-3", "trends", "Which organizations do you see doing interesting work?"),
    _q("trends-4", "trends", "What do people outside the field misunderstand about it?"),
    _q("trends-5", "trends", "Which rules or regulations are shaping the industry?"),
    # How hiring works
    _q(
        "process-1",
        "process",
        "How does hiring usually work here, from opening to offer?",
        PEOPLE_TEAM,
    ),
    _q(
        "process-2",
        "process",
        "Do most openings get posted, or are many filled before?",
        PEOPLE_TEAM,
    ),
    _q(
        "process-3",
        "process",
        "How much do referrals count in hiring here?",
        (*PEOPLE_TEAM, MANAGER),
    ),
    _q(
        "process-4",
        "process",
        "What happens between an application and a first interview?",
        PEOPLE_TEAM,
    ),
    _q("process-5", "process", "Who makes the final decision on a hire in a team like this?"),
    _q(
        "process-6",
        "process",
        "What do interviews for this kind of role look like?",
        (),
        (OPENING,),
    ),
    _q("process-7", "process", "When is the best time of year to apply here?", PEOPLE_TEAM),
    # Current and upcoming needs (the prospective supervisor)
    _q(
        "needs-1",
        "needs",
        "What is your team working on now that needs more hands?",
        LEADERS,
        (SUPERVISOR, OPENING),
    ),
    _q(
        "needs-2",
        "needs",
        "Which problems would you like someone to take off your desk?",
        LEADERS,
        (SUPERVISOR, OPENING),
    ),
    _q(
        "needs-3",
        "needs",
        "What will your team need in the next six to twelve months?",
        LEADERS,
        (SUPERVISOR, OPENING),
    ),
    _q(
        "needs-4",
        "needs",
        "What would a new person have to achieve in their first ninety days?",
        LEADERS,
        (SUPERVISOR, OPENING),
    ),
    _q(
        "needs-5",
        "needs",
        "If nothing is open now, may I stay in touch for when something is?",
        LEADERS,
        (SUPERVISOR,),
    ),
    _q(
        "needs-6",
        "needs",
        "How does what I heard from your colleagues match what you see?",
        LEADERS,
        (SUPERVISOR,),
    ),
    _q("needs-7", "needs", "What makes the opening hard to fill?", (), (OPENING,)),
    # Feedback after a rejection
    _q(
        "feedback-1",
        "feedback",
        "What did the successful candidate have that I lacked?",
        (),
        (FEEDBACK,),
    ),
    _q(
        "feedback-2",
        "feedback",
        "Which part of my application or interview was weakest?",
        (),
        (FEEDBACK,),
    ),
    _q(
        "feedback-3",
        "feedback",
        "What would make me a stronger candidate next time?",
        (),
        (FEEDBACK,),
    ),
    _q(
        "feedback-4",
        "feedback",
        "Is there another team where my profile would fit better?",
        (),
        (FEEDBACK,),
    ),
    _q(
        "feedback-5",
        "feedback",
        "May I apply again, and when would it make sense?",
        (),
        (FEEDBACK,),
    ),
    # Advice
    _q("advice-1", "advice", "What advice would you give someone trying to enter this field?"),
    _q("advice-2", "advice", "Given my background, where do you think I would fit best?"),
    _q("advice-3", "advice", "What would make my experience more convincing to people here?"),
    _q("advice-4", "advice", "What mistake do you see people in my position make?"),
    # Resources
    _q("resources-1", "resources", "Which associations, events or groups should I join?"),
    _q("resources-2", "resources", "What do you read or listen to to stay informed?"),
    _q("resources-3", "resources", "Which job boards or channels does your field really use?"),
    # Who else to talk to
    _q("who-1", "who_else", "Who else should I talk to, here or elsewhere?", (), NOT_FEEDBACK),
    _q("who-2", "who_else", "May I mention your name when I contact them?", (), NOT_FEEDBACK),
    _q(
        "who-3",
        "who_else",
        "Who leads the team that does the kind of work I want?",
        (STAFF, *PEOPLE_TEAM),
    ),
)

BY_KEY: dict[str, BankQuestion] = {q.key: q for q in BANK}

# How many questions of each topic a proposal takes, in this order, per purpose.
PLAN: dict[str, tuple[tuple[str, int], ...]] = {
    INFORMATIONAL: (
        ("path", 1),
        ("day_to_day", 2),
        ("culture", 1),
        ("skills", 1),
        ("outlook", 1),
        ("process", 1),
        ("cv", 1),
        ("advice", 1),
        ("who_else", 1),
    ),
    OPENING: (
        ("path", 1),
        ("day_to_day", 1),
        ("needs", 2),
        ("skills", 1),
        ("process", 1),
        ("culture", 1),
        ("who_else", 1),
    ),
    FEEDBACK: (("feedback", 4), ("advice", 1)),
    SUPERVISOR: (
        ("needs", 4),
        ("outlook", 2),
        ("culture", 1),
        ("skills", 1),
    ),
}


def grouped(questions: Iterable[BankQuestion] = BANK) -> list[tuple[str, list[BankQuestion]]]:
    """Questions by topic, in the order of :data:`TOPICS`."""
    by_topic: dict[str, list[BankQuestion]] = {}
    for question in questions:
        by_topic.setdefault(question.topic, []).append(question)
    return [(TOPICS[key], by_topic[key]) for key in TOPICS if key in by_topic]


def propose(level: str, purpose: str) -> list[BankQuestion]:
    """A short list (about ten) that fits a person of ``level`` and the ``purpose``."""
    chosen: list[BankQuestion] = []
    for topic, count in PLAN.get(purpose, PLAN[INFORMATIONAL]):
        fitting = [q for q in BANK if q.topic == topic and q.suits(level, purpose)]
        # Questions made for this level first, then the ones for anyone.
        fitting.sort(key=lambda q: 0 if level and level in q.levels else 1)
        chosen.extend(fitting[:count])
    return chosen
