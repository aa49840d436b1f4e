"""invoices and checkout sessions

Revision ID: billing_0003
Revises: billing_0002
Create Date: 2026-11-22 17:23:52.914414
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'billing_0003'
down_revision: str | Sequence[str] | None = 'billing_0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('billing_checkout_sessions',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('tier_code', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_billing_checkout_sessions'))
    )
    with op.batch_alter_table('billing_checkout_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_billing_checkout_sessions_status_created_at'), ['status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_billing_checkout_sessions_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('billing_invoices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('stripe_invoice_id', sa.String(length=100), nullable=False),
    sa.Column('number', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('net_cents', sa.Integer(), nullable=False),
    sa.Column('vat_rate', sa.String(length=10), nullable=False),
    sa.Column('vat_cents', sa.Integer(), nullable=False),
    sa.Column('gross_cents', sa.Integer(), nullable=False),
    sa.Column('vat_note', sa.String(length=100), nullable=False),
    sa.Column('pdf_url', sa.Text(), nullable=True),
    sa.Column('period_start', sa.DateTime(timezone=True), nullable=True),
    sa.Column('period_end', sa.DateTime(timezone=True), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('stripe_event_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_billing_invoices')),
    sa.UniqueConstraint('stripe_invoice_id', name=op.f('uq_billing_invoices_stripe_invoice_id'))
    )
    with op.batch_alter_table('billing_invoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_billing_invoices_vendor_id_issued_at'), ['vendor_id', 'issued_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('billing_invoices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_billing_invoices_vendor_id_issued_at'))

    op.drop_table('billing_invoices')
    with op.batch_alter_table('billing_checkout_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_billing_checkout_sessions_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_billing_checkout_sessions_status_created_at'))

    op.drop_table('billing_checkout_sessions')
