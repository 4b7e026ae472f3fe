"""Data source identifiers in normal form: what holds store and the preservation check compares.

A deletion pipeline that asks about ``ACCOUNT:12345678`` or ``email:SUSPECT@example.com`` must
hear "preserved" when ``account:12345678`` or ``email:suspect@example.com`` is held, so both
sides are brought to one form before they are compared:

- the system name is trimmed and lower-cased (``ACCOUNT`` is ``account``);
- an identifier that is an e-mail address (``local@domain``) has its domain lower-cased and
  IDNA-encoded (``bücher.example`` is ``xn--bcher-kva.example``; RFC 5321 §2.4 makes domains
  case-insensitive); its local part is lower-cased unless the operator says the mail system
  treats it case-sensitively (RFC 5321 allows that; almost no provider does);
- a phone number keeps its digits and a leading ``+``;
- any other identifier is trimmed and lower-cased, unless its system is listed as one whose
  identifiers are case-sensitive.

Erring towards "preserved" is the safe side: of two accounts that differ only in letter
case, both are kept rather than one deleted. The database finds candidates by ``match_key``
(every rule at its most inclusive, so it never depends on settings) and the check then
compares the forms under the operator's rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

PHONE_SYSTEMS: Final = frozenset({"phone"})
_PHONE_KEEP: Final = frozenset("0123456789")


@dataclass(frozen=True, slots=True, kw_only=True)
class IdentifierRules:
    """How identifiers compare: the operator's settings (``DOCKET_*``), inclusive by default."""

    email_local_part_case_insensitive: bool = True
    """Whether ``Jane.Roe@`` and ``jane.roe@`` are one mailbox (DOCKET_EMAIL_LOCAL_PART_...)."""
    case_sensitive_systems: frozenset[str] = field(default_factory=frozenset)
    """Systems whose identifiers differ by letter case (DOCKET_HOLD_CASE_SENSITIVE_SYSTEMS)."""

    def is_case_sensitive(self, system: str) -> bool:
        """Whether ``system`` (in normal form) is listed, in any letter case."""
        return system in {normalize_system(s) for s in self.case_sensitive_systems}


INCLUSIVE: Final = IdentifierRules()
"""Every rule at its most inclusive: what ``match_key`` uses."""


def normalize_system(system: str) -> str:
    """A system's name as stored and compared: trimmed, lower case."""
    return system.strip().lower()


def _domain(domain: str) -> str:
    lowered = domain.strip().rstrip(".").lower()
    try:  # the stdlib's IDNA 2003 codec (RFC 3490): nameprep folds case too
        return lowered.encode("idna").decode("ascii")
    except UnicodeError:  # not a host name (a realm, a typo): lower case is all we know
        return lowered


def _email(identifier: str, *, fold_local: bool) -> str | None:
    local, at, domain = identifier.rpartition("@")
    if not at or not local or not domain:
        return None
    return f"{local.lower() if fold_local else local}@{_domain(domain)}"


def normalize_identifier(system: str, identifier: str, rules: IdentifierRules = INCLUSIVE) -> str:
    """``identifier`` in the one form the preservation check compares within ``system``."""
    system = normalize_system(system)
    text = identifier.strip()
    if system in PHONE_SYSTEMS:
        digits = "".join(c for c in text if c in _PHONE_KEEP)
        return ("+" if text.startswith("+") else "") + digits if digits else text
    sensitive = rules.is_case_sensitive(system)
    address = _email(text, fold_local=rules.email_local_part_case_insensitive and not sensitive)
    if address is not None:
        return address
    return text if sensitive else text.lower()


def normalized_source(system: str, identifier: str, rules: IdentifierRules = INCLUSIVE) -> str:
    """``SYSTEM:IDENTIFIER`` in normal form: how the check's answer names what matched."""
    return f"{normalize_system(system)}:{normalize_identifier(system, identifier, rules)}"


def match_key(system: str, identifier: str) -> str:
    """The stored lookup key of a data source: its normal form under the inclusive rules.

    Whatever the settings, two identifiers equal under them have the same key, so the
    database narrows the candidates and the rules decide among them.
    """
    return normalized_source(system, identifier, INCLUSIVE)
