"""Sign-in backends: Django's and allauth's, reading the user with their profile.

Every signed-in request reads the user (Django's ``AuthenticationMiddleware``) and then
their profile: the time zone (``UserTimezoneMiddleware``), the country for business
days, the no-reply policy. These backends read both in one query. Nothing is kept
between requests: a time zone changed on the profile page counts from the next request,
in every session of the user.

Sessions signed in before these backends name Django's or allauth's own;
``AuthenticationMiddleware`` (below, in settings.MIDDLEWARE) moves them to these on their next
request, so nobody is signed out.
"""

from __future__ import annotations

from typing import Any

from allauth.account import auth_backends
from django.contrib.auth import BACKEND_SESSION_KEY, backends, middleware
from django.http import HttpRequest

from coffeechat.accounts.models import User


def _user_with_profile(backend: backends.ModelBackend, user_id: Any) -> User | None:
    """Django's ``ModelBackend.get_user``, with the profile read along."""
    user = User._default_manager.select_related("profile").filter(pk=user_id).first()
    return user if user is not None and backend.user_can_authenticate(user) else None


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        return _user_with_profile(self, user_id)


class AuthenticationBackend(auth_backends.AuthenticationBackend):
    def get_user(self, user_id: Any) -> User | None:
        return _user_with_profile(self, user_id)


# A session's backend, as stored by earlier versions -> the backend that replaces it.
EARLIER_BACKENDS = {
    "django.contrib.auth.backends.ModelBackend": "coffeechat.accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": (
        "coffeechat.accounts.backends.AuthenticationBackend"
    ),
}


class AuthenticationMiddleware(middleware.AuthenticationMiddleware):
    """Django's, after moving a session of an earlier version to these backends."""

    def process_request(self, request: HttpRequest) -> None:
        earlier = request.session.get(BACKEND_SESSION_KEY)
        if earlier in EARLIER_BACKENDS:
            request.session[BACKEND_SESSION_KEY] = EARLIER_BACKENDS[earlier]
        super().process_request(request)
