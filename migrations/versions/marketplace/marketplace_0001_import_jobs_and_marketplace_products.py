"""import jobs and marketplace products

Revision ID: marketplace_0001
Revises: 
Create Date: 2026-11-22 17:39:11.640261
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'marketplace_0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ('marketplace',)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('marketplace_import_jobs',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('file_key', sa.String(length=100), nullable=True),
    sa.Column('file_size', sa.BigInteger(), nullable=True),
    sa.Column('into_catalog', sa.Boolean(), nullable=False),
    sa.Column('create_missing', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('cancel_requested', sa.Boolean(), nullable=False),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('created', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('duplicates', sa.Integer(), nullable=False),
    sa.Column('products_created', sa.Integer(), nullable=False),
    sa.Column('products_updated', sa.Integer(), nullable=False),
    sa.Column('products_refused', sa.Integer(), nullable=False),
    sa.Column('errors_stored', sa.Integer(), nullable=False),
    sa.Column('last_line', sa.Integer(), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('encoding', sa.String(length=20), nullable=True),
    sa.Column('delimiter', sa.String(length=5), nullable=True),
    sa.Column('unknown_columns', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_marketplace_import_jobs'))
    )
    with op.batch_alter_table('marketplace_import_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_marketplace_import_jobs_platform_id_created_at'), ['platform_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_marketplace_import_jobs_vendor_id_state_id'), ['vendor_id', 'state', 'id'], unique=False)

    op.create_table('marketplace_products',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('external_id', sa.String(length=100), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('link', sa.Text(), nullable=False),
    sa.Column('image_link', sa.Text(), nullable=False),
    sa.Column('additional_image_links', sa.JSON(), nullable=False),
    sa.Column('availability', sa.String(length=20), nullable=False),
    sa.Column('price_cents', sa.BigInteger(), nullable=False),
    sa.Column('sale_price_cents', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('brand', sa.Text(), nullable=False),
    sa.Column('gtin', sa.String(length=14), nullable=True),
    sa.Column('gtin_type', sa.String(length=10), nullable=True),
    sa.Column('mpn', sa.Text(), nullable=False),
    sa.Column('condition', sa.String(length=20), nullable=False),
    sa.Column('category', sa.Text(), nullable=False),
    sa.Column('product_type', sa.Text(), nullable=False),
    sa.Column('item_group_id', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=32), nullable=False),
    sa.Column('synced_hash', sa.String(length=32), nullable=True),
    sa.Column('product_id', sa.BigInteger(), nullable=True),
    sa.Column('import_job_id', sa.BigInteger(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_marketplace_products'))
    )
    with op.batch_alter_table('marketplace_products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_marketplace_products_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_marketplace_products_external_id_vendor_id_language'), ['external_id', 'vendor_id', 'language'], unique=True)

    op.create_table('marketplace_import_errors',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('job_id', sa.BigInteger(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('column', sa.String(length=100), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['marketplace_import_jobs.id'], name=op.f('fk_marketplace_import_errors_job_id_marketplace_import_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_marketplace_import_errors'))
    )
    with op.batch_alter_table('marketplace_import_errors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_marketplace_import_errors_job_id_line'), ['job_id', 'line'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('marketplace_import_errors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_marketplace_import_errors_job_id_line'))

    op.drop_table('marketplace_import_errors')
    with op.batch_alter_table('marketplace_products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_marketplace_products_external_id_vendor_id_language'))
        batch_op.drop_index(batch_op.f('ix_marketplace_products_product_id'))

    op.drop_table('marketplace_products')
    with op.batch_alter_table('marketplace_import_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_marketplace_import_jobs_vendor_id_state_id'))
        batch_op.drop_index(batch_op.f('ix_marketplace_import_jobs_platform_id_created_at'))

    op.drop_table('marketplace_import_jobs')
