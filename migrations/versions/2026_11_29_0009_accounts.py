"""accounts: self sign-up, verified e-mail, approval, single-use mailed links, invitations

Revision ID: 0009_accounts
Revises: 0007_mail_outbox
Create Date: 2026-11-29 12:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_accounts'
down_revision = '0007_mail_outbox'
branch_labels = None
depends_on = None

# Accounts in these groups may read at once but comment only once an administrator approves them.
APPROVAL_GROUPS = ("law-enforcement", "juvenile-justice", "district")


def upgrade():
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_open_to_sign_up', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('needs_approval', sa.Boolean(), nullable=False, server_default=sa.false()))
    groups = sa.table('groups', sa.column('slug', sa.String), sa.column('needs_approval', sa.Boolean))
    op.execute(groups.update().where(groups.c.slug.in_(APPROVAL_GROUPS)).values(needs_approval=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('email', existing_type=sa.String(length=254), nullable=True)
        batch_op.alter_column('password_hash', existing_type=sa.String(length=255), nullable=True)
        batch_op.add_column(sa.Column('email_verified_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('approval_status', sa.String(length=10), nullable=False,
                                      server_default='approved'))
        batch_op.add_column(sa.Column('language', sa.String(length=5), nullable=False, server_default='en'))
        batch_op.add_column(sa.Column('show_name', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('organisation', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('organisation_verified_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(), nullable=True))
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
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
        batch_op.drop_column('organisation_verified_at')
        batch_op.drop_column('organisation')
        batch_op.drop_column('show_name')
        batch_op.drop_column('language')
        batch_op.drop_column('approval_status')
        batch_op.drop_column('email_verified_at')
        batch_op.alter_column('password_hash', existing_type=sa.String(length=255), nullable=False)
        batch_op.alter_column('email', existing_type=sa.String(length=254), nullable=False)
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_column('needs_approval')
        batch_op.drop_column('is_open_to_sign_up')
