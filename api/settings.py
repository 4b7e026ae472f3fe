"""Docket's one settings object, read from ``DOCKET_*`` environment variables once at start-up.

Stdlib only, so that ``piccolo_conf.py`` and the CLI can import it without Litestar.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from email.utils import parseaddr
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

ENV_PREFIX: Final = "DOCKET_"
SECRET_FILE_NAME: Final = "secret_key"  # noqa: S105 - a file name
MIN_SECRET_BYTES: Final = 32
DEFAULT_DATA_DIR: Final = Path("var")
SMTP_SECURITY: Final = ("starttls", "ssl", "none")


class ConfigError(Exception):
    """One or more ``DOCKET_*`` variables are missing or invalid; lists every problem at once."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid configuration: " + "; ".join(problems))


@dataclass(frozen=True, slots=True)
class Secret:
    """A value that must never be printed; ``repr`` and ``str`` hide it."""

    value: str = field(repr=False)

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Everything Docket reads from its environment."""

    data_dir: Path = DEFAULT_DATA_DIR
    """DOCKET_DATA_DIR: where the SQLite file, the generated secret key and stored files live."""
    database_url: str = ""
    """DOCKET_DATABASE_URL: ``sqlite:///path`` or ``postgresql://…``; default a file in data_dir."""
    secret_key: Secret = field(default_factory=lambda: Secret(""))
    """DOCKET_SECRET_KEY: signs access tokens; generated into ``data_dir/secret_key`` when unset."""
    host: str = "127.0.0.1"
    """DOCKET_HOST: address the API listens on."""
    port: int = 8000
    """DOCKET_PORT: port the API listens on."""
    base_url: str = ""
    """DOCKET_BASE_URL: the public URL of this Docket (links in mail); default http://host:port."""
    problem_base_uri: str = ""
    """DOCKET_PROBLEM_BASE_URI: prefix of the ``type`` of every problem answer."""
    access_token_ttl: int = 3600
    """DOCKET_ACCESS_TOKEN_TTL: seconds a login's access token stays valid."""
    password_min_length: int = 12
    """DOCKET_PASSWORD_MIN_LENGTH: the shortest password a user may set."""
    login_max_failures: int = 5
    """DOCKET_LOGIN_MAX_FAILURES: wrong passwords per account or address before a lockout."""
    login_lockout_seconds: int = 300
    """DOCKET_LOGIN_LOCKOUT_SECONDS: how long a lockout lasts (and the window failures count in)."""
    log_level: str = "INFO"
    """DOCKET_LOG_LEVEL: DEBUG, INFO, WARNING or ERROR."""
    audit_origin: str = ""
    """DOCKET_AUDIT_ORIGIN: the log's name in its checkpoints; default <host:port>/docket-audit."""
    audit_key_file: Path | None = None
    """DOCKET_AUDIT_KEY_FILE: the Ed25519 signer key; default generated into data_dir/audit_key."""
    attachment_max_bytes: int = 50 * 1024 * 1024
    """DOCKET_ATTACHMENT_MAX_BYTES: the largest incoming document accepted (default 50 MB)."""
    checkpoint_interval: int = 60
    """DOCKET_CHECKPOINT_INTERVAL: seconds between checkpoint signings while the log grows."""
    # ---- legal holds
    hold_reminder_days: int = 3
    """DOCKET_HOLD_REMINDER_DAYS: days between reminders to a custodian who has not acknowledged."""
    hold_escalate_days: int = 7
    """DOCKET_HOLD_ESCALATE_DAYS: days after a hold's notice before a custodian's manager hears."""
    hold_reaffirm_days: int = 90
    """DOCKET_HOLD_REAFFIRM_DAYS: days between re-affirmations of an active hold to custodians."""
    ack_link_days: int = 30
    """DOCKET_ACK_LINK_DAYS: days an acknowledgement link in a notice or reminder stays valid."""
    # ---- notification channels
    smtp_host: str = ""
    """DOCKET_SMTP_HOST: the SMTP server; unset keeps mail in the outbox (GET /api/v1/outbox)."""
    smtp_port: int = 587
    """DOCKET_SMTP_PORT: 587 for STARTTLS (default), 465 for implicit TLS, 25 for plain."""
    smtp_security: str = "starttls"
    """DOCKET_SMTP_SECURITY: ``starttls`` (default), ``ssl`` (implicit TLS) or ``none``."""
    smtp_username: str = ""
    """DOCKET_SMTP_USERNAME: log in with this name (and the password) when set."""
    smtp_password: Secret = field(default_factory=lambda: Secret(""))
    """DOCKET_SMTP_PASSWORD: the SMTP password (never printed)."""
    smtp_from: str = "Docket <docket@localhost>"
    """DOCKET_SMTP_FROM: the From address of every mail."""
    smtp_timeout: int = 30
    """DOCKET_SMTP_TIMEOUT: seconds to wait for the SMTP server before trying again later."""
    webhook_url: str = ""
    """DOCKET_WEBHOOK_URL: POST every notification as signed JSON here; unset sends none."""
    webhook_secret: Secret = field(default_factory=lambda: Secret(""))
    """DOCKET_WEBHOOK_SECRET: HMAC-SHA256 key of ``X-Docket-Signature`` (needed with the URL)."""
    # ---- response packages
    signing_cert: Path | None = None
    """DOCKET_SIGNING_CERT: PEM certificate (then its chain) that signs approved packages."""
    signing_key: Path | None = None
    """DOCKET_SIGNING_KEY: its PEM private key; neither set: a demo CA in data_dir/signing."""
    organisation: str = "Docket demo organisation"
    """DOCKET_ORGANISATION: the sender named on response packages and their signatures."""
    # ---- reminder sweep
    sweep_interval: int = 60
    """DOCKET_SWEEP_INTERVAL: seconds between reminder sweeps (in the API, or ``docket worker``)."""
    escalate_after_hours: int = 24
    """DOCKET_ESCALATE_AFTER_HOURS: hours past a request's deadline before Legal is alerted."""
    digest_hour: int = 7
    """DOCKET_DIGEST_HOUR: the UTC hour of each user's daily digest (and the spike check)."""
    spike_factor: float = 3.0
    """DOCKET_SPIKE_FACTOR: a week's intake above this multiple of the 8-week average alerts."""
    spike_min_count: int = 5
    """DOCKET_SPIKE_MIN_COUNT: a week needs at least this many requests to count as a spike."""
    delivery_max_attempts: int = 8
    """DOCKET_DELIVERY_MAX_ATTEMPTS: attempts of one notification before it is marked failed."""
    notification_locale: str = "en"
    """DOCKET_NOTIFICATION_LOCALE: the language of reminders, digests and alerts."""

    def __post_init__(self) -> None:
        if not self.database_url:
            object.__setattr__(self, "database_url", default_database_url(self.data_dir))
        if not self.base_url:
            object.__setattr__(self, "base_url", f"http://{self.host}:{self.port}")
        if not self.problem_base_uri:
            object.__setattr__(self, "problem_base_uri", f"{self.base_url}/problems")
        if not self.audit_origin:
            host = urlsplit(self.base_url).netloc
            object.__setattr__(self, "audit_origin", f"{host}/docket-audit")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """Build settings from ``DOCKET_*`` variables, generating the secret key file when unset.

        Raises:
            ConfigError: naming every missing or invalid variable.
        """
        problems: list[str] = []
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = environ.get(ENV_PREFIX + f.name.upper())
            if raw is None or f.name == "secret_key":
                continue
            parser = _PARSERS.get(f.name, _parse_str)
            try:
                values[f.name] = parser(raw)
            except ValueError as exc:
                problems.append(f"{ENV_PREFIX}{f.name.upper()}: {exc}")
        data_dir = values.get("data_dir", DEFAULT_DATA_DIR)
        assert isinstance(data_dir, Path)  # noqa: S101 - _PARSERS guarantees it
        try:
            values["secret_key"] = _secret_from(environ.get(ENV_PREFIX + "SECRET_KEY"), data_dir)
        except ValueError as exc:
            problems.append(f"{ENV_PREFIX}SECRET_KEY: {exc}")
        if values.get("webhook_url") and "webhook_secret" not in values:
            problems.append(f"{ENV_PREFIX}WEBHOOK_SECRET: must be set with {ENV_PREFIX}WEBHOOK_URL")
        if ("signing_cert" in values) != ("signing_key" in values):
            problems.append(
                f"{ENV_PREFIX}SIGNING_CERT and {ENV_PREFIX}SIGNING_KEY: set both or neither"
            )
        if problems:
            raise ConfigError(problems)
        return cls(**values)  # type: ignore[arg-type]

    @property
    def database_kind(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return "sqlite" if self.database_url.startswith("sqlite:") else "postgresql"


def database_url_from_env(environ: Mapping[str, str] = os.environ) -> str:
    """Only the database URL, as ``from_env`` would compute it, touching no file (piccolo_conf).

    Raises:
        ConfigError: when DOCKET_DATA_DIR or DOCKET_DATABASE_URL is invalid.
    """
    try:
        if (raw := environ.get(ENV_PREFIX + "DATABASE_URL")) is not None:
            return _parse_database_url(raw)
        return default_database_url(_parse_path(environ.get(ENV_PREFIX + "DATA_DIR", "var")))
    except ValueError as exc:
        raise ConfigError([str(exc)]) from None


def default_database_url(data_dir: Path) -> str:
    """The embedded SQLite file inside ``data_dir``."""
    return f"sqlite:///{data_dir / 'docket.sqlite3'}"


def sqlite_path(database_url: str) -> Path:
    """The file path of a ``sqlite:///`` URL (relative unless it has four slashes)."""
    return Path(database_url.removeprefix("sqlite:///"))


def _parse_str(raw: str) -> str:
    if not raw.strip():
        raise ValueError("must not be empty")
    return raw.strip()


def _parse_path(raw: str) -> Path:
    return Path(_parse_str(raw))


def _parse_port(raw: str) -> int:
    port = _parse_positive(raw)
    if port > 65535:  # noqa: PLR2004 - the TCP port range
        raise ValueError(f"{raw!r} is not a TCP port (1-65535)")
    return port


def _parse_positive(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a whole number") from None
    if value <= 0:
        raise ValueError(f"{raw!r} must be positive")
    return value


def _parse_database_url(raw: str) -> str:
    url = _parse_str(raw)
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        if not url.startswith("sqlite:///") or url == "sqlite:///":
            raise ValueError("a SQLite URL looks like sqlite:///var/docket.sqlite3")
        return url
    if scheme in {"postgresql", "postgres"}:
        return url
    raise ValueError(f"scheme {scheme or '(none)'!r} is not sqlite or postgresql")


def _parse_http_url(raw: str) -> str:
    url = _parse_str(raw).rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"{raw!r} is not an http(s) URL")
    return url


def _parse_origin(raw: str) -> str:
    origin = _parse_str(raw)
    if any(c.isspace() or c == "+" for c in origin):
        raise ValueError(f"{raw!r} must have no spaces and no '+' (a signed-note key name)")
    return origin


def _parse_log_level(raw: str) -> str:
    level = raw.strip().upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ValueError(f"{raw!r} is not one of DEBUG, INFO, WARNING, ERROR")
    return level


def _parse_smtp_security(raw: str) -> str:
    security = raw.strip().lower()
    if security not in SMTP_SECURITY:
        raise ValueError(f"{raw!r} is not one of {', '.join(SMTP_SECURITY)}")
    return security


def _parse_mail_from(raw: str) -> str:
    value = _parse_str(raw)
    _, address = parseaddr(value)
    if "@" not in address or any(c in value for c in "\r\n"):
        raise ValueError(f"{raw!r} is not an e-mail address (Name <user@host> or user@host)")
    return value


def _parse_secret(raw: str) -> Secret:
    if not raw:
        raise ValueError("must not be empty")
    return Secret(raw)


def _parse_smtp_timeout(raw: str) -> int:
    timeout = _parse_positive(raw)
    if timeout > 600:  # noqa: PLR2004 - ten minutes: a hung server must not stall the sweep
        raise ValueError(f"{raw!r} is more than 600 seconds")
    return timeout


def _parse_hour(raw: str) -> int:
    if not raw.strip().isdigit() or not 0 <= int(raw) <= 23:  # noqa: PLR2004 - hours of a day
        raise ValueError(f"{raw!r} is not an hour from 0 to 23")
    return int(raw)


def _parse_factor(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a number") from None
    if not 1.0 <= value <= 1000.0:  # noqa: PLR2004 - a multiple of the average
        raise ValueError(f"{raw!r} is not between 1 and 1000")
    return value


_PARSERS: Final[Mapping[str, Callable[[str], object]]] = {
    "data_dir": _parse_path,
    "database_url": _parse_database_url,
    "port": _parse_port,
    "base_url": _parse_http_url,
    "problem_base_uri": _parse_http_url,
    "access_token_ttl": _parse_positive,
    "password_min_length": _parse_positive,
    "login_max_failures": _parse_positive,
    "login_lockout_seconds": _parse_positive,
    "log_level": _parse_log_level,
    "audit_origin": _parse_origin,
    "audit_key_file": _parse_path,
    "checkpoint_interval": _parse_positive,
    "hold_reminder_days": _parse_positive,
    "hold_escalate_days": _parse_positive,
    "hold_reaffirm_days": _parse_positive,
    "ack_link_days": _parse_positive,
    "attachment_max_bytes": _parse_positive,
    # notification channels
    "smtp_port": _parse_port,
    "smtp_security": _parse_smtp_security,
    "smtp_password": _parse_secret,
    "smtp_timeout": _parse_smtp_timeout,
    "smtp_from": _parse_mail_from,
    "webhook_url": _parse_http_url,
    "webhook_secret": _parse_secret,
    # reminder sweep
    "sweep_interval": _parse_positive,
    "escalate_after_hours": _parse_positive,
    "digest_hour": _parse_hour,
    "spike_factor": _parse_factor,
    "spike_min_count": _parse_positive,
    "delivery_max_attempts": _parse_positive,
    # response packages
    "signing_cert": _parse_path,
    "signing_key": _parse_path,
}


def _secret_from(raw: str | None, data_dir: Path) -> Secret:
    """The secret from the environment, else from (or newly into) ``data_dir/secret_key``."""
    if raw is not None:
        if len(raw.encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"must be at least {MIN_SECRET_BYTES} bytes long")
        return Secret(raw)
    path = data_dir / SECRET_FILE_NAME
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        return Secret(_read_or_create_secret_file(path))
    except OSError as exc:
        raise ValueError(f"unset, and {path} cannot be read or created: {exc.strerror}") from None


def _read_or_create_secret_file(path: Path) -> str:
    """Read the key file, or create it atomically (mode 0600) so two processes agree on one key."""
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(tmp, path)  # fails if another process won the race; then we read theirs
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    value = path.read_text(encoding="utf-8").strip()
    if len(value.encode()) < MIN_SECRET_BYTES:
        raise OSError(0, f"{path} holds fewer than {MIN_SECRET_BYTES} bytes")
    return value
