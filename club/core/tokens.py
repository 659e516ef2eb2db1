"""Signed, expiring tokens (itsdangerous). Each purpose has its own salt."""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class TokenInvalid(Exception):
    """The token was tampered with or is not a token at all."""


class TokenExpired(Exception):
    """The token was genuine but is too old."""


@dataclass(frozen=True)
class Signer:
    salt: str

    def _serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=self.salt)

    def dumps(self, payload: Any) -> str:
        return self._serializer().dumps(payload)

    def loads(self, token: str, max_age: int | None = None) -> Any:
        try:
            return self._serializer().loads(token, max_age=max_age)
        except SignatureExpired as exc:
            raise TokenExpired() from exc
        except BadSignature as exc:
            raise TokenInvalid() from exc


def keyed_hash(value: str, purpose: str) -> str:
    """A stable keyed hash (HMAC-SHA256) of a value, for matching without keeping the value."""
    key = hashlib.sha256(f"{purpose}:{current_app.config['SECRET_KEY']}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
