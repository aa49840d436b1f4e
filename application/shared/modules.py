"""The module system: how a bounded context declares itself, and the registry that checks it.

Each module declares one ``MODULE = ModuleDefinition(...)`` in ``application/<code>/module.py``.
Routers, CLI sub-apps, actors, migration directories and config classes are all found from the
registry built here, never from hand-kept lists.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import timedelta
from enum import StrEnum
from typing import Any

import attrs
from croniter import croniter

from domain.shared.time import DEFAULT_TIMEZONE, zone


class Classification(StrEnum):
    CORE = "core"  # always on
    OPTIONAL = "optional"  # switched per platform
    INTERNAL = "internal"  # serves the operator only


class Queue(StrEnum):
    DEFAULT = "default"  # fast work
    LONG_RUNNING = "long_running"  # imports, scans, test runs
    SCHEDULED = "scheduled"  # cron work


class CatchUp(StrEnum):
    """What a scheduler does with slots missed while it was down."""

    LATEST = "latest"  # fire the most recent missed slot once, however late
    NONE = "none"  # fire a slot only within the grace period; skip older missed ones


CORE, OPTIONAL, INTERNAL = Classification.CORE, Classification.OPTIONAL, Classification.INTERNAL


@attrs.frozen
class TaskSpec:
    """A unit of background work; becomes the Dramatiq actor ``<module>.<name>``."""

    name: str
    handler: Callable[..., Any]
    queue: str = Queue.DEFAULT
    time_limit: timedelta = timedelta(minutes=10)
    max_retries: int = 3


@attrs.frozen
class Schedule:
    """Fire ``task`` (a task of the same module) at each slot of ``cron`` in ``timezone``."""

    task: str
    cron: str
    timezone: str = DEFAULT_TIMEZONE
    catch_up: CatchUp = CatchUp.LATEST
    enabled: bool = True


@attrs.frozen
class MenuItem:
    """An entry of the admin or vendor menu; ``label`` maps a language code to its text."""

    area: str  # "admin" or "vendor"
    key: str
    label: Mapping[str, str]
    path: str
    permission: str | None = None
    order: int = 100


@attrs.frozen
class ModuleHooks:
    on_enable: Callable[..., None] | None = None
    on_disable: Callable[..., None] | None = None
    health: Callable[..., Any] | None = None


@attrs.frozen
class ModuleDefinition:
    code: str
    name: str
    classification: Classification
    description: str = ""
    requires: tuple[str, ...] = ()
    config: type | None = None
    permissions: tuple[str, ...] = ()
    # The subset of permissions a vendor's own roles may hold (the rest are admin-side).
    vendor_permissions: tuple[str, ...] = ()
    menus: tuple[MenuItem, ...] = ()
    tasks: tuple[TaskSpec, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    # Integration events (contracts) this module consumes: event class -> handler(event, ctx).
    subscriptions: Mapping[type, Callable[..., Any]] = attrs.field(factory=dict)
    # Domain events of this module -> handlers(event, ctx), run after commit, each in its own UoW.
    event_handlers: Mapping[type, tuple[Callable[..., Any], ...]] = attrs.field(factory=dict)
    hooks: ModuleHooks = ModuleHooks()

    @property
    def env_prefix(self) -> str:
        return f"{self.code.upper()}_"

    def task(self, name: str) -> TaskSpec:
        for spec in self.tasks:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.code}.{name}")


class ModuleDefinitionError(Exception):
    """One or more module definitions break a rule; the message names module and rule."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid module definitions:\n  - " + "\n  - ".join(problems))


VALID_QUEUES = frozenset(q.value for q in Queue)
VALID_MENU_AREAS = frozenset({"admin", "vendor"})


def _problems(definitions: list[ModuleDefinition]) -> Iterator[str]:
    codes = [d.code for d in definitions]
    by_code = {d.code: d for d in definitions}
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        yield f"module '{code}': code is declared more than once"
    for d in definitions:
        where = f"module '{d.code}'"
        if not d.code.isidentifier() or d.code != d.code.lower():
            yield f"{where}: code must be a lower-case identifier"
        if not isinstance(d.classification, Classification):
            yield f"{where}: classification must be one of core, optional, internal"
        for req in d.requires:
            if req == d.code:
                yield f"{where}: requires itself"
            elif req not in by_code:
                yield f"{where}: requires unknown module '{req}'"
            elif d.classification is CORE and by_code[req].classification is not CORE:
                yield (
                    f"{where}: a core module cannot require the "
                    f"{by_code[req].classification} module '{req}'"
                )
        for perm in d.permissions:
            if not perm.startswith(f"{d.code}."):
                yield f"{where}: permission '{perm}' must start with '{d.code}.'"
        for perm in d.vendor_permissions:
            if perm not in d.permissions:
                yield f"{where}: vendor permission '{perm}' is not among its permissions"
        task_names = [t.name for t in d.tasks]
        for name in sorted({n for n in task_names if task_names.count(n) > 1}):
            yield f"{where}: task '{name}' is declared more than once"
        for t in d.tasks:
            if t.queue not in VALID_QUEUES:
                yield (
                    f"{where}: task '{t.name}' has queue '{t.queue}', "
                    f"expected one of {', '.join(sorted(VALID_QUEUES))}"
                )
            if t.max_retries < 0 or t.time_limit <= timedelta(0):
                yield f"{where}: task '{t.name}' needs a positive time limit and retries >= 0"
        for s in d.schedules:
            if s.task not in task_names:
                yield f"{where}: schedule names task '{s.task}', which is not a task of this module"
            if not croniter.is_valid(s.cron):
                yield f"{where}: schedule '{s.task}' has an invalid cron expression '{s.cron}'"
            try:
                zone(s.timezone)
            except Exception:  # noqa: BLE001 - the message below says what is wrong
                yield f"{where}: schedule '{s.task}' has an unknown time zone '{s.timezone}'"
        for m in d.menus:
            if m.area not in VALID_MENU_AREAS:
                yield f"{where}: menu item '{m.key}' has unknown area '{m.area}'"
            if m.permission and m.permission not in d.permissions:
                yield f"{where}: menu item '{m.key}' needs undeclared permission '{m.permission}'"
    cycle = _find_cycle(by_code)
    if cycle:
        yield f"module '{cycle[0]}': dependency cycle {' -> '.join(cycle)}"


def _find_cycle(by_code: Mapping[str, ModuleDefinition]) -> list[str] | None:
    state: dict[str, str] = {}

    def visit(code: str, path: list[str]) -> list[str] | None:
        state[code] = "visiting"
        for req in by_code[code].requires:
            if req not in by_code:
                continue
            if state.get(req) == "visiting":
                return path[path.index(req) :] + [req] if req in path else [code, req]
            if req not in state:
                found = visit(req, path + [req])
                if found:
                    return found
        state[code] = "done"
        return None

    for code in sorted(by_code):
        if code not in state:
            found = visit(code, [code])
            if found:
                return found
    return None


class ModuleRegistry:
    """The validated set of module definitions, in dependency order."""

    def __init__(self, definitions: Iterable[ModuleDefinition]) -> None:
        definitions = list(definitions)
        problems = list(_problems(definitions))
        if problems:
            raise ModuleDefinitionError(problems)
        self._by_code = {d.code: d for d in definitions}
        self._ordered = self._topological()
        # The core modules: on for every platform, whatever its switches say.
        self.always_on = frozenset(d.code for d in definitions if d.classification is CORE)

    def _topological(self) -> list[ModuleDefinition]:
        ordered: list[ModuleDefinition] = []
        seen: set[str] = set()

        def add(code: str) -> None:
            if code in seen:
                return
            seen.add(code)
            for req in sorted(self._by_code[code].requires):
                add(req)
            ordered.append(self._by_code[code])

        for code in sorted(self._by_code):
            add(code)
        return ordered

    def __iter__(self) -> Iterator[ModuleDefinition]:
        return iter(self._ordered)

    def __len__(self) -> int:
        return len(self._ordered)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> ModuleDefinition:
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"unknown module '{code}'") from None

    @property
    def codes(self) -> list[str]:
        return [d.code for d in self._ordered]

    def requirements(self, code: str) -> set[str]:
        """Every module ``code`` needs, directly or not."""
        out: set[str] = set()
        stack = list(self.get(code).requires)
        while stack:
            req = stack.pop()
            if req not in out:
                out.add(req)
                stack.extend(self.get(req).requires)
        return out

    @property
    def permissions(self) -> tuple[str, ...]:
        return tuple(p for d in self._ordered for p in d.permissions)

    @property
    def vendor_permissions(self) -> tuple[str, ...]:
        return tuple(p for d in self._ordered for p in d.vendor_permissions)

    def dependents(self, code: str) -> set[str]:
        """Every module that needs ``code``, directly or not."""
        return {d.code for d in self._ordered if code in self.requirements(d.code)}

    def module_of_table(self, table_name: str) -> str | None:
        """The module owning a table, by its ``<code>_`` prefix (the longest code wins)."""
        owners = [c for c in self._by_code if table_name.startswith(f"{c}_")]
        return max(owners, key=len) if owners else None


def discover(package: str = "application") -> ModuleRegistry:
    """Import ``<package>.<code>.module`` for every sub-package and validate the definitions."""
    root = importlib.import_module(package)
    definitions = []
    for info in sorted(pkgutil.iter_modules(root.__path__), key=lambda i: i.name):
        if not info.ispkg or info.name == "shared":
            continue
        module = importlib.import_module(f"{package}.{info.name}.module")
        definition = getattr(module, "MODULE", None)
        if not isinstance(definition, ModuleDefinition):
            raise ModuleDefinitionError(
                [f"module '{info.name}': {package}/{info.name}/module.py must define MODULE"]
            )
        if definition.code != info.name:
            raise ModuleDefinitionError(
                [f"module '{info.name}': MODULE.code is '{definition.code}', expected '{info.name}'"]
            )
        definitions.append(definition)
    return ModuleRegistry(definitions)
