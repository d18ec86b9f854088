"""Encryption at rest for the per-user SMTP password.

The key is derived from Django's SECRET_KEY with HKDF (SHA-256, a fixed purpose label),
and the password is stored as a Fernet token (AES-128-CBC with an HMAC). Changing
SECRET_KEY makes stored passwords unreadable: the user is asked to enter theirs again.
"""

from __future__ import annotations

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PURPOSE = b"coffeechat outreach smtp password v1"


class SecretUnreadable(ValueError):
    """The stored secret was encrypted with another SECRET_KEY, or was tampered with."""


@cache
def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(plain: str) -> str:
    if not plain:
        return ""
    return _fernet(settings.SECRET_KEY).encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(settings.SECRET_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable(
            "The stored SMTP password cannot be read (was SECRET_KEY changed?): "
            "enter it again in your e-mail settings."
        ) from None
