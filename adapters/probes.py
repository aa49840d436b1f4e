"""Readiness probes of the services we run: the database and Redis."""

from __future__ import annotations

from sqlalchemy import Engine, text


def check_database(engine: Engine) -> str | None:
    """None when the database answers, else the reason."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means not ready; the reason is reported
        return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    return None


def check_redis(url: str) -> str | None:
    """None when Redis answers PING, else the reason."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except Exception as exc:  # noqa: BLE001 - any failure means not ready; the reason is reported
        return f"{type(exc).__name__}: {str(exc)[:200]}"
    finally:
        client.close()
    return None
