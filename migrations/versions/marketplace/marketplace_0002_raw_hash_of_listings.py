"""raw hash of listings: the hash of each record as written, so an unchanged record is not parsed again;
the product_id index goes (nothing reads listings by product, and every import row paid for it)

Revision ID: marketplace_0002
Revises: marketplace_0001
Create Date: 2026-11-22 19:21:54.801358
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'marketplace_0002'
down_revision: str | Sequence[str] | None = 'marketplace_0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('marketplace_products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('raw_hash', sa.String(length=32), nullable=True))
        batch_op.drop_index('ix_marketplace_products_product_id')


def downgrade() -> None:
    with op.batch_alter_table('marketplace_products', schema=None) as batch_op:
        batch_op.create_index('ix_marketplace_products_product_id', ['product_id'], unique=False)
        batch_op.drop_column('raw_hash')
