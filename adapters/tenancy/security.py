"""Passwords (argon2) and access tokens (JWT, HS256)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from domain.shared.errors import Unauthenticated


class Argon2Hasher:
    """argon2id with the library's recommended parameters (tests pass cheaper ones)."""

    def __init__(self, **parameters: int) -> None:
        self._hasher = PasswordHasher(**parameters)
        self._dummy = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def dummy_verify(self) -> None:
        self.verify(self._dummy, "not the password")


class JwtAccessTokens:
    """Short-lived signed access tokens. Expiry is checked against our clock, not the OS's."""

    ALGORITHM = "HS256"
    ISSUER = "wizamart"

    def __init__(self, secret: str, lifetime: timedelta) -> None:
        self._secret = secret
        self._lifetime = lifetime

    def issue(self, user_id: int, now: datetime) -> tuple[str, int]:
        claims = {
            "sub": str(user_id),
            "iat": int(now.timestamp()),
            "exp": int((now + self._lifetime).timestamp()),
            "iss": self.ISSUER,
            "typ": "access",
        }
        return jwt.encode(claims, self._secret, algorithm=self.ALGORITHM), int(self._lifetime.total_seconds())

    def user_id(self, token: str, now: datetime) -> int:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[self.ALGORITHM],
                issuer=self.ISSUER,
                options={"verify_exp": False, "require": ["sub", "exp", "iat", "iss"]},
            )
        except jwt.PyJWTError:
            raise Unauthenticated("invalid token") from None
        if claims.get("typ") != "access" or claims["exp"] <= now.timestamp():
            raise Unauthenticated("invalid token")
        try:
            return int(claims["sub"])
        except (TypeError, ValueError):
            raise Unauthenticated("invalid token") from None
