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
from entrypoints.bootstrap import Container
from entrypoints.http.deps import ContainerDep

ADMIN_PREFIX = "/api/v1/admin/"
bearer = HTTPBearer(auto_error=False, description="Access token from POST /api/v1/auth/login")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def user_id_from(container: Container, credentials: HTTPAuthorizationCredentials | None) -> int:
    if credentials is None:
        raise Unauthenticated("a bearer access token is required")
    tokens = container.module_services("tenancy").tokens
    return tokens.user_id(credentials.credentials, container.clock.now())


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

    def dependency(request: Request, container: ContainerDep, credentials: Credentials) -> Access:
        access = resolve_access(
            ResolveAccess(
                user_id=user_id_from(container, credentials),
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

    def dependency(request: Request, container: ContainerDep, credentials: Credentials) -> None:
        user_id_from(container, credentials)
        platform_id = _path_id(request, "platform_id")
        vendor_id = _path_id(request, "vendor_id")
        directory = container.module_services("tenancy").directory
        if platform_id is None and vendor_id is not None:
            platform_id = directory.platform_of_vendor(vendor_id)
        if platform_id is not None and not directory.is_enabled(platform_id, code):
            raise NotFound("not found")

    return dependency
