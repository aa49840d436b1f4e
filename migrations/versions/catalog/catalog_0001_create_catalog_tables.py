"""create catalog tables

Revision ID: catalog_0001
Revises: 
Create Date: 2026-11-22 17:34:16.342682
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'catalog_0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ('catalog',)
depends_on: str | Sequence[str] | None = 'tenancy_0001'  # products reference tenancy_vendors


def upgrade() -> None:
    op.create_table('catalog_products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=100), nullable=False),
    sa.Column('gtin', sa.String(length=14), nullable=True),
    sa.Column('gtin_type', sa.String(length=6), nullable=True),
    sa.Column('titles', sa.JSON(), nullable=False),
    sa.Column('descriptions', sa.JSON(), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.Column('sale_price_cents', sa.Integer(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('vat_class', sa.String(length=20), nullable=False),
    sa.Column('availability', sa.String(length=20), nullable=False),
    sa.Column('brand', sa.String(length=200), nullable=False),
    sa.Column('image_links', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('source_hashes', sa.JSON(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['vendor_id'], ['tenancy_vendors.id'], name=op.f('fk_catalog_products_vendor_id_tenancy_vendors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_products')),
    sa.UniqueConstraint('vendor_id', 'sku', name=op.f('uq_catalog_products_vendor_id_sku'))
    )
    with op.batch_alter_table('catalog_products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalog_products_vendor_id_gtin'), ['vendor_id', 'gtin'], unique=False)
        batch_op.create_index(batch_op.f('ix_catalog_products_vendor_id_status'), ['vendor_id', 'status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('catalog_products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalog_products_vendor_id_status'))
        batch_op.drop_index(batch_op.f('ix_catalog_products_vendor_id_gtin'))

    op.drop_table('catalog_products')
