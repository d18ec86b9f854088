"""Every write on conversations is one function here; views, API and CLI call them.

The functions live in modules by what they do: ``reading``, ``scheduling``,
``notes`` (quick notes, questions, stories), ``debrief``, ``referrals``,
``promises``, ``thanks`` (thank-you notes, to the people you talked with and to
those who introduced you) and ``incoming`` (calendar answers and invitations from
others, from the mailbox or an uploaded .ics).
"""

from __future__ import annotations

from coffeechat.conversations.services.debrief import save_debrief
from coffeechat.conversations.services.incoming import (
    take_calendar_file,
    take_calendar_mail,
)
from coffeechat.conversations.services.notes import (
    add_builtin_question,
    add_own_question,
    choose_proposed_questions,
    move_chosen,
    remove_chosen,
    save_quick_notes,
    set_chosen_order,
    suggest_stories,
)
from coffeechat.conversations.services.promises import (
    add_promise,
    record_follow_up_request,
    save_promise,
    set_promise_done,
)
from coffeechat.conversations.services.reading import (
    aware,
    conversations_for_list,
    fresh,
    local_times,
    with_people,
)
from coffeechat.conversations.services.referrals import (
    add_referral,
    delete_referral,
    match_person,
    person_attachments,
    update_referral,
)
from coffeechat.conversations.services.scheduling import (
    cancel_conversation,
    invite,
    mark_held,
    reschedule_conversation,
    schedule_conversation,
    update_conversation,
)
from coffeechat.conversations.services.thanks import (
    introducer_thanks_context,
    introducer_thanks_text,
    thank_you_context,
    thank_you_text,
    thank_you_url,
)

__all__ = [
    "add_builtin_question",
    "add_own_question",
    "add_promise",
    "add_referral",
    "aware",
    "cancel_conversation",
    "choose_proposed_questions",
    "conversations_for_list",
    "delete_referral",
    "fresh",
    "introducer_thanks_context",
    "introducer_thanks_text",
    "invite",
    "local_times",
    "mark_held",
    "match_person",
    "move_chosen",
    "person_attachments",
    "record_follow_up_request",
    "remove_chosen",
    "reschedule_conversation",
    "save_debrief",
    "save_promise",
    "save_quick_notes",
    "schedule_conversation",
    "set_chosen_order",
    "set_promise_done",
    "suggest_stories",
    "take_calendar_file",
    "take_calendar_mail",
    "thank_you_context",
    "thank_you_text",
    "thank_you_url",
    "update_conversation",
    "update_referral",
    "with_people",
]
