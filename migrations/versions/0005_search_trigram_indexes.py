"""substring search indexes (PostgreSQL: pg_trgm GIN on recommendation text)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 12:00:00

"""
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

COLUMNS = ("code", "text", "text_lo")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite scans; its LIKE is fast enough at the sizes measured in bench/
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        op.execute(
            f"CREATE INDEX IF NOT EXISTS ix_recommendation_{column}_trgm "
            f"ON recommendation USING gin ({column} gin_trgm_ops)"
        )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS ix_recommendation_{column}_trgm")
