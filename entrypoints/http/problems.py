"""Errors as RFC 9457 problem details (``application/problem+json``) with a stable ``type``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.shared.errors import DomainError, TooManyAttempts, ValidationFailed

PROBLEM_BASE = "https://wizamart.lu/problems/"
PROBLEM_JSON = "application/problem+json"

# A DomainError kind -> (HTTP status, title). Subclasses declare their own kind.
STATUS_BY_KIND: dict[str, tuple[int, str]] = {
    "not-found": (404, "Not found"),
    "conflict": (409, "Conflict"),
    "validation": (422, "Validation failed"),
    "currency-mismatch": (422, "Currency mismatch"),
    "permission-denied": (403, "Permission denied"),
    "unauthenticated": (401, "Unauthenticated"),
    "too-many-attempts": (429, "Too many attempts"),
    "limit-exceeded": (402, "Plan limit reached"),
    "invalid-webhook": (400, "Invalid webhook"),
    "payment-provider-unavailable": (503, "Payment provider unavailable"),
    "invalid-feed": (422, "Invalid feed file"),
    "file-too-large": (413, "File too large"),
    "feed-unavailable": (502, "Feed unavailable"),
    "domain-error": (400, "Bad request"),
}


class InvalidParam(BaseModel):
    name: str
    reason: str


class Problem(BaseModel):
    """The problem+json body, as documented in OpenAPI."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    invalid_params: list[InvalidParam] | None = None


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": title}
    for status, title in {401: "Unauthorized", 404: "Not found", 422: "Validation failed"}.items()
}


def problem(
    request: Request,
    *,
    status: int,
    kind: str,
    title: str,
    detail: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {
        "type": PROBLEM_BASE + kind,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "request_id": getattr(request.state, "request_id", None),
        **extra,
    }
    return JSONResponse(
        {k: v for k, v in body.items() if v is not None},
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _http_kind(status: int) -> str:
    return {
        400: "bad-request",
        401: "unauthorized",
        403: "permission-denied",
        404: "not-found",
        405: "method-not-allowed",
        409: "conflict",
        503: "unavailable",
    }.get(status, f"http-{status}")


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain_error(request: Request, exc: DomainError) -> JSONResponse:
        status, title = STATUS_BY_KIND.get(exc.kind, (400, "Bad request"))
        extra: dict[str, Any] = {}
        if isinstance(exc, ValidationFailed) and exc.errors:
            extra["invalid_params"] = [{"name": e.field, "reason": e.message} for e in exc.errors]
        details = {k: v for k, v in exc.details.items() if isinstance(v, str | int | float | bool)}
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        if isinstance(exc, TooManyAttempts):
            headers = {"Retry-After": str(exc.retry_after)}
        return problem(
            request,
            status=status,
            kind=exc.kind,
            title=title,
            detail=str(exc),
            headers=headers,
            **details,
            **extra,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        params = [
            {
                "name": ".".join(str(p) for p in err["loc"] if p != "body") or "body",
                "reason": err["msg"],
            }
            for err in exc.errors()
        ]
        return problem(
            request,
            status=422,
            kind="validation",
            title="Validation failed",
            detail="; ".join(f"{p['name']}: {p['reason']}" for p in params),
            invalid_params=params,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(
            request,
            status=exc.status_code,
            kind=_http_kind(exc.status_code),
            title=exc.detail if isinstance(exc.detail, str) else "Error",
            detail=exc.detail if isinstance(exc.detail, str) else None,
            headers=getattr(exc, "headers", None),
        )
