"""The frame of the cover letter around the response: its greeting and its closing.

An organisation may word both per locale (stored by the domain); these are the defaults, in the
locale's catalog, and the one way either is laid out. The draft holds only the body, so a
drafter never writes a greeting that the letter then prints a second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from documents import i18n


def _(message: str) -> str:
    """Mark a message for extraction; it is translated where it is used."""
    return message


_GREETING: Final = (
    _("Dear Sir or Madam,"),
    _("With reference to your request, we respond as follows."),
)
_CLOSING: Final = _("Yours faithfully,")
MAX_CHARS: Final = 2000
"""The longest greeting or closing accepted."""


@dataclass(frozen=True, slots=True)
class LetterFrame:
    """A greeting (paragraphs split by a blank line) and a closing, as plain text."""

    greeting: str
    closing: str


def default_frame(locale: str) -> LetterFrame:
    """The greeting and closing of ``locale``'s catalog.

    Raises:
        ValueError: if ``locale`` is not one of the supported locales.
    """
    gettext = i18n.translations(locale).gettext
    return LetterFrame(
        greeting="\n\n".join(gettext(m) for m in _GREETING), closing=gettext(_CLOSING)
    )


def paragraphs(text: str) -> list[list[str]]:
    """``text`` as paragraphs (split at blank lines), each a list of its non-empty lines."""
    found: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip():
            found[-1].append(line.strip())
        elif found[-1]:
            found.append([])
    return [p for p in found if p]
