from __future__ import annotations

from application.shared.modules import ModuleRegistry


def modules_graph(*, registry: ModuleRegistry) -> str:
    """The dependency graph as Mermaid text: an arrow from each module to what it requires."""
    lines = ["graph TD"]
    for d in registry:
        lines.append(f"    {d.code}[\"{d.name} ({d.classification.value})\"]")
    for d in registry:
        lines.extend(f"    {d.code} --> {req}" for req in d.requires)
    return "\n".join(lines)
