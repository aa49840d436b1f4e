"""``dramatiq tests.fakes.probe_worker``: a real worker process for the probe module, configured
from the environment like ``entrypoints.worker_app``."""

from __future__ import annotations

import dramatiq

from entrypoints.bootstrap import bootstrap
from tests.fakes.probe import probe_registry

container = bootstrap(env_file=None, registry=probe_registry())
container._services["probe"] = {"engine": container.engine}
broker = container.broker
dramatiq.set_broker(broker)
