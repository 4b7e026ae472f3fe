"""The single sign-on settings (``DOCKET_OIDC_*``) and how their values are parsed.

Stdlib only, like ``api.settings``, but for Docket's role names (``domain.shared.model`` is pure):
a role map that names no Docket role is refused when the settings are read.
"""

# ruff: noqa: RUF009 - setting() is a field specifier: it returns dataclasses.field(...)

from __future__ import annotations

from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from api.settings_values import ConfigError, Secret, parse_secret, parse_str, setting
from domain.shared.model import USER_ROLES, Role

DEFAULT_SCOPES: Final = ("openid", "email", "profile")
_SCOPE_CHARACTERS: Final = frozenset(chr(c) for c in range(0x21, 0x7F)) - {'"', "\\"}


def parse_issuer(raw: str) -> str:
    """An absolute https URL (http only on loopback), kept exactly: the tokens must name it so."""
    issuer = parse_str(raw)
    parts = urlsplit(issuer)
    loopback = parts.hostname in {"localhost", "127.0.0.1", "::1"}
    if not parts.netloc or not (parts.scheme == "https" or (parts.scheme == "http" and loopback)):
        raise ValueError(f"{raw!r} is not an https URL")
    if parts.query or parts.fragment:
        raise ValueError(f"{raw!r} must have no query or fragment")
    return issuer


def parse_role_map(raw: str) -> tuple[tuple[str, Role], ...]:
    """``value=role`` pairs, comma-separated (``docket-legal=legal,docket-admins=admin``).

    Each role must be one a person can hold; the first pair the person's claim holds wins.
    """
    pairs: list[tuple[str, Role]] = []
    roles = ", ".join(sorted(r.value for r in USER_ROLES))
    for item in (i.strip() for i in raw.split(",")):
        if not item:
            continue
        value, equals, role = (p.strip() for p in item.partition("="))
        if not equals or not value or not role:
            raise ValueError(f"{item!r} is not value=role")
        if role not in {r.value for r in USER_ROLES}:
            raise ValueError(f"{role!r} in {item!r} is not a Docket role ({roles})")
        pairs.append((value, Role(role)))
    return tuple(pairs)


def parse_scopes(raw: str) -> tuple[str, ...]:
    """Scopes separated by spaces or commas; ``openid`` is always asked for."""
    scopes = [s for s in parse_str(raw).replace(",", " ").split() if s]
    bad = [s for s in scopes if any(c not in _SCOPE_CHARACTERS for c in s)]
    if bad:  # RFC 6749 §3.3 scope-token
        raise ValueError(f"{bad[0]!r} is not a scope")
    return ("openid", *[s for s in dict.fromkeys(scopes) if s != "openid"])


@dataclass(frozen=True, slots=True, kw_only=True)
class OidcSettings:
    """Single sign-on with an OpenID Connect provider; off while the issuer is unset."""

    issuer: str = setting("DOCKET_OIDC_ISSUER", "", parse_issuer)
    """The provider's issuer URL, exactly as its tokens name it; unset, single sign-on is off."""
    client_id: str = setting("DOCKET_OIDC_CLIENT_ID", "", parse_str)
    """Docket's client id at the provider (needed with the issuer)."""
    client_secret: Secret = setting("DOCKET_OIDC_CLIENT_SECRET", Secret(""), parse_secret)
    """Docket's client secret (never printed); unset, Docket is a public client (PKCE only)."""
    provider_name: str = setting("DOCKET_OIDC_PROVIDER_NAME", "", parse_str)
    """The name on the sign-in button ("Sign in with …"); unset, the issuer's host name."""
    role_claim: str = setting("DOCKET_OIDC_ROLE_CLAIM", "groups", parse_str)
    """The ID token claim (a string or a list of strings) that the role map reads."""
    role_map: tuple[tuple[str, Role], ...] = setting("DOCKET_OIDC_ROLE_MAP", (), parse_role_map)
    """``value=role`` pairs: who may get an account on first sign-in, and with which role."""
    scopes: tuple[str, ...] = setting("DOCKET_OIDC_SCOPES", DEFAULT_SCOPES, parse_scopes)
    """The scopes asked for (``openid`` always)."""

    def __post_init__(self) -> None:
        if self.issuer and not self.client_id:
            raise ConfigError(["DOCKET_OIDC_CLIENT_ID: must be set with DOCKET_OIDC_ISSUER"])

    @property
    def enabled(self) -> bool:
        """Whether the sign-in page offers single sign-on."""
        return bool(self.issuer)

    @property
    def display_name(self) -> str:
        """The provider as the sign-in button names it."""
        return self.provider_name or urlsplit(self.issuer).hostname or self.issuer
