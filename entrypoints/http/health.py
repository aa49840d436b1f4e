"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import APIRouter
from fastapi.responses import JSONResponse

from adapters.probes import check_database, check_redis
from entrypoints.http.deps import ContainerDep

router = APIRouter(prefix="/health", tags=["health"])
log = structlog.get_logger(__name__)


@router.get("/live")
def live() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/ready", responses={503: {"description": "Some part is not ready; each is named"}})
def ready(container: ContainerDep) -> JSONResponse:
    """Ready when the database answers and is migrated, Redis answers (when configured), and
    every module's health hook reports healthy. Answers 503 naming each failing part."""
    checks: dict[str, dict[str, Any]] = {}

    def record(name: str, failure: str | None, ok_detail: str = "ok") -> None:
        checks[name] = {"ok": failure is None, "detail": failure or ok_detail}

    db_failure = check_database(container.engine)
    record("database", db_failure)
    if db_failure is None:
        try:
            current = container.migrator.is_up_to_date(container.engine)
            record("migrations", None if current else "not at head: run `wizamart db upgrade`")
        except Exception as exc:  # noqa: BLE001 - reported as a failing part
            record("migrations", f"{type(exc).__name__}: {exc}")
    if container.settings.redis_url:
        record("redis", check_redis(container.settings.redis_url))
    if db_failure is None:
        for definition in container.registry:
            if definition.hooks.health is None:
                continue
            try:
                report = definition.hooks.health(container.module_context(definition.code, read_only=True))
                record(f"module:{definition.code}", None if report.ok else report.detail, report.detail)
            except Exception as exc:  # noqa: BLE001 - a crashing hook is an unhealthy module
                log.exception("health hook failed", module=definition.code)
                record(f"module:{definition.code}", f"{type(exc).__name__}: {exc}")
    failing = sorted(name for name, check in checks.items() if not check["ok"])
    body = {"status": "fail" if failing else "ok", "failing": failing, "checks": checks}
    return JSONResponse(body, status_code=503 if failing else 200)
