"""The migrations and the Piccolo tables describe one schema: nothing is left for --auto to add."""

from __future__ import annotations

import importlib

import pytest
from piccolo.apps.migrations.commands.new import AutoMigrationManager
from piccolo.conf.apps import AppConfig

from domain.shared.database import APPS


@pytest.mark.parametrize("app", APPS)
async def test_the_tables_need_no_migration_that_is_not_written(app: str) -> None:
    config: AppConfig = importlib.import_module(app).APP_CONFIG
    pending = await AutoMigrationManager(auto_input="y").get_alter_statements(app_config=config)
    assert [s for group in pending for s in group.statements] == []


async def test_a_table_change_without_its_migration_is_noticed() -> None:
    config: AppConfig = importlib.import_module("audit.piccolo_app").APP_CONFIG
    table = config.table_classes[0]
    column = table._meta.columns[-1]
    column._meta.params["index"] = not column._meta.index
    column._meta.index = not column._meta.index
    try:
        pending = await AutoMigrationManager(auto_input="y").get_alter_statements(app_config=config)
        assert any(group.statements for group in pending)
    finally:
        column._meta.params["index"] = not column._meta.index
        column._meta.index = not column._meta.index
