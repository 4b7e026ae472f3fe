"""What goes wrong with legal holds and their acknowledgement links (pure)."""

from __future__ import annotations

from uuid import UUID

from domain.shared.errors import (
    ConflictError,
    DocketError,
    NotFoundError,
)


class HoldNotFoundError(NotFoundError):
    """No legal hold with this id."""

    def __init__(self, ident: UUID | str) -> None:
        super().__init__("legal hold", ident)


class HoldItemNotFoundError(NotFoundError):
    """The hold names no such custodian or data source."""

    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(kind, ident)


class HoldItemReleasedError(ConflictError):
    """The custodian or data source was released from this hold already."""

    def __init__(self, kind: str, ident: str) -> None:
        self.kind = kind
        super().__init__(f"the {kind} was released from this hold already")

    def public_fields(self) -> dict[str, str | int]:
        """The kind of item (not the e-mail address: personal data)."""
        return {"kind": self.kind}


class AckLinkInvalidError(NotFoundError):
    """An acknowledgement link that Docket did not hand out, or that was altered."""

    def __init__(self) -> None:
        self.kind, self.ident = "acknowledgement link", ""
        DocketError.__init__(self, "this acknowledgement link is not valid")

    def public_fields(self) -> dict[str, str | int]:
        """Nothing: the link itself is a credential."""
        return {}


class AckLinkExpiredError(ConflictError):
    """An acknowledgement link past its expiry."""

    def __init__(self) -> None:
        super().__init__("this acknowledgement link has expired")


class AckLinkUsedError(ConflictError):
    """An acknowledgement link that was used already (links are single-use)."""

    def __init__(self) -> None:
        super().__init__("this acknowledgement link was used already")
