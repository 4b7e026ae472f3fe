"""The values settings hold, and how each is parsed from the text of an environment variable.

Every parser raises ``ValueError`` with a message that names the bad value; ``Settings.from_env``
prefixes it with the variable's name. Stdlib only, like ``api.settings``.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parseaddr
from enum import StrEnum
from pathlib import Path
from typing import Final, TypeVar
from urllib.parse import urlsplit

VARIABLE: Final = "docket.variable"
PARSER: Final = "docket.parser"
MIN_SECRET_BYTES: Final = 32
SECRET_FILE_NAME: Final = "secret_key"  # noqa: S105 - a file name

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Secret:
    """A value that must never be printed; ``repr`` and ``str`` hide it."""

    value: str = field(repr=False)

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


class ConfigError(Exception):
    """One or more ``DOCKET_*`` variables are missing or invalid; lists every problem at once."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid configuration: " + "; ".join(problems))


def setting(variable: str, default: T, parse: Callable[[str], T]) -> T:
    """A field read from the environment variable ``variable`` by ``parse``; else ``default``."""
    return field(default=default, metadata={VARIABLE: variable, PARSER: parse})


class LogLevel(StrEnum):
    """How much Docket logs (the names of the stdlib ``logging`` levels)."""

    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


class SmtpSecurity(StrEnum):
    """How mail is protected on its way to the SMTP server."""

    STARTTLS = "starttls"
    """Plain connection upgraded with STARTTLS (port 587)."""
    SSL = "ssl"
    """Implicit TLS from the first byte (port 465)."""
    NONE = "none"
    """No TLS (port 25, a relay on a trusted network)."""


def parse_str(raw: str) -> str:
    """Any text but blank, stripped."""
    if not raw.strip():
        raise ValueError("must not be empty")
    return raw.strip()


def parse_bool(raw: str) -> bool:
    """``true``/``false`` (also ``1``/``0``, ``yes``/``no``, ``on``/``off``), any letter case."""
    word = raw.strip().lower()
    if word in {"true", "1", "yes", "on"}:
        return True
    if word in {"false", "0", "no", "off"}:
        return False
    raise ValueError(f"{raw!r} is not true or false")


def parse_names(raw: str) -> tuple[str, ...]:
    """Comma-separated names (of systems), each without spaces or ``:``; blank is none."""
    names = tuple(n.strip() for n in raw.split(",") if n.strip())
    bad = [n for n in names if ":" in n or any(c.isspace() for c in n)]
    if bad:
        raise ValueError(f"{bad[0]!r} is not a name (no spaces, no ':')")
    return names


_TARGET_UNITS: Final = {"h": "hours", "d": "calendar_days", "wd": "business_days"}


def parse_rule_targets(raw: str) -> tuple[tuple[str, int, str], ...]:
    """``RULE=24h,RULE=5wd``: a rule id and a length in hours, days or working days each.

    Whether the rule exists and leaves its period to the organisation is checked when the rule
    packs are loaded.
    """
    found: list[tuple[str, int, str]] = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        rule, equals, length = (p.strip() for p in item.partition("="))
        number = length.rstrip("hdw")
        unit = _TARGET_UNITS.get(length[len(number) :])
        if not equals or not rule or not number.isdigit() or int(number) < 1 or unit is None:
            raise ValueError(f"{item!r} is not RULE=<n>h, RULE=<n>d or RULE=<n>wd")
        found.append((rule, int(number), unit))
    return tuple(found)


def parse_path(raw: str) -> Path:
    """A file or folder path (not checked for existence)."""
    return Path(parse_str(raw))


def parse_positive(raw: str) -> int:
    """A whole number above zero."""
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a whole number") from None
    if value <= 0:
        raise ValueError(f"{raw!r} must be positive")
    return value


def parse_port(raw: str) -> int:
    """A TCP port, 1-65535."""
    port = parse_positive(raw)
    if port > 65535:  # noqa: PLR2004 - the TCP port range
        raise ValueError(f"{raw!r} is not a TCP port (1-65535)")
    return port


def parse_hour(raw: str) -> int:
    """An hour of the day, 0-23."""
    if not raw.strip().isdigit() or not 0 <= int(raw) <= 23:  # noqa: PLR2004 - hours of a day
        raise ValueError(f"{raw!r} is not an hour from 0 to 23")
    return int(raw)


def parse_factor(raw: str) -> float:
    """A multiple of an average, 1-1000."""
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a number") from None
    if not 1.0 <= value <= 1000.0:  # noqa: PLR2004 - a multiple of the average
        raise ValueError(f"{raw!r} is not between 1 and 1000")
    return value


def parse_smtp_timeout(raw: str) -> int:
    """Seconds, 1-600."""
    timeout = parse_positive(raw)
    if timeout > 600:  # noqa: PLR2004 - ten minutes: a hung server must not stall the sweep
        raise ValueError(f"{raw!r} is more than 600 seconds")
    return timeout


def parse_networks(raw: str) -> tuple[str, ...]:
    """Comma-separated IP addresses or networks (CIDR), e.g. ``10.0.0.5, 172.18.0.0/16``."""
    found: list[str] = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        try:
            network = ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ValueError(f"{item!r} is not an IP address or network") from None
        found.append(str(network.network_address if "/" not in item else network))
    return tuple(found)


def parse_database_url(raw: str) -> str:
    """``sqlite:///path`` or ``postgresql://…`` (``postgres://`` too)."""
    url = parse_str(raw)
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        if not url.startswith("sqlite:///") or url == "sqlite:///":
            raise ValueError("a SQLite URL looks like sqlite:///var/docket.sqlite3")
        return url
    if scheme in {"postgresql", "postgres"}:
        return url
    raise ValueError(f"scheme {scheme or '(none)'!r} is not sqlite or postgresql")


def parse_http_url(raw: str) -> str:
    """An absolute http(s) URL, without its trailing slash."""
    url = parse_str(raw).rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"{raw!r} is not an http(s) URL")
    return url


def parse_origin(raw: str) -> str:
    """A signed-note key name: no spaces, no ``+``."""
    origin = parse_str(raw)
    if any(c.isspace() or c == "+" for c in origin):
        raise ValueError(f"{raw!r} must have no spaces and no '+' (a signed-note key name)")
    return origin


def parse_mail_from(raw: str) -> str:
    """``Name <user@host>`` or ``user@host``, on one line."""
    value = parse_str(raw)
    _, address = parseaddr(value)
    if "@" not in address or any(c in value for c in "\r\n"):
        raise ValueError(f"{raw!r} is not an e-mail address (Name <user@host> or user@host)")
    return value


def parse_secret(raw: str) -> Secret:
    """Any text but empty, kept verbatim (spaces are part of a password)."""
    if not raw:
        raise ValueError("must not be empty")
    return Secret(raw)


def parse_secret_key(raw: str) -> Secret:
    """A secret of at least ``MIN_SECRET_BYTES`` bytes."""
    if len(raw.encode()) < MIN_SECRET_BYTES:
        raise ValueError(f"must be at least {MIN_SECRET_BYTES} bytes long")
    return Secret(raw)


def parse_log_level(raw: str) -> LogLevel:
    """A log level's name, in any case."""
    return _member(LogLevel, raw, raw.strip().upper())


def parse_smtp_security(raw: str) -> SmtpSecurity:
    """``starttls``, ``ssl`` or ``none``, in any case."""
    return _member(SmtpSecurity, raw, raw.strip().lower())


def _member(enum: type[E], raw: str, value: str) -> E:
    try:
        return enum(value)
    except ValueError:
        raise ValueError(f"{raw!r} is not one of {', '.join(enum)}") from None


def secret_from_file(data_dir: Path) -> Secret:
    """The secret in (or newly written into) ``data_dir/secret_key``.

    Raises:
        ValueError: the folder or the file cannot be read or created.
    """
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


def parse_time_zone(raw: str) -> str:
    """An IANA time zone name, e.g. ``Europe/Berlin``."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # noqa: PLC0415 - only when set

    name = raw.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name!r} is not an IANA time zone") from None
    return name


NOTIFICATION_LOCALES: Final = (
    "en", "de", "fr", "es", "pt_BR", "it", "nl", "pl", "ja", "ko", "zh_CN", "ar", "hi",
)  # fmt: skip
"""The languages Docket writes notifications in: those of response packages
(``documents.i18n.SUPPORTED``; a test keeps the two the same, this module stays stdlib-only)."""


_SIMPLIFIED_CHINESE: Final = frozenset({"", "cn", "hans", "hans_cn", "sg", "hans_sg"})


def parse_locale(raw: str) -> str:
    """One of ``NOTIFICATION_LOCALES``, a regional tag read as its language.

    ``de-DE`` reads as ``de`` and ``pt-BR`` as ``pt_BR``; Chinese in the traditional script is
    refused (Docket has texts in simplified Chinese only).
    """
    tag = parse_str(raw).replace("-", "_").lower()
    known = {t.lower(): t for t in NOTIFICATION_LOCALES}
    language, _, rest = tag.partition("_")
    by_language = {t.split("_")[0]: t for t in NOTIFICATION_LOCALES}
    found = known.get(tag)
    if found is None and (language != "zh" or rest in _SIMPLIFIED_CHINESE):
        found = by_language.get(language)
    if found is None:
        raise ValueError(f"{raw.strip()!r} is not one of {', '.join(NOTIFICATION_LOCALES)}")
    return found
