"""The FastAPI application factory."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import IO, Any

from fastapi import APIRouter, Depends, FastAPI

from application.shared.modules import CORE
from entrypoints.bootstrap import Container, bootstrap
from entrypoints.http import health, problems
from entrypoints.http.auth import require_module
from entrypoints.http.middleware import RequestContextMiddleware
from entrypoints.worker import EmbeddedRuntime


def _routers_of(code: str) -> Any:
    """``entrypoints.http.routers.<code>``, or None for a module without one (test probes;
    every real module has one, an architecture test checks)."""
    name = f"entrypoints.http.routers.{code}"
    return importlib.import_module(name) if importlib.util.find_spec(name) is not None else None


def module_router(code: str) -> APIRouter | None:
    """The module's ``router`` (authenticated; gated per platform for non-core modules)."""
    return getattr(_routers_of(code), "router", None)


def module_routes(container: Container) -> dict[str, list[str]]:
    """Each module's routes as ``"<METHOD> <path>"``: what answers 404 once it is switched off."""
    routes: dict[str, list[str]] = {}
    for d in container.registry:
        r = module_router(d.code)
        routes[d.code] = sorted({f"{m} {route.path}" for route in (r.routes if r else [])
                                 for m in getattr(route, "methods", ())})
    return routes


def module_public_router(code: str) -> APIRouter | None:
    """The module's ``public_router``, when it has one (webhooks: they verify themselves)."""
    return getattr(_routers_of(code), "public_router", None)


def create_app(container: Container | None = None, *, embedded_lock: IO[str] | None = None) -> FastAPI:
    """Build the API for ``container`` (bootstrapped from the environment when omitted). An
    embedded container runs its worker threads and scheduler thread for the app's lifetime."""
    container = container or bootstrap()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        runtime = EmbeddedRuntime(container, embedded_lock) if container.embedded else None
        if runtime is not None:
            runtime.start()
        try:
            yield
        finally:
            if runtime is not None:
                runtime.stop()
            container.close()

    app = FastAPI(
        title="Wizamart",
        version="0.1.0",
        description="Multi-tenant commerce platform for vendors who sell on Letzshop.",
        lifespan=lifespan,
        responses=problems.PROBLEM_RESPONSES,
    )
    app.state.container = container
    app.add_middleware(RequestContextMiddleware)
    problems.install(app)
    app.include_router(health.router)
    for definition in container.registry:
        public = module_public_router(definition.code)
        if public is not None:  # webhooks: no token, no gating; they verify themselves
            app.include_router(public)
        router = module_router(definition.code)
        if router is None:
            continue
        if definition.classification is CORE:
            app.include_router(router)
        else:  # switched per platform: 404 where it is off
            app.include_router(router, dependencies=[Depends(require_module(definition.code))])
    return app
