"""Exit codes: 0 success, 1 user error (one-line reason on stderr), 2 usage."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from application.shared.config import ConfigurationError
from application.shared.modules import ModuleDefinitionError
from domain.shared.errors import DomainError
from entrypoints.cli.context import err_console

USER_ERRORS = (DomainError, ConfigurationError, ModuleDefinitionError)


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


class WizamartGroup(TyperGroup):
    """Turns domain and configuration errors raised by any command into exit code 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except USER_ERRORS as exc:
            err_console.print(f"error: {one_line(exc)}", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(1) from exc
