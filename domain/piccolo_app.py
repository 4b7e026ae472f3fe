"""The domain's Piccolo app: its tables and migrations."""

from __future__ import annotations

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="domain",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=table_finder(
        modules=[
            "domain.tables",
            "domain.mail_tables",  # notification channels (#8): mail outbox, webhook log
            "domain.calendar_tables",  # calendar feed tokens (#8)
            "domain.package_tables",  # response packages (#7)
            "domain.notification_tables",  # reminder sweep (#8): ledger, inbox, offsets, runs
        ],
        exclude_imported=True,
    ),
    migration_dependencies=[],
    commands=[],
)
