"""DOCKET_SMTP_* and DOCKET_WEBHOOK_* settings: parsed, validated, secrets hidden."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.settings import ConfigError, Settings, SmtpSecurity


def test_without_smtp_settings_mail_goes_to_the_outbox_and_no_webhook_is_sent(
    tmp_path: Path,
) -> None:
    settings = Settings.from_env({"DOCKET_DATA_DIR": str(tmp_path)})
    mail = settings.mail
    assert mail.host == ""
    assert (mail.port, mail.security, mail.timeout) == (587, SmtpSecurity.STARTTLS, 30)
    assert settings.webhooks.url == ""


def test_smtp_and_webhook_settings_are_read_and_secrets_hidden(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "DOCKET_DATA_DIR": str(tmp_path),
            "DOCKET_SMTP_HOST": "mail.example.com",
            "DOCKET_SMTP_PORT": "465",
            "DOCKET_SMTP_SECURITY": "SSL",
            "DOCKET_SMTP_USERNAME": "docket",
            "DOCKET_SMTP_PASSWORD": "smtp pass word ",
            "DOCKET_SMTP_FROM": "Docket <docket@example.com>",
            "DOCKET_SMTP_TIMEOUT": "10",
            "DOCKET_WEBHOOK_URL": "https://hooks.example.com/docket/",
            "DOCKET_WEBHOOK_SECRET": "whsec-0123456789",
        }
    )
    mail = settings.mail
    assert (mail.host, mail.port, mail.security) == ("mail.example.com", 465, SmtpSecurity.SSL)
    assert mail.password.value == "smtp pass word "  # kept verbatim
    assert mail.sender == "Docket <docket@example.com>"
    assert settings.webhooks.url == "https://hooks.example.com/docket"
    assert settings.webhooks.secret.value == "whsec-0123456789"
    assert "smtp pass word" not in repr(settings)
    assert "whsec-0123456789" not in repr(settings)


def test_invalid_channel_settings_are_all_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(
            {
                "DOCKET_DATA_DIR": str(tmp_path),
                "DOCKET_SMTP_PORT": "70000",
                "DOCKET_SMTP_SECURITY": "tls",
                "DOCKET_SMTP_FROM": "not an address\r\nBcc: x@y",
                "DOCKET_SMTP_TIMEOUT": "0",
                "DOCKET_WEBHOOK_URL": "ftp://hooks.example.com",
            }
        )
    text = str(caught.value)
    for name in ("SMTP_PORT", "SMTP_SECURITY", "SMTP_FROM", "SMTP_TIMEOUT", "WEBHOOK_URL"):
        assert f"DOCKET_{name}" in text, name


def test_a_webhook_url_needs_a_secret(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="DOCKET_WEBHOOK_SECRET"):
        Settings.from_env(
            {"DOCKET_DATA_DIR": str(tmp_path), "DOCKET_WEBHOOK_URL": "https://hooks.example.com"}
        )
