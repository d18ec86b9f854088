"""The built-in templates, one per purpose and channel, written for Coffeechat.

Short on purpose: a first note should fit on a phone screen, say how we are
connected, say who I am in a sentence or two, and ask for one clear thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from coffeechat.outreach.models import Channel, Purpose
from coffeechat.outreach.purposes import FIRST_NOTES


@dataclass(frozen=True, slots=True)
class BuiltIn:
    purpose: str
    channel: str
    subject: str
    body: str

    @property
    def key(self) -> str:
        return f"{self.purpose}:{self.channel}"

    @property
    def name(self) -> str:
        return f"Built-in: {Purpose(self.purpose).label} ({Channel(self.channel).label})"


_EMAIL: dict[str, tuple[str, str]] = {
    Purpose.INFORMATIONAL: (
        "A question about your work {at_organization}",
        """Hello {first_name},

{connection}

{my_intro} I am exploring where my experience could lead next, and I would value your view of the work you do {at_organization}.

Would you have time for {ask} in the coming weeks? I am asking for information and advice, not for a job.

{application}

Thank you for considering it.

{signature}""",
    ),
    Purpose.AFTER_APPLYING: (
        "My application {at_organization}, and a question",
        """Hello {first_name},

{connection}

{application} I am not asking you to push it along.

{my_intro} Whatever happens with the application, I would like to understand the work from someone who does it. Would you have time for {ask}?

Thank you,

{signature}""",
    ),
    Purpose.REJECTION_FEEDBACK: (
        "Five minutes of feedback?",
        """Hello {first_name},

Thank you for considering me for {role}, and for the time you and your team gave me. I accept the decision.

It would help me a great deal to hear, in {ask}, what the person you chose brought that I did not. I am asking only to learn from it, never to argue the decision.

Would a short call in the next few weeks suit you? I remain interested in {organization} and would like to apply again when the time is right.

With thanks,

{signature}""",
    ),
    Purpose.COLD_MANAGER: (
        "Your team's work {at_organization}",
        """Hello {first_name},

{connection}

I have been reading about {organization} and the work of your team. {my_intro}

I would appreciate {ask} to hear how you see the team's work and where it is heading over the next year or two. This is a request for your perspective, not for a job.

{application}

Thank you for reading,

{signature}""",
    ),
    Purpose.REFERRAL: (
        "Getting in touch at the suggestion of {referred_by}",
        """Hello {first_name},

{connection}

{my_intro} I am learning about work like yours {at_organization}, and I would be grateful for {ask} to hear about your experience.

To be clear about my ask: information and advice, not a job.

{application}

Thank you,

{signature}""",
    ),
    Purpose.THANK_YOU: (
        "Thank you for your time",
        """Dear {first_name},

Thank you for talking with me {conversation_when}. I know how full your days are, and I appreciated how openly you shared your experience.

{learned_sentence}

{referrals_sentence}

I will let you know how things go.

Best wishes,

{signature}""",
    ),
    Purpose.NUDGE: (
        "Re: {last_subject}",
        """Hello {first_name},

I am following up on {last_note} in case it got buried. I would still value {ask} whenever it suits you, even a few weeks from now.

If now is not a good time, no problem at all.

Best,

{signature}""",
    ),
    Purpose.KEEP_IN_TOUCH: (
        "{update_subject}",
        """Hello {first_name},

I hope all is well {at_organization}. {why_i_write}

{advice_sentence}

No need to reply. If you ever have a few minutes, I would be glad to hear how things are going on your side.

Best wishes,

{signature}""",
    ),
    Purpose.SUPERVISOR_STAY_IN_TOUCH: (
        "Staying in touch",
        """Hello {first_name},

Thank you for talking with me {conversation_when}. What your colleagues and you told me about the work at {organization} made me more certain it is where I would like to contribute.

I understand nothing is open right now. Would you mind if I stayed in touch and checked back in a few months? If something opens on your team in the meantime, I would be glad to hear of it.

With thanks,

{signature}""",
    ),
    Purpose.OPENING: (
        "Something has opened up on my team",
        """Hello {first_name},

{opening_sentence} You came to mind, so I wanted to let you know.

This is not an offer, and I do not know yet whether it suits where you are now. If it interests you, would you have time for {ask} in the next couple of weeks? I could tell you what the work involves and hear what you are looking for.

If the timing is wrong, just say so; I would be glad to stay in touch either way.

Best wishes,

{signature}""",
    ),
}

# The heart of each purpose in a sentence or two: LinkedIn notes and phone scripts.
_POINT: dict[str, str] = {
    Purpose.INFORMATIONAL: (
        "I am exploring work like yours and would value {ask} to hear about your experience "
        "{at_organization}. I am asking for information, not a job."
    ),
    Purpose.AFTER_APPLYING: (
        "{application} I am not asking you to push it; I would value {ask} to understand "
        "the work from someone who does it."
    ),
    Purpose.REJECTION_FEEDBACK: (
        "Thank you for considering me for {role}. Could you spare {ask} to tell me what "
        "the chosen candidate had that I lacked? Only to learn from it."
    ),
    Purpose.COLD_MANAGER: (
        "I have been reading about your team's work {at_organization} and would value {ask} "
        "to hear where it is heading. A request for your perspective, not a job."
    ),
    Purpose.REFERRAL: (
        "I would value {ask} to hear about your work {at_organization}. Information and "
        "advice only, not a job."
    ),
    Purpose.THANK_YOU: "Thank you for talking with me {conversation_when}. {learned_sentence}",
    Purpose.NUDGE: (
        "Following up on {last_note} in case it got buried. I would still value {ask} "
        "whenever it suits you."
    ),
    Purpose.KEEP_IN_TOUCH: "{why_i_write} {advice_sentence} No need to reply.",
    Purpose.SUPERVISOR_STAY_IN_TOUCH: (
        "Thank you for talking with me {conversation_when}. I know nothing is open now; may I "
        "stay in touch and check back in a few months?"
    ),
    Purpose.OPENING: (
        "{opening_sentence} You came to mind. It is not an offer, only a heads-up: if it "
        "interests you, could we find {ask} to talk it over?"
    ),
}


def _linkedin(purpose: str) -> str:
    connection = "{connection} " if purpose in FIRST_NOTES else ""
    return f"Hi {{first_name}}, {connection}{_POINT[purpose]}\n\nThanks, {{my_first_name}}"


def _phone(purpose: str) -> str:
    connection = "\n\n{connection}" if purpose in FIRST_NOTES else ""
    return (
        "Hello {first_name}, this is {my_name}. Do you have two minutes?"
        f"{connection}\n\n{_POINT[purpose]}\n\n"
        "If now is not a good time: when would suit you better?"
    )


def builtin(purpose: str, channel: str) -> BuiltIn:
    if channel == Channel.EMAIL:
        subject, body = _EMAIL[purpose]
        return BuiltIn(purpose, channel, subject, body)
    if channel == Channel.LINKEDIN:
        return BuiltIn(purpose, channel, "", _linkedin(purpose))
    return BuiltIn(purpose, channel, "", _phone(purpose))


def all_builtins() -> list[BuiltIn]:
    return [builtin(purpose, channel) for purpose in Purpose for channel in Channel]
