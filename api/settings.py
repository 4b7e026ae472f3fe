"""Docket's one settings object, read from ``DOCKET_*`` environment variables once at start-up.

Settings are grouped by area (``settings.mail.host``, ``settings.holds.reminder_days``). Each field
is declared once: ``setting(variable, default, parser)`` and a docstring under it. ``from_env``
reads exactly the declared variables. Stdlib only, so that ``piccolo_conf.py`` and the CLI can
import it without Litestar.
"""

# ruff: noqa: RUF009 - setting() is a field specifier: it returns dataclasses.field(...)

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Final, get_type_hints
from urllib.parse import urlsplit

from api.settings_oidc import OidcSettings
from api.settings_values import PARSER as _PARSER
from api.settings_values import VARIABLE as _VARIABLE
from api.settings_values import (
    ConfigError,
    LogLevel,
    Secret,
    SmtpSecurity,
    parse_bool,
    parse_database_url,
    parse_factor,
    parse_hour,
    parse_http_url,
    parse_locale,
    parse_log_level,
    parse_mail_from,
    parse_names,
    parse_networks,
    parse_origin,
    parse_path,
    parse_port,
    parse_positive,
    parse_rule_targets,
    parse_secret,
    parse_secret_key,
    parse_smtp_security,
    parse_smtp_timeout,
    parse_str,
    parse_time_zone,
    secret_from_file,
    setting,
)

__all__ = [
    "ENV_PREFIX",
    "AuditSettings",
    "AuthSettings",
    "ConfigError",
    "DatabaseSettings",
    "DeadlineSettings",
    "HoldSettings",
    "LogLevel",
    "MailSettings",
    "OidcSettings",
    "PackageSettings",
    "ReminderSettings",
    "Secret",
    "ServerSettings",
    "Settings",
    "SmtpSecurity",
    "StorageSettings",
    "WebSettings",
    "WebhookSettings",
    "database_url_from_env",
]

ENV_PREFIX: Final = "DOCKET_"
DEFAULT_DATA_DIR: Final = Path("var")


@dataclass(frozen=True, slots=True, kw_only=True)
class StorageSettings:
    """Where Docket keeps its files, and how large an incoming one may be."""

    data_dir: Path = setting("DOCKET_DATA_DIR", DEFAULT_DATA_DIR, parse_path)
    """The SQLite file, the generated keys and the stored files live here."""
    attachment_max_bytes: int = setting("DOCKET_ATTACHMENT_MAX_BYTES", 50 * 2**20, parse_positive)
    """The largest incoming document accepted (default 50 MB)."""

    @property
    def blob_root(self) -> Path:
        """The content-addressed store of exhibits and generated PDFs."""
        return self.data_dir / "blobs"


@dataclass(frozen=True, slots=True, kw_only=True)
class DatabaseSettings:
    """The one database."""

    url: str = setting("DOCKET_DATABASE_URL", "", parse_database_url)
    """``sqlite:///path`` or ``postgresql://…``; unset, a SQLite file in the data dir."""

    @property
    def kind(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return "sqlite" if self.url.startswith("sqlite:") else "postgresql"


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerSettings:
    """Where the API listens, how it names itself, how much it logs."""

    host: str = setting("DOCKET_HOST", "127.0.0.1", parse_str)
    """The address the API listens on."""
    port: int = setting("DOCKET_PORT", 8000, parse_port)
    """The port the API listens on."""
    base_url: str = setting("DOCKET_BASE_URL", "", parse_http_url)
    """The public URL of this Docket (links in mail); unset, ``http://host:port``."""
    problem_base_uri: str = setting("DOCKET_PROBLEM_BASE_URI", "", parse_http_url)
    """The prefix of the ``type`` of every problem answer; unset, ``base_url/problems``."""
    log_level: LogLevel = setting("DOCKET_LOG_LEVEL", LogLevel.INFO, parse_log_level)
    """How much the API and the worker log."""
    trusted_proxies: tuple[str, ...] = setting("DOCKET_TRUSTED_PROXIES", (), parse_networks)
    """Reverse proxies whose X-Forwarded-For/-Proto are believed; unset, no one's."""

    def __post_init__(self) -> None:
        if not self.base_url:
            object.__setattr__(self, "base_url", f"http://{self.host}:{self.port}")
        if not self.problem_base_uri:
            object.__setattr__(self, "problem_base_uri", f"{self.base_url}/problems")


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthSettings:
    """Logins, access tokens and passwords."""

    secret_key: Secret = setting("DOCKET_SECRET_KEY", Secret(""), parse_secret_key)
    """Signs access tokens and acknowledgement links; unset, generated into data_dir/secret_key."""
    access_token_ttl: int = setting("DOCKET_ACCESS_TOKEN_TTL", 3600, parse_positive)
    """Seconds a login's access token stays valid."""
    password_min_length: int = setting("DOCKET_PASSWORD_MIN_LENGTH", 12, parse_positive)
    """The shortest password a user may set."""
    login_max_failures: int = setting("DOCKET_LOGIN_MAX_FAILURES", 5, parse_positive)
    """Wrong passwords per account or address before a lockout."""
    login_lockout_seconds: int = setting("DOCKET_LOGIN_LOCKOUT_SECONDS", 300, parse_positive)
    """How long a lockout lasts (and the window failures count in)."""
    password_hash_concurrency: int = setting("DOCKET_PASSWORD_HASH_CONCURRENCY", 2, parse_positive)
    """Password checks run at once, in worker threads (each takes 64 MiB); others wait."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WebSettings:
    """The web pages: how long a browser stays signed in, which zone times are shown in."""

    session_hours: int = setting("DOCKET_SESSION_HOURS", 12, parse_positive)
    """Hours a browser stays signed in before it must sign in again."""
    time_zone: str = setting("DOCKET_TIME_ZONE", "UTC", parse_time_zone)
    """The organisation's IANA zone: the pages show times in it unless a user picks another."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditSettings:
    """The signed audit log."""

    origin: str = setting("DOCKET_AUDIT_ORIGIN", "", parse_origin)
    """The log's name in its checkpoints, stored at the first start; unset, the stored one."""
    key_file: Path | None = setting("DOCKET_AUDIT_KEY_FILE", None, parse_path)
    """The Ed25519 signer key; unset, generated into data_dir/audit_key."""
    checkpoint_interval: int = setting("DOCKET_CHECKPOINT_INTERVAL", 60, parse_positive)
    """Seconds between checkpoint signings while the log grows."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PackageSettings:
    """Who signs approved response packages, and in whose name."""

    signing_cert: Path | None = setting("DOCKET_SIGNING_CERT", None, parse_path)
    """PEM certificate (then its chain) that signs approved packages."""
    signing_key: Path | None = setting("DOCKET_SIGNING_KEY", None, parse_path)
    """Its PEM private key; neither set: a demo CA in data_dir/signing."""
    organisation: str = setting("DOCKET_ORGANISATION", "Docket demo organisation", parse_str)
    """The sender named on response packages and their signatures."""
    approval_page: bool = setting("DOCKET_PACKAGE_APPROVAL_PAGE", False, parse_bool)
    """Whether packages end with the internal approval page (where the signature is shown);
    off, the signature is invisible and the approval is proven by it and the audit log."""

    def __post_init__(self) -> None:
        if (self.signing_cert is None) != (self.signing_key is None):
            raise ConfigError(["DOCKET_SIGNING_CERT and DOCKET_SIGNING_KEY: set both or neither"])


@dataclass(frozen=True, slots=True, kw_only=True)
class HoldSettings:
    """How often custodians hear about a legal hold; how the preservation check compares."""

    reminder_days: int = setting("DOCKET_HOLD_REMINDER_DAYS", 3, parse_positive)
    """Days between reminders to a custodian who has not acknowledged."""
    escalate_days: int = setting("DOCKET_HOLD_ESCALATE_DAYS", 7, parse_positive)
    """Days after a hold's notice before a custodian's manager hears."""
    reaffirm_days: int = setting("DOCKET_HOLD_REAFFIRM_DAYS", 90, parse_positive)
    """Days between re-affirmations of an active hold to custodians."""
    ack_link_days: int = setting("DOCKET_ACK_LINK_DAYS", 30, parse_positive)
    """Days an acknowledgement link in a notice or reminder stays valid."""
    email_local_part_case_insensitive: bool = setting(
        "DOCKET_EMAIL_LOCAL_PART_CASE_INSENSITIVE", True, parse_bool
    )
    """Whether the preservation check takes ``Jane.Roe@`` and ``jane.roe@`` as one mailbox."""
    case_sensitive_systems: tuple[str, ...] = setting(
        "DOCKET_HOLD_CASE_SENSITIVE_SYSTEMS", (), parse_names
    )
    """Systems whose identifiers differ by letter case (the check keeps case apart there)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReminderSettings:
    """The reminder sweep (when it runs, what it sends, how hard it tries) and the calendar feed."""

    sweep_interval: int = setting("DOCKET_SWEEP_INTERVAL", 60, parse_positive)
    """Seconds between reminder sweeps (in the API, or ``docket worker``)."""
    escalate_after_hours: int = setting("DOCKET_ESCALATE_AFTER_HOURS", 24, parse_positive)
    """Hours past a request's deadline before Legal is alerted."""
    digest_hour: int = setting("DOCKET_DIGEST_HOUR", 7, parse_hour)
    """The UTC hour of each user's daily digest (and the spike check)."""
    spike_factor: float = setting("DOCKET_SPIKE_FACTOR", 3.0, parse_factor)
    """A week's intake above this multiple of the 8-week average alerts."""
    spike_min_count: int = setting("DOCKET_SPIKE_MIN_COUNT", 5, parse_positive)
    """A week needs at least this many requests to count as a spike."""
    delivery_max_attempts: int = setting("DOCKET_DELIVERY_MAX_ATTEMPTS", 8, parse_positive)
    """Attempts of one notification before it is marked failed."""
    locale: str = setting("DOCKET_NOTIFICATION_LOCALE", "en", parse_locale)
    """The organisation's language of mail, inbox messages and webhook texts: each person's
    default until they choose their own on their account page, and always the webhooks'."""
    calendar_max_per_minute: int = setting("DOCKET_CALENDAR_MAX_PER_MINUTE", 12, parse_positive)
    """Fetches of one calendar feed URL a minute before it answers 429 (counted per process)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class MailSettings:
    """The SMTP server that mail is handed to."""

    host: str = setting("DOCKET_SMTP_HOST", "", parse_str)
    """The SMTP server; unset keeps mail in the outbox (GET /api/v1/outbox)."""
    port: int = setting("DOCKET_SMTP_PORT", 587, parse_port)
    """587 for STARTTLS (default), 465 for implicit TLS, 25 for plain."""
    security: SmtpSecurity = setting(
        "DOCKET_SMTP_SECURITY", SmtpSecurity.STARTTLS, parse_smtp_security
    )
    """How the connection is protected."""
    username: str = setting("DOCKET_SMTP_USERNAME", "", parse_str)
    """Log in with this name (and the password) when set."""
    password: Secret = setting("DOCKET_SMTP_PASSWORD", Secret(""), parse_secret)
    """The SMTP password (never printed)."""
    sender: str = setting("DOCKET_SMTP_FROM", "Docket <docket@localhost>", parse_mail_from)
    """The From address of every mail."""
    timeout: int = setting("DOCKET_SMTP_TIMEOUT", 30, parse_smtp_timeout)
    """Seconds to wait for the SMTP server before trying again later."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DeadlineSettings:
    """The organisation's own periods, where the law sets none."""

    targets: tuple[tuple[str, int, str], ...] = setting(
        "DOCKET_RULE_TARGETS", (), parse_rule_targets
    )
    """``EU/dsa.art16-notice=24h``: the target of a rule whose pack marks its period a target."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookSettings:
    """Where notifications are POSTed as signed JSON."""

    url: str = setting("DOCKET_WEBHOOK_URL", "", parse_http_url)
    """POST every notification here; unset sends none."""
    secret: Secret = setting("DOCKET_WEBHOOK_SECRET", Secret(""), parse_secret)
    """The HMAC-SHA256 key of ``X-Docket-Signature`` (needed with the URL)."""

    def __post_init__(self) -> None:
        if self.url and not self.secret.value:
            raise ConfigError(["DOCKET_WEBHOOK_SECRET: must be set with DOCKET_WEBHOOK_URL"])


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Everything Docket reads from its environment, by area."""

    storage: StorageSettings = field(default_factory=StorageSettings)
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    server: ServerSettings = field(default_factory=ServerSettings)
    auth: AuthSettings = field(default_factory=AuthSettings)
    web: WebSettings = field(default_factory=WebSettings)
    audit: AuditSettings = field(default_factory=AuditSettings)
    packages: PackageSettings = field(default_factory=PackageSettings)
    holds: HoldSettings = field(default_factory=HoldSettings)
    reminders: ReminderSettings = field(default_factory=ReminderSettings)
    mail: MailSettings = field(default_factory=MailSettings)
    webhooks: WebhookSettings = field(default_factory=WebhookSettings)
    deadlines: DeadlineSettings = field(default_factory=DeadlineSettings)
    oidc: OidcSettings = field(default_factory=OidcSettings)

    def __post_init__(self) -> None:
        # the defaults that depend on another area
        if not self.database.url:
            url = default_database_url(self.storage.data_dir)
            object.__setattr__(self, "database", replace(self.database, url=url))

    @property
    def proposed_audit_origin(self) -> str:
        """The origin a new log is given: DOCKET_AUDIT_ORIGIN, else ``<host:port>/docket-audit``.

        A log stores its origin when first opened; every later start uses the stored one.
        """
        return self.audit.origin or f"{urlsplit(self.server.base_url).netloc}/docket-audit"

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] = os.environ, *, make_secret_file: bool = True
    ) -> Settings:
        """Build settings from ``DOCKET_*`` variables, generating the secret key file when unset.

        ``make_secret_file=False`` writes nothing (``docket restore`` fills an empty data dir).

        Raises:
            ConfigError: naming every missing or invalid variable.
        """
        problems: list[str] = []
        groups: dict[str, Any] = {}
        for name, group in _groups():
            try:
                groups[name] = group(**_read(group, environ, problems))
            except ConfigError as exc:
                problems.extend(exc.problems)
        wants_file = make_secret_file and "DOCKET_SECRET_KEY" not in environ
        if wants_file and not _named(problems, "DOCKET_DATA_DIR"):
            try:
                secret = secret_from_file(groups["storage"].data_dir)
                groups["auth"] = replace(groups["auth"], secret_key=secret)
            except ValueError as exc:
                problems.append(f"DOCKET_SECRET_KEY: {exc}")
        if problems:
            raise ConfigError(problems)
        return cls(**groups)

    @classmethod
    def variable_names(cls) -> list[str]:
        """Every environment variable Docket reads, area by area."""
        return [str(f.metadata[_VARIABLE]) for _, group in _groups() for f in fields(group)]


def database_url_from_env(environ: Mapping[str, str] = os.environ) -> str:
    """Only the database URL, as ``from_env`` would compute it, touching no file (piccolo_conf).

    Raises:
        ConfigError: when DOCKET_DATA_DIR or DOCKET_DATABASE_URL is invalid.
    """
    problems: list[str] = []
    storage = _read(StorageSettings, environ, problems, only={"data_dir"})
    database = _read(DatabaseSettings, environ, problems)
    if problems:
        raise ConfigError(problems)
    url, data_dir = database.get("url"), storage.get("data_dir", DEFAULT_DATA_DIR)
    if isinstance(url, str):
        return url
    assert isinstance(data_dir, Path)  # noqa: S101 - parse_path guarantees it
    return default_database_url(data_dir)


def default_database_url(data_dir: Path) -> str:
    """The embedded SQLite file inside ``data_dir``."""
    return f"sqlite:///{data_dir / 'docket.sqlite3'}"


def _groups() -> Iterator[tuple[str, type[Any]]]:
    """Each area's attribute name on ``Settings`` and its class."""
    hints = get_type_hints(Settings)
    for f in fields(Settings):
        yield f.name, hints[f.name]


def _read(
    group: type[Any], environ: Mapping[str, str], problems: list[str], only: set[str] | None = None
) -> dict[str, object]:
    """The parsed values of the group's variables that are set; a problem per bad one."""
    values: dict[str, object] = {}
    for f in fields(group):
        variable = f.metadata[_VARIABLE]
        raw = environ.get(variable)
        if raw is None or (only is not None and f.name not in only):
            continue
        try:
            values[f.name] = f.metadata[_PARSER](raw)
        except ValueError as exc:
            problems.append(f"{variable}: {exc}")
    return values


def _named(problems: list[str], variable: str) -> bool:
    return any(p.startswith(f"{variable}:") for p in problems)
