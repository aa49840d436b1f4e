"""In-process dispatch of domain events after commit.

Domain events stay inside their module: the events a module's unit of work collected go to that
module's handlers only. Each handler runs in its own unit of work (it opens one from the context);
a failing handler is logged with context and never undoes the committed change or stops the
other handlers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from application.shared.context import ModuleContext
from application.shared.modules import ModuleRegistry
from domain.shared.events import DomainEvent

log = logging.getLogger("wizamart.events")


class DomainEventBus:
    def __init__(
        self, registry: ModuleRegistry, context: Callable[[str], ModuleContext]
    ) -> None:
        self._registry = registry
        self._context = context

    def dispatch(self, module: str, events: Sequence[DomainEvent]) -> None:
        handlers = self._registry.get(module).event_handlers
        for event in events:
            for handler in handlers.get(type(event), ()):
                try:
                    handler(event, self._context(module))
                except Exception:
                    log.exception(
                        "domain event handler failed",
                        extra={
                            "module_code": module,
                            "handler": getattr(handler, "__qualname__", repr(handler)),
                            "event_type": type(event).__name__,
                            "event_id": str(event.event_id),
                        },
                    )
