"""accounts: self sign-up, verified e-mail, approval, single-use mailed links, invitations

Revision ID: 0009_accounts
Revises: 0005_hardening
Create Date: 2026-11-29 12:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_accounts'
down_revision = '0005_hardening'
branch_labels = None
depends_on = None

# Accounts in these groups may read at once but comment only once an administrator approves them.
APPROVAL_GROUPS = ("law-enforcement", "juvenile-justice", "district")


def upgrade():
    # Plain ADD COLUMN, never a batch copy: copying users or groups on SQLite would break the
    # foreign keys that point at them.
    op.add_column('groups', sa.Column('is_open_to_sign_up', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('groups', sa.Column('needs_approval', sa.Boolean(), nullable=False, server_default=sa.false()))
    groups = sa.table('groups', sa.column('slug', sa.String), sa.column('needs_approval', sa.Boolean))
    op.execute(groups.update().where(groups.c.slug.in_(APPROVAL_GROUPS)).values(needs_approval=True))

    op.add_column('users', sa.Column('email_verified_at', sa.DateTime(), nullable=True))
    op.add_column('users', sa.Column('approval_status', sa.String(length=10), nullable=False, server_default='approved'))
    op.add_column('users', sa.Column('language', sa.String(length=5), nullable=False, server_default='en'))
    op.add_column('users', sa.Column('show_name', sa.Boolean(), nullable=False, server_default=sa.true()))
    op.add_column('users', sa.Column('organisation', sa.String(length=200), nullable=True))
    op.add_column('users', sa.Column('organisation_verified_at', sa.DateTime(), nullable=True))
    op.add_column('users', sa.Column('deleted_at', sa.DateTime(), nullable=True))
    # Accounts made before sign-up existed were made by administrators: their addresses count as verified.
    users = sa.table('users', sa.column('email_verified_at', sa.DateTime), sa.column('created_at', sa.DateTime))
    op.execute(users.update().values(email_verified_at=users.c.created_at))
    # Students show only their group to the public unless they choose otherwise.
    op.execute(sa.text("UPDATE users SET show_name = :hidden WHERE group_id IN "
                       "(SELECT id FROM groups WHERE slug = 'students')").bindparams(hidden=False))

    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_sent_at', sa.DateTime(), nullable=False),
    sa.Column('send_count', sa.Integer(), nullable=False),
    sa.Column('accepted_user_id', sa.Integer(), nullable=True),
    sa.Column('settled_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['accepted_user_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], ),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_email'), ['email'], unique=False)

    op.create_table('account_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('invitation_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('account_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_links_invitation_id'), ['invitation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_account_links_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('account_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_links_user_id'))
        batch_op.drop_index(batch_op.f('ix_account_links_invitation_id'))
    op.drop_table('account_links')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_email'))
    op.drop_table('invitations')
    # Plain DROP COLUMN (SQLite 3.35+), for the reason given in upgrade().
    for column in ('deleted_at', 'organisation_verified_at', 'organisation', 'show_name', 'language',
                   'approval_status', 'email_verified_at'):
        op.drop_column('users', column)
    for column in ('needs_approval', 'is_open_to_sign_up'):
        op.drop_column('groups', column)
