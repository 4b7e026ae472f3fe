"""Piccolo's configuration: the engine comes from the same ``DOCKET_*`` settings as the app."""

from __future__ import annotations

from piccolo.conf.apps import AppRegistry

from api.settings import database_url_from_env
from domain.shared.database import APPS, engine_from_url

DB = engine_from_url(database_url_from_env())

APP_REGISTRY = AppRegistry(apps=list(APPS))
