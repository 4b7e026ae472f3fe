"""Settings come from DOCKET_* variables, report every problem at once, and hide secrets."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from api.settings import (
    ConfigError,
    LogLevel,
    PackageSettings,
    Secret,
    ServerSettings,
    Settings,
    SmtpSecurity,
    StorageSettings,
    WebhookSettings,
    database_url_from_env,
)
from api.settings_values import NOTIFICATION_LOCALES
from documents.i18n import SUPPORTED
from domain.shared.model import Role

Where = Callable[[Settings], object]

# variable: (a good value, where it lands, what it parses to, a bad value)
EVERY_VARIABLE: dict[str, tuple[str, Where, object, str]] = {
    "DOCKET_DATA_DIR": ("srv/docket", lambda s: s.storage.data_dir, Path("srv/docket"), "  "),
    "DOCKET_ATTACHMENT_MAX_BYTES": (
        "1024",
        lambda s: s.storage.attachment_max_bytes,
        1024,
        "-5",
    ),
    "DOCKET_DATABASE_URL": (
        "postgresql://docket@db/docket",
        lambda s: s.database.url,
        "postgresql://docket@db/docket",
        "mysql://x",
    ),
    "DOCKET_HOST": ("0.0.0.0", lambda s: s.server.host, "0.0.0.0", "  "),
    "DOCKET_PORT": ("9000", lambda s: s.server.port, 9000, "70000"),
    "DOCKET_BASE_URL": (
        "https://docket.example.com/",
        lambda s: s.server.base_url,
        "https://docket.example.com",
        "ftp://x",
    ),
    "DOCKET_PROBLEM_BASE_URI": (
        "https://errors.example.com/p/",
        lambda s: s.server.problem_base_uri,
        "https://errors.example.com/p",
        "docket",
    ),
    "DOCKET_LOG_LEVEL": ("debug", lambda s: s.server.log_level, LogLevel.DEBUG, "LOUD"),
    "DOCKET_TRUSTED_PROXIES": (
        "10.0.0.5, 172.18.0.0/16, ::1",
        lambda s: s.server.trusted_proxies,
        ("10.0.0.5", "172.18.0.0/16", "::1"),
        "*",
    ),
    "DOCKET_SECRET_KEY": ("k" * 40, lambda s: s.auth.secret_key, Secret("k" * 40), "short"),
    "DOCKET_ACCESS_TOKEN_TTL": ("600", lambda s: s.auth.access_token_ttl, 600, "-1"),
    "DOCKET_PASSWORD_MIN_LENGTH": ("16", lambda s: s.auth.password_min_length, 16, "0"),
    "DOCKET_LOGIN_MAX_FAILURES": ("10", lambda s: s.auth.login_max_failures, 10, "many"),
    "DOCKET_LOGIN_LOCKOUT_SECONDS": ("900", lambda s: s.auth.login_lockout_seconds, 900, "1.5"),
    "DOCKET_PASSWORD_HASH_CONCURRENCY": (
        "4",
        lambda s: s.auth.password_hash_concurrency,
        4,
        "0",
    ),
    "DOCKET_SESSION_HOURS": ("8", lambda s: s.web.session_hours, 8, "0"),
    "DOCKET_TIME_ZONE": ("Europe/Berlin", lambda s: s.web.time_zone, "Europe/Berlin", "Mars/Base"),
    "DOCKET_AUDIT_ORIGIN": (
        "docket.example.com/audit",
        lambda s: s.audit.origin,
        "docket.example.com/audit",
        "my log",
    ),
    "DOCKET_AUDIT_KEY_FILE": ("/keys/audit", lambda s: s.audit.key_file, Path("/keys/audit"), " "),
    "DOCKET_CHECKPOINT_INTERVAL": ("30", lambda s: s.audit.checkpoint_interval, 30, "0"),
    "DOCKET_SIGNING_CERT": (
        "/keys/cert.pem",
        lambda s: s.packages.signing_cert,
        Path("/keys/cert.pem"),
        "",
    ),
    "DOCKET_SIGNING_KEY": (
        "/keys/key.pem",
        lambda s: s.packages.signing_key,
        Path("/keys/key.pem"),
        "",
    ),
    "DOCKET_ORGANISATION": ("Acme Ltd", lambda s: s.packages.organisation, "Acme Ltd", " "),
    "DOCKET_PACKAGE_APPROVAL_PAGE": ("true", lambda s: s.packages.approval_page, True, "maybe"),
    "DOCKET_HOLD_REMINDER_DAYS": ("2", lambda s: s.holds.reminder_days, 2, "0"),
    "DOCKET_HOLD_ESCALATE_DAYS": ("5", lambda s: s.holds.escalate_days, 5, "x"),
    "DOCKET_HOLD_REAFFIRM_DAYS": ("60", lambda s: s.holds.reaffirm_days, 60, "-3"),
    "DOCKET_ACK_LINK_DAYS": ("14", lambda s: s.holds.ack_link_days, 14, "0"),
    "DOCKET_EMAIL_LOCAL_PART_CASE_INSENSITIVE": (
        "False",
        lambda s: s.holds.email_local_part_case_insensitive,
        False,
        "maybe",
    ),
    "DOCKET_HOLD_CASE_SENSITIVE_SYSTEMS": (
        "github, wiki",
        lambda s: s.holds.case_sensitive_systems,
        ("github", "wiki"),
        "git hub",
    ),
    "DOCKET_RULE_TARGETS": (
        "EU/dsa.art16-notice=24h, XX/other=5wd",
        lambda s: s.deadlines.targets,
        (("EU/dsa.art16-notice", 24, "hours"), ("XX/other", 5, "business_days")),
        "EU/dsa.art16-notice=soon",
    ),
    "DOCKET_SWEEP_INTERVAL": ("15", lambda s: s.reminders.sweep_interval, 15, "0"),
    "DOCKET_ESCALATE_AFTER_HOURS": ("48", lambda s: s.reminders.escalate_after_hours, 48, "soon"),
    "DOCKET_DIGEST_HOUR": ("0", lambda s: s.reminders.digest_hour, 0, "24"),
    "DOCKET_SPIKE_FACTOR": ("2.5", lambda s: s.reminders.spike_factor, 2.5, "0.5"),
    "DOCKET_SPIKE_MIN_COUNT": ("10", lambda s: s.reminders.spike_min_count, 10, "0"),
    "DOCKET_DELIVERY_MAX_ATTEMPTS": ("3", lambda s: s.reminders.delivery_max_attempts, 3, "0"),
    "DOCKET_NOTIFICATION_LOCALE": ("pt-BR", lambda s: s.reminders.locale, "pt_BR", "xx"),
    "DOCKET_CALENDAR_MAX_PER_MINUTE": (
        "30",
        lambda s: s.reminders.calendar_max_per_minute,
        30,
        "0",
    ),
    "DOCKET_SMTP_HOST": ("mail.example.com", lambda s: s.mail.host, "mail.example.com", " "),
    "DOCKET_SMTP_PORT": ("465", lambda s: s.mail.port, 465, "0"),
    "DOCKET_SMTP_SECURITY": ("SSL", lambda s: s.mail.security, SmtpSecurity.SSL, "tls"),
    "DOCKET_SMTP_USERNAME": ("docket", lambda s: s.mail.username, "docket", " "),
    "DOCKET_SMTP_PASSWORD": ("pass word ", lambda s: s.mail.password, Secret("pass word "), ""),
    "DOCKET_SMTP_FROM": (
        "Docket <docket@example.com>",
        lambda s: s.mail.sender,
        "Docket <docket@example.com>",
        "not an address",
    ),
    "DOCKET_SMTP_TIMEOUT": ("10", lambda s: s.mail.timeout, 10, "601"),
    "DOCKET_WEBHOOK_URL": (
        "https://hooks.example.com/docket/",
        lambda s: s.webhooks.url,
        "https://hooks.example.com/docket",
        "ftp://hooks.example.com",
    ),
    "DOCKET_WEBHOOK_SECRET": (
        "whsec-0123456789",
        lambda s: s.webhooks.secret,
        Secret("whsec-0123456789"),
        "",
    ),
    "DOCKET_OIDC_ISSUER": (
        "https://id.example.com/realms/staff",
        lambda s: s.oidc.issuer,
        "https://id.example.com/realms/staff",
        "http://id.example.com",  # plain http only on loopback
    ),
    "DOCKET_OIDC_CLIENT_ID": ("docket", lambda s: s.oidc.client_id, "docket", " "),
    "DOCKET_OIDC_CLIENT_SECRET": (
        "oidc s3cret",
        lambda s: s.oidc.client_secret,
        Secret("oidc s3cret"),
        "",
    ),
    "DOCKET_OIDC_PROVIDER_NAME": ("Staff ID", lambda s: s.oidc.provider_name, "Staff ID", " "),
    "DOCKET_OIDC_ROLE_CLAIM": ("roles", lambda s: s.oidc.role_claim, "roles", " "),
    "DOCKET_OIDC_ROLE_MAP": (
        "docket-legal=legal, docket-specialists=specialist",
        lambda s: s.oidc.role_map,
        (("docket-legal", Role.LEGAL), ("docket-specialists", Role.SPECIALIST)),
        "docket-bots=system",  # a role for API tokens, not people
    ),
    "DOCKET_OIDC_SCOPES": (
        "email groups",
        lambda s: s.oidc.scopes,
        ("openid", "email", "groups"),
        'email "groups"',
    ),
}


def test_the_table_names_every_variable_docket_reads_each_once() -> None:
    names = Settings.variable_names()
    assert len(names) == len(set(names))
    assert all(name.startswith("DOCKET_") for name in names)
    assert set(names) == set(EVERY_VARIABLE)


@pytest.mark.parametrize("variable", sorted(EVERY_VARIABLE))
def test_every_variable_is_parsed_into_its_setting(variable: str) -> None:
    settings = Settings.from_env({name: good for name, (good, *_) in EVERY_VARIABLE.items()})
    _, where, parsed, _ = EVERY_VARIABLE[variable]
    assert where(settings) == parsed


@pytest.mark.parametrize("variable", sorted(EVERY_VARIABLE))
def test_a_bad_value_is_refused_and_its_variable_named(tmp_path: Path, variable: str) -> None:
    env = {"DOCKET_DATA_DIR": str(tmp_path), variable: EVERY_VARIABLE[variable][3]}
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(env)
    assert {p.split(":")[0] for p in caught.value.problems} == {variable}


def test_every_bad_value_is_reported_at_once() -> None:
    env = {name: bad for name, (*_, bad) in EVERY_VARIABLE.items()}
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(env)
    assert {p.split(":")[0] for p in caught.value.problems} == set(EVERY_VARIABLE)


def test_only_docket_variables_are_read(tmp_path: Path) -> None:
    settings = Settings.from_env({"DOCKET_DATA_DIR": str(tmp_path), "PORT": "1", "HOST": "x"})
    assert (settings.server.host, settings.server.port) == ("127.0.0.1", 8000)


def test_defaults_put_everything_under_the_data_dir(tmp_path: Path) -> None:
    settings = Settings.from_env({"DOCKET_DATA_DIR": str(tmp_path)})
    assert settings.database.url == f"sqlite:///{tmp_path / 'docket.sqlite3'}"
    assert settings.storage.blob_root == tmp_path / "blobs"
    assert (settings.server.host, settings.server.port) == ("127.0.0.1", 8000)
    assert settings.server.base_url == "http://127.0.0.1:8000"
    assert settings.server.problem_base_uri == "http://127.0.0.1:8000/problems"
    assert settings.server.log_level is LogLevel.INFO
    assert settings.audit.origin == ""  # the log stores its origin at its first start
    assert settings.proposed_audit_origin == "127.0.0.1:8000/docket-audit"
    assert settings.database.kind == "sqlite"


def test_settings_built_in_code_derive_the_same_defaults(tmp_path: Path) -> None:
    settings = Settings(
        storage=StorageSettings(data_dir=tmp_path),
        server=ServerSettings(base_url="https://docket.example.com"),
    )
    assert settings.database.url == f"sqlite:///{tmp_path / 'docket.sqlite3'}"
    assert settings.server.problem_base_uri == "https://docket.example.com/problems"
    assert settings.proposed_audit_origin == "docket.example.com/docket-audit"
    assert Settings(server=ServerSettings(host="0.0.0.0", port=9000)).server.base_url == (
        "http://0.0.0.0:9000"
    )


def test_settings_that_belong_together_are_refused_apart() -> None:
    with pytest.raises(ConfigError, match="DOCKET_WEBHOOK_SECRET"):
        WebhookSettings(url="https://hooks.example.com")
    with pytest.raises(ConfigError, match="set both or neither"):
        PackageSettings(signing_key=Path("key.pem"))
    with pytest.raises(ConfigError, match="DOCKET_OIDC_CLIENT_ID: must be set"):
        Settings.from_env({"DOCKET_OIDC_ISSUER": "https://id.example.com"})


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("docket-legal=lawyer", "'lawyer' in 'docket-legal=lawyer' is not a Docket role (admin, "),
        ("docket-legal", "'docket-legal' is not value=role"),
        ("=legal", "'=legal' is not value=role"),
    ],
)
def test_a_role_map_naming_no_docket_role_is_refused_in_one_line(value: str, says: str) -> None:
    env = {"DOCKET_OIDC_ISSUER": "https://id.example.com", "DOCKET_OIDC_CLIENT_ID": "docket"}
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({**env, "DOCKET_OIDC_ROLE_MAP": value}, make_secret_file=False)
    assert str(caught.value).startswith(f"invalid configuration: DOCKET_OIDC_ROLE_MAP: {says}")
    assert "\n" not in str(caught.value)


def test_single_sign_on_is_off_until_an_issuer_is_set() -> None:
    assert not Settings().oidc.enabled
    on = Settings.from_env(
        {"DOCKET_OIDC_ISSUER": "http://localhost:9000", "DOCKET_OIDC_CLIENT_ID": "docket"},
        make_secret_file=False,
    )
    assert on.oidc.enabled
    assert on.oidc.display_name == "localhost"
    assert on.oidc.role_claim == "groups"


def test_the_secret_key_is_generated_once_with_mode_0600(tmp_path: Path) -> None:
    first = Settings.from_env({"DOCKET_DATA_DIR": str(tmp_path / "new")})
    key_file = tmp_path / "new" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    second = Settings.from_env({"DOCKET_DATA_DIR": str(tmp_path / "new")})
    assert first.auth.secret_key == second.auth.secret_key
    assert len(first.auth.secret_key.value) >= 32


def test_secrets_never_show_in_reprs(tmp_path: Path) -> None:
    env = {
        "DOCKET_DATA_DIR": str(tmp_path),
        "DOCKET_SECRET_KEY": "s" * 40,
        "DOCKET_SMTP_PASSWORD": "smtp-password",
        "DOCKET_WEBHOOK_URL": "https://hooks.example.com",
        "DOCKET_WEBHOOK_SECRET": "whsec-secret",
        "DOCKET_OIDC_CLIENT_SECRET": "oidc-client-secret",
    }
    settings = Settings.from_env(env)
    for secret in ("s" * 40, "smtp-password", "whsec-secret", "oidc-client-secret"):
        assert secret not in repr(settings)
        assert secret not in str(settings)
    assert "s" * 40 not in str(settings.auth.secret_key)
    assert repr(Secret("hunter2hunter2")) == "Secret('***')"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DOCKET_PORT", "70000"),
        ("DOCKET_PORT", "0"),
        ("DOCKET_DATABASE_URL", "sqlite:///"),
        ("DOCKET_HOST", "  "),
    ],
)
def test_out_of_range_values_are_refused(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Settings.from_env({"DOCKET_DATA_DIR": str(tmp_path), name: value})


def test_an_unreadable_data_dir_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ConfigError, match="DOCKET_SECRET_KEY"):
        Settings.from_env({"DOCKET_DATA_DIR": str(blocker / "sub")})


def test_piccolo_conf_reads_only_the_database_url(tmp_path: Path) -> None:
    assert database_url_from_env({"DOCKET_DATA_DIR": str(tmp_path)}).endswith("docket.sqlite3")
    assert not (tmp_path / "secret_key").exists()
    assert database_url_from_env({"DOCKET_PORT": "eighty"}) == "sqlite:///var/docket.sqlite3"
    with pytest.raises(ConfigError):
        database_url_from_env({"DOCKET_DATABASE_URL": "oracle://x"})


def test_the_notification_languages_are_those_of_response_packages() -> None:
    assert NOTIFICATION_LOCALES == SUPPORTED


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ("de", "de"),
        ("de-DE", "de"),
        ("en_GB", "en"),
        ("PT-br", "pt_BR"),
        ("pt-PT", "pt_BR"),
        ("zh-Hans", "zh_CN"),
        ("zh", "zh_CN"),
        ("ar-EG", "ar"),
    ],
)
def test_a_regional_notification_language_reads_as_its_language(raw: str, parsed: str) -> None:
    settings = Settings.from_env({"DOCKET_NOTIFICATION_LOCALE": raw, "DOCKET_SECRET_KEY": "k" * 48})
    assert settings.reminders.locale == parsed


@pytest.mark.parametrize("raw", ["xx", "zh-TW", "zh-Hant", "klingon"])
def test_a_notification_language_without_texts_is_refused(raw: str) -> None:
    with pytest.raises(ConfigError, match="DOCKET_NOTIFICATION_LOCALE"):
        Settings.from_env({"DOCKET_NOTIFICATION_LOCALE": raw, "DOCKET_SECRET_KEY": "k" * 48})
