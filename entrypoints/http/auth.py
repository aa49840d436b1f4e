"""Authentication and authorization for every route: one dependency resolves the principal,
the tenant (platform and/or vendor from the path) and checks a permission."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from application.tenancy.access import Access
from application.tenancy.use_cases.resolve_access import ResolveAccess, resolve_access
from domain.shared.errors import NotFound, Unauthenticated
from entrypoints.http.deps import ContainerDep

ADMIN_PREFIX = "/api/v1/admin/"
bearer = HTTPBearer(auto_error=False, description="Access token from POST /api/v1/auth/login")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def current_user_id(container: ContainerDep, credentials: Credentials) -> int:
    """The signed-in user's id. A dependency: FastAPI solves it once per request, so a route
    gated by ``require_module`` and guarded by ``authorize`` decodes the token once."""
    if credentials is None:
        raise Unauthenticated("a bearer access token is required")
    tokens = container.module_services("tenancy").tokens
    return tokens.user_id(credentials.credentials, container.clock.now())


UserId = Annotated[int, Depends(current_user_id)]


def _path_id(request: Request, name: str) -> int | None:
    raw = request.path_params.get(name)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise NotFound(f"{name.removesuffix('_id')} {raw} not found") from None


def authorize(permission: str | None) -> Any:
    """A dependency: the caller's Access for the platform/vendor in the path, with
    ``permission`` checked. Unknown or foreign tenants answer 404, missing permission 403."""

    def dependency(request: Request, container: ContainerDep, user_id: UserId) -> Access:
        access = resolve_access(
            ResolveAccess(
                user_id=user_id,
                permission=permission,
                platform_id=_path_id(request, "platform_id"),
                vendor_id=_path_id(request, "vendor_id"),
                admin_area=request.url.path.startswith(ADMIN_PREFIX),
            ),
            uow=container.unit_of_work("tenancy", read_only=True),
            registry=container.registry,
        )
        request.state.access = access
        return access

    return Depends(dependency)


def require_module(code: str) -> Callable[..., None]:
    """Mounted on an optional module's router: 404 for a platform that has it switched off.
    The caller is authenticated first, so an anonymous probe cannot tell on from off."""

    def dependency(request: Request, container: ContainerDep, _user_id: UserId) -> None:
        platform_id = _path_id(request, "platform_id")
        vendor_id = _path_id(request, "vendor_id")
        # None (no such vendor): authorize answers that vendor's 404.
        if container.directory.is_enabled_for(code, platform_id=platform_id, vendor_id=vendor_id) is False:
            raise NotFound("not found")

    return dependency
