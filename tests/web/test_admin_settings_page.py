"""The read-only settings page: every DOCKET_* variable with the value in effect, and never a
secret's value (nor a password inside a URL)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from api.settings import (
    MailSettings,
    PackageSettings,
    Secret,
    Settings,
    WebhookSettings,
)
from api.web.admin_settings import settings_rows, without_password
from domain.shared.model import Role
from tests.conftest import SECRET
from tests.web.helpers import signed_in

pytestmark = pytest.mark.usefixtures("db")
SMTP_PASSWORD = "smtp-pass-7d1e0c4b9a"
WEBHOOK_SECRET = "hook-secret-5f2a8e3c61"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The test settings, with every kind of secret set, and one value changed from default."""
    return dataclasses.replace(
        settings,
        mail=MailSettings(username="docket", password=Secret(SMTP_PASSWORD)),
        webhooks=WebhookSettings(secret=Secret(WEBHOOK_SECRET)),
        packages=PackageSettings(approval_page=True, organisation="Acme <Legal> & Co"),
    )


async def test_the_page_lists_every_variable_with_its_value_and_no_secret(client) -> None:
    await signed_in(client, Role.ADMIN)
    page = await client.get("/admin/settings")
    assert page.status_code == 200
    for variable in Settings.variable_names():
        assert f"<code>{variable}</code>" in page.text, variable
    for secret in (SECRET, SMTP_PASSWORD, WEBHOOK_SECRET):
        assert secret not in page.text
    assert page.text.count("<em>set</em>") == 3  # the secret key, SMTP password, webhook secret
    assert "Acme &lt;Legal&gt; &amp; Co" in page.text
    assert '<a href="/admin/settings" aria-current="page">Settings</a>' in page.text


def test_rows_say_which_values_are_defaults_and_show_secrets_only_as_set(tmp_path: Path) -> None:
    rows = {
        row.variable: row
        for _, area in settings_rows(
            Settings(
                storage=dataclasses.replace(Settings().storage, data_dir=tmp_path),
                mail=MailSettings(password=Secret(SMTP_PASSWORD)),
            )
        )
        for row in area
    }
    assert (rows["DOCKET_SMTP_PASSWORD"].value, rows["DOCKET_SMTP_PASSWORD"].secret) == (
        "set",
        True,
    )
    assert rows["DOCKET_WEBHOOK_SECRET"].value == "not set"
    assert rows["DOCKET_DATA_DIR"].value == str(tmp_path)
    assert not rows["DOCKET_DATA_DIR"].is_default
    assert rows["DOCKET_SMTP_PORT"].value == "587"
    assert rows["DOCKET_SMTP_PORT"].is_default
    assert rows["DOCKET_PACKAGE_APPROVAL_PAGE"].value == "no"
    assert rows["DOCKET_TRUSTED_PROXIES"].value == ""


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://docket:hunter2@db:5432/docket", "postgresql://docket:***@db:5432/docket"),
        (
            "postgresql://docket@db/docket?password=hunter2",
            "postgresql://docket@db/docket?password=%2A%2A%2A",
        ),
        ("postgresql://:hunter2@db/docket", "postgresql://:***@db/docket"),
        ("sqlite:///var/docket.sqlite3", "sqlite:///var/docket.sqlite3"),
        ("https://hooks.example/in", "https://hooks.example/in"),
    ],
)
def test_a_password_in_a_url_is_hidden(url: str, expected: str) -> None:
    assert without_password(url) == expected
    assert "hunter2" not in without_password(url)


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.LEGAL, Role.AUDITOR], ids=str)
async def test_only_admins_see_the_settings(client, role: Role) -> None:
    await signed_in(client, role)
    assert (await client.get("/admin/settings")).status_code == 403
