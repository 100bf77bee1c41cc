"""Secrets kept in the database, encrypted at rest under a key derived from SECRET_KEY.

`seal(data, purpose=...)` returns a Fernet token (AES-128-CBC with HMAC-SHA256) and `unseal` reads
it back. The key is derived from SECRET_KEY per purpose, so a database dump alone does not give the
secrets away, and a token sealed for one purpose cannot be read for another. Rotating SECRET_KEY
keeps old tokens readable while the old key is listed in SECRET_KEY_FALLBACKS.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac


class UnsealError(ValueError):
    """The token was not sealed for this purpose with SECRET_KEY or one of its fallbacks."""


def _fernet(purpose: str) -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([
        Fernet(base64.urlsafe_b64encode(salted_hmac(f"expo.sealed.{purpose}", "key", secret=secret,
                                                    algorithm="sha256").digest()))
        for secret in secrets
    ])  # fmt: skip


def seal(data: bytes, *, purpose: str) -> str:
    return _fernet(purpose).encrypt(data).decode()


def unseal(token: str, *, purpose: str) -> bytes:
    try:
        return _fernet(purpose).decrypt(token.encode())
    except InvalidToken:
        raise UnsealError(f"cannot unseal this {purpose} secret with SECRET_KEY or its fallbacks") from None
