"""Dependencies shared by every router."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from entrypoints.bootstrap import Container

_bearer = HTTPBearer(auto_error=False, description="Bootstrap admin token (WIZAMART_ADMIN_TOKEN)")


def get_container(request: Request) -> Container:
    return request.app.state.container


ContainerDep = Annotated[Container, Depends(get_container)]


def require_admin(
    container: ContainerDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """Admin routes need the bootstrap admin token until users and permissions exist."""
    expected = container.settings.admin_token
    unauthorized = HTTPException(401, "a valid admin token is required", {"WWW-Authenticate": "Bearer"})
    if expected is None or credentials is None:
        raise unauthorized
    if not hmac.compare_digest(credentials.credentials.encode(), expected.get_secret_value().encode()):
        raise unauthorized
    return "admin-token"


AdminDep = Annotated[str, Depends(require_admin)]
