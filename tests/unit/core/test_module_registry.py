from __future__ import annotations

from datetime import timedelta

import pytest

from application.shared.modules import (
    CORE,
    INTERNAL,
    OPTIONAL,
    MenuItem,
    ModuleDefinition,
    ModuleDefinitionError,
    ModuleRegistry,
    Schedule,
    TaskSpec,
    discover,
)


def noop() -> None:
    return None


def mod(code: str, classification=OPTIONAL, **kwargs) -> ModuleDefinition:  # type: ignore[no-untyped-def]
    return ModuleDefinition(code=code, name=code.title(), classification=classification, **kwargs)


def problems_of(*definitions: ModuleDefinition) -> list[str]:
    with pytest.raises(ModuleDefinitionError) as info:
        ModuleRegistry(definitions)
    return info.value.problems


def test_valid_registry_orders_modules_by_dependency() -> None:
    registry = ModuleRegistry(
        [
            mod("orders", requires=("catalog",)),
            mod("catalog", CORE, requires=("core",)),
            mod("core", CORE),
        ]
    )
    assert registry.codes == ["core", "catalog", "orders"]
    assert registry.requirements("orders") == {"catalog", "core"}
    assert registry.dependents("core") == {"catalog", "orders"}
    assert registry.dependents("orders") == set()


def test_duplicate_codes_are_refused() -> None:
    assert problems_of(mod("billing"), mod("billing")) == [
        "module 'billing': code is declared more than once"
    ]


def test_unknown_dependency_is_named() -> None:
    assert problems_of(mod("orders", requires=("catalog",))) == [
        "module 'orders': requires unknown module 'catalog'"
    ]


def test_cycle_is_refused_with_its_path() -> None:
    problems = problems_of(mod("a", requires=("b",)), mod("b", requires=("c",)), mod("c", requires=("a",)))
    assert problems == ["module 'a': dependency cycle a -> b -> c -> a"]


def test_core_module_cannot_require_optional_or_internal_one() -> None:
    problems = problems_of(
        mod("core", CORE, requires=("billing", "dev_tools")), mod("billing"), mod("dev_tools", INTERNAL)
    )
    assert problems == [
        "module 'core': a core module cannot require the optional module 'billing'",
        "module 'core': a core module cannot require the internal module 'dev_tools'",
    ]


def test_task_queue_must_be_known() -> None:
    problems = problems_of(mod("billing", tasks=(TaskSpec("sync", noop, queue="fast"),)))
    assert problems == [
        "module 'billing': task 'sync' has queue 'fast', "
        "expected one of default, long_running, scheduled"
    ]


def test_task_needs_positive_time_limit() -> None:
    problems = problems_of(mod("billing", tasks=(TaskSpec("sync", noop, time_limit=timedelta(0)),)))
    assert problems == ["module 'billing': task 'sync' needs a positive time limit and retries >= 0"]


def test_schedule_must_name_a_task_of_its_module_and_parse() -> None:
    problems = problems_of(
        mod(
            "billing",
            tasks=(TaskSpec("reset", noop, queue="scheduled"),),
            schedules=(
                Schedule("other", cron="0 1 * * *"),
                Schedule("reset", cron="61 * * * *"),
                Schedule("reset", cron="0 1 * * *", timezone="Mars/Olympus"),
            ),
        )
    )
    assert problems == [
        "module 'billing': schedule names task 'other', which is not a task of this module",
        "module 'billing': schedule 'reset' has an invalid cron expression '61 * * * *'",
        "module 'billing': schedule 'reset' has an unknown time zone 'Mars/Olympus'",
    ]


def test_permissions_and_menus_are_checked() -> None:
    problems = problems_of(
        mod(
            "billing",
            permissions=("orders.view",),
            menus=(MenuItem(area="shop", key="x", label={"en": "X"}, path="/x", permission="billing.view"),),
        )
    )
    assert problems == [
        "module 'billing': permission 'orders.view' must start with 'billing.'",
        "module 'billing': menu item 'x' has unknown area 'shop'",
        "module 'billing': menu item 'x' needs undeclared permission 'billing.view'",
    ]


def test_all_problems_are_reported_at_once() -> None:
    error = ModuleDefinitionError(["module 'a': one", "module 'b': two"])
    assert str(error) == "invalid module definitions:\n  - module 'a': one\n  - module 'b': two"


def test_module_of_table_uses_longest_prefix() -> None:
    registry = ModuleRegistry([mod("dev"), mod("dev_tools")])
    assert registry.module_of_table("dev_tools_scans") == "dev_tools"
    assert registry.module_of_table("dev_things") == "dev"
    assert registry.module_of_table("alembic_version") is None


def test_the_real_modules_are_discovered_and_valid() -> None:
    registry = discover()
    assert "core" in registry
    assert registry.get("core").classification is CORE
    with pytest.raises(KeyError, match="unknown module 'nope'"):
        registry.get("nope")
