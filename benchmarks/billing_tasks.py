"""reset_period_counters and check_trial_expirations over 100,000 subscriptions.

    .venv/bin/python -m benchmarks.billing_tasks [--subscriptions 100000] [--database-url URL]

Two scenarios per task: a typical day (about 1/30 of periods end; 20 % of vendors on a trial
spread over 30 days) and everything due at once (after an outage). Target: each under 5 s.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import time
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from adapters.billing.orm import subscriptions as subs
from adapters.tenancy.orm import module_states, platforms
from application.billing import tasks
from application.shared.clock import FrozenClock
from application.shared.modules import discover
from benchmarks.common import container, peak_rss_mb, scratch_database

NOW = datetime(2026, 11, 22, 0, 5, tzinfo=UTC)
PLATFORMS = 10


def populate(c, n: int, everything_due: bool) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(42)
    with c.engine.begin() as conn:
        conn.execute(insert(platforms), [
            {"id": p, "code": f"p{p}", "name": f"P{p}", "hostnames": [], "default_language": "en",
             "languages": ["en"], "status": "active", "created_at": NOW} for p in range(1, PLATFORMS + 1)])
        conn.execute(insert(module_states), [
            {"platform_id": p, "module": "billing", "enabled": True, "changed_at": NOW, "changed_by": "bench"}
            for p in range(1, PLATFORMS + 1)])
        rows = []
        for vendor in range(1, n + 1):
            trial = rng.random() < 0.2
            offset = timedelta(days=-1) if everything_due else timedelta(days=rng.uniform(-1, 29))
            rows.append({
                "vendor_id": vendor, "platform_id": 1 + vendor % PLATFORMS, "tier_code": "essential",
                "state": "trial" if trial else "active", "period_start": NOW + offset - timedelta(days=30),
                "period_end": NOW + offset, "trial_end": (NOW + offset) if trial else None,
                "cancel_at_period_end": False, "trial_ending_notified": False,
                "created_at": NOW - timedelta(days=60), "updated_at": NOW - timedelta(days=1),
            })
            if len(rows) == 10_000:
                conn.execute(insert(subs), rows)
                rows = []
        if rows:
            conn.execute(insert(subs), rows)


def timed(c, task) -> tuple[float, dict]:  # type: ignore[no-untyped-def, type-arg]
    started = time.perf_counter()
    result = task(c.task_context("billing", uuid.uuid4()))
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscriptions", type=int, default=100_000)
    parser.add_argument("--database-url", default=os.environ.get("WIZAMART_TEST_DATABASE_URL"))
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    for everything_due in (False, True):
        with scratch_database(args.database_url) as url:
            c = container(url, registry=discover(), clock=FrozenClock(NOW))
            populate(c, args.subscriptions, everything_due)
            reset_s, reset = timed(c, tasks.reset_period_counters)
            trials_s, trials = timed(c, tasks.check_trial_expirations)
            again_s, _ = timed(c, tasks.reset_period_counters)
            c.close()
        scenario = "everything due" if everything_due else "typical day"
        print(f"{args.subscriptions:,} subscriptions on {url.split(':', 1)[0]}, {scenario}:")
        print(f"  reset_period_counters:   {reset_s:6.2f} s  {reset}")
        print(f"  check_trial_expirations: {trials_s:6.2f} s  {trials}")
        print(f"  reset again (no-op):     {again_s:6.2f} s")
    print(f"peak RSS: {peak_rss_mb():.1f} MB")


if __name__ == "__main__":
    main()
