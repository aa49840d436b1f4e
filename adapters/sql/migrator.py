"""Schema migrations: one Alembic environment, one history (branch) per module.

Revision ids are ``<module>_<NNNN>``, files ``<module>_<NNNN>_<slug>.py`` in
``migrations/versions/<module>/``; ``heads`` applies every module. See
docs/adr/0002-per-module-migration-histories.md.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import os
import re
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine

from application.shared.modules import ModuleRegistry
from domain.shared.errors import NotFound, ValidationFailed

# Located, not imported: the Alembic environment sits above adapters and imports them.
MIGRATIONS_DIR = Path(importlib.util.find_spec("migrations").origin).parent  # type: ignore[arg-type, union-attr]


def import_orm_modules(registry: ModuleRegistry) -> None:
    """Import ``adapters.<code>.orm`` of every module so the shared MetaData knows all tables."""
    for code in registry.codes:
        if importlib.util.find_spec(f"adapters.{code}") is not None:
            importlib.import_module(f"adapters.{code}.orm")


class Migrator:
    def __init__(
        self,
        url: str,
        registry: ModuleRegistry,
        *,
        migrations_dir: Path = MIGRATIONS_DIR,
        stdout: io.TextIOBase | None = None,
    ) -> None:
        self.url = url
        self.migrations_dir = migrations_dir
        self.registry = registry
        self.stdout = stdout
        self._heads: dict[str, str | None] | None = None
        self._script: ScriptDirectory | None = None

    def config(self, **attributes: object) -> Config:
        cfg = Config(stdout=self.stdout) if self.stdout is not None else Config()
        cfg.set_main_option("script_location", str(self.migrations_dir))
        cfg.set_main_option("path_separator", "os")
        cfg.set_main_option(
            "version_locations",
            os.pathsep.join(str(self.versions_dir / code) for code in self.registry.codes),
        )
        cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
        cfg.set_main_option("truncate_slug_length", "40")
        cfg.attributes.update(url=self.url, registry=self.registry, **attributes)
        return cfg

    @property
    def versions_dir(self) -> Path:
        return self.migrations_dir / "versions"

    def script(self) -> ScriptDirectory:
        """The parsed scripts (read once, like :meth:`heads`; :meth:`revision` starts over)."""
        if self._script is None:
            self._script = ScriptDirectory.from_config(self.config())
        return self._script

    def _target(self, module: str | None, default: str) -> str:
        if module is None:
            return default
        self._check_module(module)
        return f"{module}@{default.rstrip('s')}"  # heads -> head, base -> base

    def _check_module(self, module: str) -> None:
        if module not in self.registry:
            raise NotFound(f"unknown module '{module}' (known: {', '.join(self.registry.codes)})")

    def upgrade(self, module: str | None = None, revision: str | None = None) -> None:
        """Apply migrations: every module (``heads``), one module, or up to one revision."""
        command.upgrade(self.config(), revision or self._target(module, "heads"))

    def downgrade(self, revision: str) -> None:
        """Revert to ``revision``: ``base``, ``<module>@base``, a revision id or ``-1``."""
        try:
            command.downgrade(self.config(), revision)
        except CommandError as exc:
            raise ValidationFailed.for_field("revision", str(exc)) from exc

    def current(self, engine: Engine) -> dict[str, str | None]:
        """The applied head of each module (None where the module has nothing applied)."""
        script = self.script()
        with engine.connect() as connection:
            applied = set(MigrationContext.configure(connection).get_current_heads())
        out: dict[str, str | None] = {code: None for code in self.registry.codes}
        for rev_id in applied:
            for rev in script.iterate_revisions(rev_id, "base"):
                owner = rev.revision.rsplit("_", 1)[0]
                if owner in out and out[owner] is None:
                    out[owner] = rev.revision
        return out

    def heads(self) -> dict[str, str | None]:
        """The newest revision of each module's history (read once: scripts do not change while
        the process runs)."""
        if self._heads is None:
            heads: dict[str, str | None] = {code: None for code in self.registry.codes}
            for head in self.script().get_heads():
                heads[head.rsplit("_", 1)[0]] = head
            self._heads = heads
        return dict(self._heads)

    def is_up_to_date(self, engine: Engine) -> bool:
        return self.current(engine) == self.heads()

    def history(self) -> list[tuple[str, str, str]]:
        """(module, revision, message) of every revision, newest first."""
        return [
            (rev.revision.rsplit("_", 1)[0], rev.revision, rev.doc or "")
            for rev in self.script().walk_revisions()
        ]

    @staticmethod
    def next_revision_id(module: str, script: ScriptDirectory) -> str:
        """``<module>_<NNNN>``: one more than the module's highest number."""
        pattern = re.compile(rf"^{re.escape(module)}_(\d{{4}})$")
        numbers = [
            int(m.group(1)) for rev in script.walk_revisions() if (m := pattern.match(rev.revision))
        ]
        return f"{module}_{max(numbers, default=0) + 1:04d}"

    def revision(self, module: str, message: str, *, autogenerate: bool = False) -> Path | None:
        """Write a new revision for ``module``; None when autogenerate found nothing to do."""
        self._check_module(module)
        if not message.strip():
            raise ValidationFailed.for_field("message", "must not be empty")
        cfg = self.config(module=module, autogenerate=autogenerate)
        script = ScriptDirectory.from_config(cfg)
        has_history = any(h.rsplit("_", 1)[0] == module for h in script.get_heads())
        version_path = self.versions_dir / module
        version_path.mkdir(parents=True, exist_ok=True)
        kwargs: dict[str, object] = (
            {"head": f"{module}@head"}
            if has_history
            else {"head": "base", "branch_label": module, "version_path": str(version_path)}
        )
        self._heads = self._script = None
        written = command.revision(
            cfg,
            message=message,
            autogenerate=autogenerate,
            rev_id=self.next_revision_id(module, script),
            **kwargs,
        )
        if written is None or isinstance(written, list):
            return None
        return Path(written.path)
