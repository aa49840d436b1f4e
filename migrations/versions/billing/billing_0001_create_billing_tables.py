"""create billing tables

Revision ID: billing_0001
Revises: 
Create Date: 2026-11-22 16:34:02.811908
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'billing_0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ('billing',)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('billing_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('tier_code', sa.String(length=40), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('period_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('period_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('trial_end', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_at_period_end', sa.Boolean(), nullable=False),
    sa.Column('stripe_customer_id', sa.String(length=100), nullable=True),
    sa.Column('stripe_subscription_id', sa.String(length=100), nullable=True),
    sa.Column('trial_ending_notified', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_billing_subscriptions')),
    sa.UniqueConstraint('stripe_subscription_id', name=op.f('uq_billing_subscriptions_stripe_subscription_id')),
    sa.UniqueConstraint('vendor_id', name=op.f('uq_billing_subscriptions_vendor_id'))
    )
    with op.batch_alter_table('billing_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_billing_subscriptions_platform_id'), ['platform_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_billing_subscriptions_state_period_end'), ['state', 'period_end'], unique=False)
        batch_op.create_index(batch_op.f('ix_billing_subscriptions_state_trial_end'), ['state', 'trial_end'], unique=False)
        batch_op.create_index(batch_op.f('ix_billing_subscriptions_tier_code'), ['tier_code'], unique=False)

    op.create_table('billing_tiers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('monthly_price_cents', sa.Integer(), nullable=False),
    sa.Column('annual_price_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('limits', sa.JSON(), nullable=False),
    sa.Column('features', sa.JSON(), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.Column('stripe_monthly_price_id', sa.String(length=100), nullable=True),
    sa.Column('stripe_annual_price_id', sa.String(length=100), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_billing_tiers')),
    sa.UniqueConstraint('code', name=op.f('uq_billing_tiers_code'))
    )
    op.create_table('billing_usage',
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('metric', sa.String(length=20), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('vendor_id', 'metric', 'window_start', name=op.f('pk_billing_usage'))
    )


    # Seeded tiers (prices in cents, EUR; None = unlimited). Admins change them afterwards.
    tiers = sa.table(
        "billing_tiers", sa.column("code"), sa.column("name"), sa.column("description"),
        sa.column("monthly_price_cents"), sa.column("annual_price_cents"), sa.column("currency"),
        sa.column("limits", sa.JSON), sa.column("features", sa.JSON), sa.column("public"),
        sa.column("retired"), sa.column("sort_order"),
    )
    op.bulk_insert(tiers, [
        {"code": code, "name": name, "description": description, "monthly_price_cents": monthly,
         "annual_price_cents": annual, "currency": "EUR", "limits": limits, "features": features,
         "public": True, "retired": False, "sort_order": order}
        for order, (code, name, description, monthly, annual, limits, features) in enumerate([
            ("essential", "Essential", "For a first shop on Letzshop.", 2900, 29000,
             {"orders": 100, "products": 200, "team_members": 2, "import_jobs": 5}, []),
            ("professional", "Professional", "Growing shops with a team.", 7900, 79000,
             {"orders": 1000, "products": 2000, "team_members": 5, "import_jobs": 20},
             ["marketplace", "orders", "inventory"]),
            ("business", "Business", "Large catalogues and several people.", 19900, 199000,
             {"orders": 10000, "products": 20000, "team_members": 15, "import_jobs": 100},
             ["marketplace", "orders", "inventory", "messaging", "analytics"]),
            ("enterprise", "Enterprise", "No limits; negotiated terms.", 49900, 499000,
             {"orders": None, "products": None, "team_members": None, "import_jobs": None},
             ["marketplace", "orders", "inventory", "messaging", "analytics", "payments"]),
        ])
    ])


def downgrade() -> None:
    op.drop_table('billing_usage')
    op.drop_table('billing_tiers')
    with op.batch_alter_table('billing_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_billing_subscriptions_tier_code'))
        batch_op.drop_index(batch_op.f('ix_billing_subscriptions_state_trial_end'))
        batch_op.drop_index(batch_op.f('ix_billing_subscriptions_state_period_end'))
        batch_op.drop_index(batch_op.f('ix_billing_subscriptions_platform_id'))

    op.drop_table('billing_subscriptions')
