"""Package versions record the digest of what their letter prints of the request, and the
printed request fields changed since their build (none for versions built before)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Text
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T16:21:17:204518"
VERSION = "1.38.0"
DESCRIPTION = "package versions record the printed request digest and stale fields"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="domain", description=DESCRIPTION)

    manager.add_column(
        table_class_name="PackageVersionTable",
        tablename="response_package_version",
        column_name="request_digest",
        db_column_name="request_digest",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 64,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="PackageVersionTable",
        tablename="response_package_version",
        column_name="stale_fields",
        db_column_name="stale_fields",
        column_class_name="Text",
        column_class=Text,
        params={
            "default": "[]",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
