"""Loaded by ``dramatiq entrypoints.worker_app`` in each worker process: bootstraps the container
from the environment and installs its Redis broker with every actor declared."""

from __future__ import annotations

import dramatiq

from entrypoints.bootstrap import bootstrap, tune_garbage_collector

tune_garbage_collector()
container = bootstrap()
if not container.settings.redis_url:
    raise SystemExit("`wizamart worker` needs WIZAMART_REDIS_URL (embedded mode runs its own worker)")
broker = container.broker
dramatiq.set_broker(broker)
