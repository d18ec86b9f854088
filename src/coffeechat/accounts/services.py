"""Account writes: creating users, profiles and API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from coffeechat.accounts.models import ApiToken, Profile, User, hash_token
from coffeechat.core.scoping import owned


@transaction.atomic
def create_account(
    email: str, password: str, *, full_name: str = "", superuser: bool = False
) -> User:
    """Create a user (with a profile); the password must pass the strength checks."""
    email = User.objects.normalize_email(email.strip())
    candidate = User(email=email)
    validate_password(password, user=candidate)
    if superuser:
        user = User.objects.create_superuser(email, password)
    else:
        user = User.objects.create_user(email, password)
    Profile.objects.create(user=user, full_name=full_name)
    return user


def get_profile(user: User) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


def save_profile(profile: Profile) -> Profile:
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def create_api_token(owner: Any, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is shown only this once."""
    raw = ApiToken.new_secret()
    token = ApiToken.objects.create(
        owner=owner, name=name.strip() or "API token", prefix=raw[:10], key_hash=hash_token(raw)
    )
    return token, raw


def revoke_api_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def revoke_all_api_tokens(owner: Any) -> int:
    """Revoke every active token of ``owner``; how many there were."""
    return ApiToken.objects.filter(owner=owner, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def user_for_token(raw: str) -> User | None:
    """The active user whose unrevoked token this is, recording when it was used."""
    if not raw:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("owner")
        .filter(key_hash=hash_token(raw), owner__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.owner


def tokens_of(owner: Any) -> Any:
    return owned(ApiToken, owner)
