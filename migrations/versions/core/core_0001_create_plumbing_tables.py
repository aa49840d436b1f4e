"""create plumbing tables

Revision ID: core_0001
Revises: 
Create Date: 2026-11-22 15:37:25.505203
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'core_0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ('core',)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('core_audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=120), nullable=False),
    sa.Column('target_type', sa.String(length=60), nullable=True),
    sa.Column('target_id', sa.String(length=120), nullable=True),
    sa.Column('platform_id', sa.Integer(), nullable=True),
    sa.Column('vendor_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_audit_log'))
    )
    with op.batch_alter_table('core_audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_audit_log_occurred_at'), ['occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_audit_log_platform_id'), ['platform_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_audit_log_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('core_fired_slots',
    sa.Column('schedule', sa.String(length=120), nullable=False),
    sa.Column('slot_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('fired_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('task_run_id', sa.Uuid(), nullable=True),
    sa.PrimaryKeyConstraint('schedule', 'slot_at', name=op.f('pk_core_fired_slots'))
    )
    with op.batch_alter_table('core_fired_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_fired_slots_fired_at'), ['fired_at'], unique=False)

    op.create_table('core_inbox',
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('subscriber', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('event_id', 'subscriber', name=op.f('pk_core_inbox'))
    )
    op.create_table('core_leases',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('holder', sa.String(length=200), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_core_leases'))
    )
    op.create_table('core_outbox',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('event_type', sa.String(length=120), nullable=False),
    sa.Column('event_version', sa.Integer(), nullable=False),
    sa.Column('aggregate_id', sa.String(length=120), nullable=True),
    sa.Column('platform_id', sa.Integer(), nullable=True),
    sa.Column('vendor_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_outbox')),
    sa.UniqueConstraint('event_id', name=op.f('uq_core_outbox_event_id'))
    )
    with op.batch_alter_table('core_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_outbox_status_id'), ['status', 'id'], unique=False)

    op.create_table('core_schedule_state',
    sa.Column('schedule', sa.String(length=120), nullable=False),
    sa.Column('last_slot_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paused', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('schedule', name=op.f('pk_core_schedule_state'))
    )
    op.create_table('core_task_runs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('task', sa.String(length=120), nullable=False),
    sa.Column('module', sa.String(length=40), nullable=False),
    sa.Column('queue', sa.String(length=40), nullable=False),
    sa.Column('args', sa.JSON(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=True),
    sa.Column('platform_id', sa.Integer(), nullable=True),
    sa.Column('vendor_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('max_retries', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=True),
    sa.Column('enqueued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('progress_message', sa.String(length=500), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('cancel_requested', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_task_runs')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_core_task_runs_idempotency_key'))
    )
    with op.batch_alter_table('core_task_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_task_runs_platform_id'), ['platform_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_task_runs_state_enqueued_at'), ['state', 'enqueued_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_task_runs_task_enqueued_at'), ['task', 'enqueued_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_task_runs_vendor_id'), ['vendor_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('core_task_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_task_runs_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_core_task_runs_task_enqueued_at'))
        batch_op.drop_index(batch_op.f('ix_core_task_runs_state_enqueued_at'))
        batch_op.drop_index(batch_op.f('ix_core_task_runs_platform_id'))

    op.drop_table('core_task_runs')
    op.drop_table('core_schedule_state')
    with op.batch_alter_table('core_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_outbox_status_id'))

    op.drop_table('core_outbox')
    op.drop_table('core_leases')
    op.drop_table('core_inbox')
    with op.batch_alter_table('core_fired_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_fired_slots_fired_at'))

    op.drop_table('core_fired_slots')
    with op.batch_alter_table('core_audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_audit_log_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_core_audit_log_platform_id'))
        batch_op.drop_index(batch_op.f('ix_core_audit_log_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_core_audit_log_action'))

    op.drop_table('core_audit_log')
