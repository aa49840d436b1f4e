"""The FastAPI application factory."""

from __future__ import annotations

import importlib
from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import FastAPI

from entrypoints.bootstrap import Container, bootstrap
from entrypoints.http import health, problems
from entrypoints.http.middleware import RequestContextMiddleware
from entrypoints.worker import EmbeddedRuntime


def router_module(code: str):  # type: ignore[no-untyped-def]
    """``entrypoints.http.routers.<code>``: every module has one (an architecture test checks)."""
    return importlib.import_module(f"entrypoints.http.routers.{code}")


def create_app(container: Container | None = None) -> FastAPI:
    """Build the API for ``container`` (bootstrapped from the environment when omitted). An
    embedded container runs its worker threads and scheduler thread for the app's lifetime."""
    container = container or bootstrap()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        runtime = EmbeddedRuntime(container) if container.embedded else None
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
        app.include_router(router_module(definition.code).router)
    return app
