"""create tenancy tables

Revision ID: tenancy_0001
Revises: 
Create Date: 2026-11-22 16:00:03.585707
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'tenancy_0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ('tenancy',)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('tenancy_login_attempts',
    sa.Column('email_key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('email_key', name=op.f('pk_tenancy_login_attempts'))
    )
    op.create_table('tenancy_platforms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('hostnames', sa.JSON(), nullable=False),
    sa.Column('default_language', sa.String(length=2), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenancy_platforms')),
    sa.UniqueConstraint('code', name=op.f('uq_tenancy_platforms_code'))
    )
    op.create_table('tenancy_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('is_super_admin', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenancy_users')),
    sa.UniqueConstraint('email', name=op.f('uq_tenancy_users_email'))
    )
    op.create_table('tenancy_companies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('legal_name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.JSON(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('vat_id', sa.String(length=20), nullable=True),
    sa.Column('rcs_number', sa.String(length=40), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['tenancy_platforms.id'], name=op.f('fk_tenancy_companies_platform_id_tenancy_platforms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenancy_companies'))
    )
    with op.batch_alter_table('tenancy_companies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tenancy_companies_platform_id'), ['platform_id'], unique=False)

    op.create_table('tenancy_module_states',
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('module', sa.String(length=40), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['tenancy_platforms.id'], name=op.f('fk_tenancy_module_states_platform_id_tenancy_platforms')),
    sa.PrimaryKeyConstraint('platform_id', 'module', name=op.f('pk_tenancy_module_states'))
    )
    op.create_table('tenancy_refresh_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rotated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['tenancy_users.id'], name=op.f('fk_tenancy_refresh_tokens_user_id_tenancy_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenancy_refresh_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_tenancy_refresh_tokens_token_hash'))
    )
    with op.batch_alter_table('tenancy_refresh_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tenancy_refresh_tokens_family_id'), ['family_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tenancy_refresh_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('tenancy_reset_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['tenancy_users.id'], name=op.f('fk_tenancy_reset_tokens_user_id_tenancy_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenancy_reset_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_tenancy_reset_tokens_token_hash'))
    )
    with op.batch_alter_table('tenancy_reset_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tenancy_reset_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('tenancy_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('permissions', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['tenancy_platforms.id'], name=op.f('fk_tenancy_roles_platform_id_tenancy_platforms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenancy_roles')),
    sa.UniqueConstraint('platform_id', 'name', name=op.f('uq_tenancy_roles_platform_id_name'))
    )
    op.create_table('tenancy_vendors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('letzshop_slug', sa.String(length=120), nullable=True),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['tenancy_companies.id'], name=op.f('fk_tenancy_vendors_company_id_tenancy_companies')),
    sa.ForeignKeyConstraint(['platform_id'], ['tenancy_platforms.id'], name=op.f('fk_tenancy_vendors_platform_id_tenancy_platforms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenancy_vendors')),
    sa.UniqueConstraint('platform_id', 'code', name=op.f('uq_tenancy_vendors_platform_id_code'))
    )
    with op.batch_alter_table('tenancy_vendors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tenancy_vendors_company_id'), ['company_id'], unique=False)

    op.create_table('tenancy_memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['tenancy_platforms.id'], name=op.f('fk_tenancy_memberships_platform_id_tenancy_platforms')),
    sa.ForeignKeyConstraint(['user_id'], ['tenancy_users.id'], name=op.f('fk_tenancy_memberships_user_id_tenancy_users')),
    sa.ForeignKeyConstraint(['vendor_id'], ['tenancy_vendors.id'], name=op.f('fk_tenancy_memberships_vendor_id_tenancy_vendors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenancy_memberships'))
    )
    with op.batch_alter_table('tenancy_memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tenancy_memberships_platform_id'), ['platform_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tenancy_memberships_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tenancy_memberships_vendor_id'), ['vendor_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('tenancy_memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tenancy_memberships_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_tenancy_memberships_user_id'))
        batch_op.drop_index(batch_op.f('ix_tenancy_memberships_platform_id'))

    op.drop_table('tenancy_memberships')
    with op.batch_alter_table('tenancy_vendors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tenancy_vendors_company_id'))

    op.drop_table('tenancy_vendors')
    op.drop_table('tenancy_roles')
    with op.batch_alter_table('tenancy_reset_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tenancy_reset_tokens_user_id'))

    op.drop_table('tenancy_reset_tokens')
    with op.batch_alter_table('tenancy_refresh_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tenancy_refresh_tokens_user_id'))
        batch_op.drop_index(batch_op.f('ix_tenancy_refresh_tokens_family_id'))

    op.drop_table('tenancy_refresh_tokens')
    op.drop_table('tenancy_module_states')
    with op.batch_alter_table('tenancy_companies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tenancy_companies_platform_id'))

    op.drop_table('tenancy_companies')
    op.drop_table('tenancy_users')
    op.drop_table('tenancy_platforms')
    op.drop_table('tenancy_login_attempts')
