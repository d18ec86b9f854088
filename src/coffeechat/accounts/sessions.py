"""Ending a user's sessions: after deleting the account, and when staff deactivate it."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.utils import timezone

CHUNK = 500


def end_sessions(user_pk: object) -> int:
    """Delete the stored sessions signed in as this user; how many there were.

    Sessions are stored in the database (Django's default engine); a session names its
    user only inside its encoded data, so they are read in chunks.
    """
    wanted = str(user_pk)
    stale: list[str] = []
    count = 0
    sessions = Session.objects.filter(expire_date__gt=timezone.now()).only(
        "session_key", "session_data"
    )
    for session in sessions.iterator(chunk_size=CHUNK):
        if str(session.get_decoded().get("_auth_user_id")) == wanted:
            stale.append(session.session_key)
        if len(stale) >= CHUNK:
            count += Session.objects.filter(session_key__in=stale).delete()[0]
            stale = []
    if stale:
        count += Session.objects.filter(session_key__in=stale).delete()[0]
    return count
