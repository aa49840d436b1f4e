"""stripe events inbox

Revision ID: billing_0002
Revises: billing_0001
Create Date: 2026-11-22 16:39:27.912158
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'billing_0002'
down_revision: str | Sequence[str] | None = 'billing_0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('billing_stripe_events',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('type', sa.String(length=100), nullable=False),
    sa.Column('created', sa.DateTime(timezone=True), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_billing_stripe_events'))
    )
    with op.batch_alter_table('billing_stripe_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_billing_stripe_events_status'), ['status'], unique=False)

    with op.batch_alter_table('billing_subscriptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stripe_event_at', sa.DateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('billing_subscriptions', schema=None) as batch_op:
        batch_op.drop_column('stripe_event_at')

    with op.batch_alter_table('billing_stripe_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_billing_stripe_events_status'))

    op.drop_table('billing_stripe_events')
