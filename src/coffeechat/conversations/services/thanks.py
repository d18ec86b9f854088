"""Thank-you notes: to the people you talked with, and to those who introduced you."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format

from coffeechat.conversations.models import Conversation, Fit, PromiseDirection
from coffeechat.core.calendar import user_zone
from coffeechat.core.scoping import owned
from coffeechat.network.models import Person
from coffeechat.network.names import greeting_name


def thank_you_context(conversation: Conversation, person: Person) -> dict[str, str]:
    """What a thank-you note to ``person`` can say, from the conversation (all strings).

    Keys: ``conversation_date``, ``conversation_topic``, ``learned`` (one thing I
    learned, theirs first), ``referred_names`` and ``referred_by`` (whom they passed me
    to), ``promise_mine`` (what I promised them), ``organization``, ``first_name``.
    """
    learnings = list(conversation.learnings.all())
    referrals = [r for r in conversation.referrals.all() if r.referred_by_id == person.pk]
    promises = [
        p
        for p in conversation.promises.all()
        if p.direction == PromiseDirection.MINE and p.person_id in (None, person.pk)
    ]
    local = timezone.localtime(conversation.starts_at, user_zone(conversation.owner))
    topic = conversation.get_purpose_display().lower()
    if conversation.organization is not None:
        topic = f"{topic} conversation about your work at {conversation.organization.name}"
    else:
        topic = f"{topic} conversation"
    names = [r.person.full_name for r in referrals]
    return {
        "first_name": greeting_name(person.first_name, person.last_name),
        "conversation_date": date_format(local.date(), "j F Y"),
        "conversation_topic": topic,
        "organization": conversation.organization.name if conversation.organization else "",
        "learned": learnings[0].text if learnings else "",
        "referred_names": ", ".join(names),
        "referred_by": person.full_name if names else "",
        "promise_mine": "; ".join(p.text for p in promises),
    }


def thank_you_url(conversation: Conversation, person: Person) -> str | None:
    """The outreach composer, prefilled for a thank-you to ``person``; None without it."""
    try:
        base = reverse("outreach:compose")
    except NoReverseMatch:
        return None
    query = {"person": person.pk, "purpose": "thank_you", "conversation": conversation.pk}
    return f"{base}?{urlencode(query)}"


def thank_you_text(context: Mapping[str, str]) -> str:
    """A plain draft from :func:`thank_you_context`, to copy when there is no composer."""
    lines = [
        f"Dear {context['first_name']},",
        "",
        f"Thank you for the {context['conversation_topic']} on {context['conversation_date']}.",
    ]
    if context.get("learned"):
        lines.append(f"One thing I keep thinking about: {context['learned']}")
    if context.get("referred_names"):
        lines.append(
            f"Thank you also for suggesting I talk to {context['referred_names']}; "
            "I will let you know how it goes."
        )
    if context.get("promise_mine"):
        lines.append(f"As promised: {context['promise_mine']}")
    return "\n".join(lines)


# Thanking the people who introduced you -------------------------------------------------


FIT_SENTENCES: dict[str, str] = {
    Fit.STRONG: "It left me more certain that {where} is a strong fit for me.",
    Fit.UNSURE: "I am still weighing whether {where} is the right fit for me.",
    Fit.NOT_A_FIT: (
        "It showed me that {where} is not the right fit for me, which is a useful answer too."
    ),
}


def introducer_thanks_context(
    conversation: Conversation, introducer: Person
) -> dict[str, str] | None:
    """What a thank-you to ``introducer`` can say about a conversation they led you to
    (all strings), or None when they did not pass you on toward anyone in it.

    For you → Rosa → Marco → Lena and a conversation with Lena: to Rosa, ``passed_to``
    is Marco and ``talked_with`` Lena; to Marco, both are Lena. ``how_it_went`` holds
    only what the debrief recorded: a learning, the fit, whom they suggested next.
    """
    from coffeechat.conversations.chains import introducers

    participants = list(conversation.participants.all())
    if introducer.pk in {p.pk for p in participants}:
        return None  # they took part: the usual thank-you
    chains = introducers(conversation.owner, [p.pk for p in participants])
    for person in participants:
        chain = chains[person.pk]
        if introducer.pk not in chain:
            continue
        index = chain.index(introducer.pk)
        passed_to = person
        if index > 0:
            passed_to = owned(Person, conversation.owner).get(pk=chain[index - 1])
        context = thank_you_context(conversation, person)
        where = context["organization"] or "this work"
        went = []
        if context["learned"]:
            went.append(f"What stayed with me most: {context['learned'].rstrip('.')}.")
        if conversation.fit in FIT_SENTENCES:
            went.append(FIT_SENTENCES[conversation.fit].format(where=where))
        if context["referred_names"]:
            names = context["referred_names"]
            went.append(f"{person.first_name} also suggested I talk to {names}.")
        return {
            "first_name": introducer.first_name or introducer.full_name,
            "passed_to": passed_to.full_name,
            "talked_with": person.full_name,
            "talked_with_first_name": person.first_name or person.full_name,
            "conversation_date": context["conversation_date"],
            "how_it_went": " ".join(went),
        }
    return None


def introducer_thanks_text(context: Mapping[str, str]) -> tuple[str, str]:
    """(subject, body) of a thank-you to an introducer, from
    :func:`introducer_thanks_context`; the composer adds the signature."""
    talked_with = context["talked_with"]
    if context["passed_to"] == talked_with:
        opening = (
            f"Thank you for introducing me to {talked_with}. "
            f"We talked on {context['conversation_date']}."
        )
    else:
        opening = (
            f"Thank you for introducing me to {context['passed_to']}. That introduction led "
            f"me on to {talked_with}, and we talked on {context['conversation_date']}."
        )
    lines = [f"Dear {context['first_name']},", "", opening]
    if context.get("how_it_went"):
        lines += ["", f"How it went: {context['how_it_went']}"]
    lines += ["", "I will keep you posted on what comes of it.", "", "With thanks,"]
    return f"Thank you for the introduction to {context['passed_to']}", "\n".join(lines)
