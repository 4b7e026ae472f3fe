"""The audit log's Piccolo app: its append-only tables and their migrations."""

from __future__ import annotations

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="audit",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=table_finder(modules=["audit.tables"], exclude_imported=True),
    migration_dependencies=[],
    commands=[],
)
