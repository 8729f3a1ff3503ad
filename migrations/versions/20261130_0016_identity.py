"""Identity: sessions one can list and end, password resets, two-factor sign-in with recovery
codes, and each council's sign-in settings (OpenID Connect provider, two-factor for everyone).

Revision ID: 0016
Revises: 0014
Create Date: 2026-11-30 08:00:00.000000

Sessions gain an id, where they come from and how they started: existing sessions are ended
(everyone signs in again once) rather than given made-up details.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('totp_enabled_at', app.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))

    op.execute('DELETE FROM auth_sessions')
    with op.batch_alter_table('auth_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('id', sa.Uuid(), nullable=False))
        batch_op.add_column(sa.Column('method', sa.String(length=10), nullable=False))
        batch_op.add_column(sa.Column('user_agent', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('ip', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('must_enrol', sa.Boolean(), nullable=False))
        batch_op.add_column(sa.Column('sso_council_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('id_token', sa.Text(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_auth_sessions_id'), ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_auth_sessions_sso_council_id_councils'), 'councils', ['sso_council_id'], ['id'])

    op.create_table('recovery_codes',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('used_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recovery_codes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_recovery_codes_code_hash'))
    )
    op.create_index(op.f('ix_recovery_codes_user_id'), 'recovery_codes', ['user_id'], unique=False)

    op.create_table('password_resets',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_password_resets_user_id_users')),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_password_resets'))
    )
    op.create_index(op.f('ix_password_resets_user_id'), 'password_resets', ['user_id'], unique=False)

    op.create_table('council_sign_in',
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('issuer', sa.String(length=300), nullable=True),
    sa.Column('client_id', sa.String(length=300), nullable=True),
    sa.Column('client_secret', sa.Text(), nullable=True),
    sa.Column('email_domains', sa.JSON(), nullable=False),
    sa.Column('create_officers', sa.Boolean(), nullable=False),
    sa.Column('require_two_factor', sa.Boolean(), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_council_sign_in_council_id_councils')),
    sa.PrimaryKeyConstraint('council_id', name=op.f('pk_council_sign_in'))
    )

    op.create_table('sso_states',
    sa.Column('state_hash', sa.String(length=64), nullable=False),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('nonce', sa.String(length=100), nullable=False),
    sa.Column('code_verifier', sa.String(length=128), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_sso_states_council_id_councils')),
    sa.PrimaryKeyConstraint('state_hash', name=op.f('pk_sso_states'))
    )


def downgrade() -> None:
    op.drop_table('sso_states')
    op.drop_table('council_sign_in')
    op.drop_index(op.f('ix_password_resets_user_id'), table_name='password_resets')
    op.drop_table('password_resets')
    op.drop_index(op.f('ix_recovery_codes_user_id'), table_name='recovery_codes')
    op.drop_table('recovery_codes')
    op.execute('DELETE FROM auth_sessions')
    with op.batch_alter_table('auth_sessions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_auth_sessions_sso_council_id_councils'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_auth_sessions_id'), type_='unique')
        batch_op.drop_column('id_token')
        batch_op.drop_column('sso_council_id')
        batch_op.drop_column('must_enrol')
        batch_op.drop_column('ip')
        batch_op.drop_column('user_agent')
        batch_op.drop_column('method')
        batch_op.drop_column('id')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_enabled_at')
        batch_op.drop_column('totp_secret')
