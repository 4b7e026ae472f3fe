"""Docket's one settings object, read from ``DOCKET_*`` environment variables once at start-up.

Stdlib only, so that ``piccolo_conf.py`` and the CLI can import it without Litestar.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

ENV_PREFIX: Final = "DOCKET_"
SECRET_FILE_NAME: Final = "secret_key"  # noqa: S105 - a file name
MIN_SECRET_BYTES: Final = 32
DEFAULT_DATA_DIR: Final = Path("var")


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
    "attachment_max_bytes": _parse_positive,
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
