"""Keep-in-touch items of benched people open the bench's own note.

The follow-ups tick makes the keep-in-touch items (it sits below the bench and cannot
know who is benched), with the seeker's draft ("your advice shaped…"). For someone on
my bench that is the wrong note: right after the tick, the worker points their items
at the bench's short keep-warm draft instead ("you came to mind…", see
:func:`coffeechat.bench.services.draft_url`).
"""

from __future__ import annotations

from django.db.models import F

from coffeechat.bench import services
from coffeechat.followups.models import ACTIVE, FollowUp


def point_drafts_at_bench() -> int:
    """Point every open keep-in-touch item of a benched person at the keep-warm draft."""
    items = (
        FollowUp.objects.filter(
            rule="keep_in_touch",
            status__in=ACTIVE,
            person__bench_entries__owner_id=F("owner_id"),
        )
        .select_related("person")
        .only("pk", "action_url", "person")
    )
    changed = 0
    for item in items.iterator(chunk_size=500):
        if item.person is None:
            continue
        url = services.draft_url(item.person)
        if item.action_url != url:
            FollowUp.objects.filter(pk=item.pk).update(action_url=url)
            changed += 1
    return changed
