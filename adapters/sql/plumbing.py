"""The platform plumbing tables. They belong to the ``core`` module (prefix ``core_``, created by
its migration history) but are defined here, beside the unit of work, because shared
infrastructure writes them: the unit of work fills the outbox, the task middleware records task
runs, the scheduler keeps its state. See docs/adr/0004-core-plumbing-tables.md."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    Uuid,
)

from adapters.sql.metadata import metadata
from adapters.sql.types import BigId, UtcDateTime

Timestamp = UtcDateTime()

task_runs = Table(
    "core_task_runs",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("task", String(120), nullable=False),  # "<module>.<task>"
    Column("module", String(40), nullable=False),
    Column("queue", String(40), nullable=False),
    Column("args", JSON, nullable=False, default=dict),
    Column("idempotency_key", String(200), nullable=True, unique=True),
    Column("platform_id", Integer, nullable=True, index=True),
    Column("vendor_id", Integer, nullable=True, index=True),
    Column("state", String(20), nullable=False),
    Column("attempt", Integer, nullable=False, default=0),
    Column("max_retries", Integer, nullable=False, default=0),
    Column("message_id", String(64), nullable=True),
    Column("enqueued_at", Timestamp, nullable=False),
    Column("started_at", Timestamp, nullable=True),
    Column("finished_at", Timestamp, nullable=True),
    Column("heartbeat_at", Timestamp, nullable=True),
    Column("progress", Integer, nullable=False, default=0),
    Column("progress_message", String(500), nullable=True),
    Column("result", JSON, nullable=True),
    Column("error", Text, nullable=True),
    Column("cancel_requested", Boolean, nullable=False, default=False),
    Index(None, "state", "enqueued_at"),
    Index(None, "task", "enqueued_at"),
)

outbox = Table(
    "core_outbox",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),  # commit order
    Column("event_id", Uuid, nullable=False, unique=True),
    Column("event_type", String(120), nullable=False),
    Column("event_version", Integer, nullable=False),
    Column("aggregate_id", String(120), nullable=True),
    Column("platform_id", Integer, nullable=True),
    Column("vendor_id", Integer, nullable=True),
    Column("payload", JSON, nullable=False),
    Column("occurred_at", Timestamp, nullable=False),
    Column("status", String(20), nullable=False, default="pending"),  # pending|published|parked
    Column("published_at", Timestamp, nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=True),
    Index(None, "status", "id"),
)

inbox = Table(
    "core_inbox",
    metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("subscriber", String(200), primary_key=True),  # "<module>:<handler>"
    Column("status", String(20), nullable=False),  # processed | parked
    Column("processed_at", Timestamp, nullable=False),
    Column("error", Text, nullable=True),
)

schedule_state = Table(
    "core_schedule_state",
    metadata,
    Column("schedule", String(120), primary_key=True),  # "<module>.<task>"
    Column("last_slot_at", Timestamp, nullable=True),
    Column("paused", Boolean, nullable=False, default=False),
    Column("updated_at", Timestamp, nullable=False),
)

fired_slots = Table(
    "core_fired_slots",
    metadata,
    Column("schedule", String(120), primary_key=True),
    Column("slot_at", Timestamp, primary_key=True),
    Column("fired_at", Timestamp, nullable=False, index=True),
    Column("task_run_id", Uuid, nullable=True),
)

leases = Table(
    "core_leases",
    metadata,
    Column("name", String(120), primary_key=True),
    Column("holder", String(200), nullable=False),
    Column("expires_at", Timestamp, nullable=False),
)

audit_log = Table(
    "core_audit_log",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("occurred_at", Timestamp, nullable=False, index=True),
    Column("actor", String(200), nullable=False),
    Column("action", String(120), nullable=False, index=True),
    Column("target_type", String(60), nullable=True),
    Column("target_id", String(120), nullable=True),
    Column("platform_id", Integer, nullable=True, index=True),
    Column("vendor_id", Integer, nullable=True, index=True),
    Column("details", JSON, nullable=False, default=dict),
    Column("request_id", String(64), nullable=True),
)
