"""Alembic environment: runs on the connection kpotui hands over (see kpotui.store.migrate)."""

from alembic import context

from kpotui.models import SQLModel

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
