"""Encryption at rest for the per-user SMTP password (and the mailbox's IMAP password,
under its own purpose label, so one key never serves both).

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
def _fernet(secret_key: str, purpose: bytes = PURPOSE) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(plain: str, purpose: bytes = PURPOSE) -> str:
    if not plain:
        return ""
    return _fernet(settings.SECRET_KEY, purpose).encrypt(plain.encode()).decode()


def decrypt(
    token: str,
    purpose: bytes = PURPOSE,
    *,
    what: str = "SMTP password",
    where: str = "your e-mail settings",
) -> str:
    if not token:
        return ""
    try:
        return _fernet(settings.SECRET_KEY, purpose).decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable(
            f"The stored {what} cannot be read (was SECRET_KEY changed?): "
            f"enter it again in {where}."
        ) from None
