"""Leader leases for the scheduler: Redis when configured, in-process in embedded mode (the
database lease lives in adapters.sql.leases)."""

from __future__ import annotations

from datetime import timedelta


class RedisLease:
    """A Redis lock with a TTL, renewed by its holder on every tick."""

    def __init__(self, url: str, name: str, ttl: timedelta, *, namespace: str = "wizamart") -> None:
        import redis

        self._client = redis.Redis.from_url(url)
        self._lock = self._client.lock(
            f"{namespace}:lease:{name}", timeout=ttl.total_seconds(), thread_local=False
        )

    def acquire(self) -> bool:
        if self._lock.owned():
            return bool(self._lock.reacquire())
        return bool(self._lock.acquire(blocking=False))

    def release(self) -> None:
        if self._lock.owned():
            self._lock.release()


class InProcessLease:
    """Embedded mode runs one process (enforced at start-up), so its scheduler always leads."""

    def acquire(self) -> bool:
        return True

    def release(self) -> None:
        return None
