"""The pages' words in the message catalog.

Templates mark their strings with ``_()`` / ``{% trans %}``. Words kept in Python (tab labels,
field labels, the bands, the workflow steps) are translated where a template shows them, so in
Python they are only marked with ``N_()`` for ``pybabel extract`` to find; ``api/locales``
holds the catalog template they are extracted into.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

LOCALES: Final = Path(__file__).resolve().parent.parent / "locales"
"""``babel.cfg`` (what to extract) and ``messages.pot`` (what was extracted)."""


def N_(message: str) -> str:
    """``message`` as written, marked for the catalog."""
    return message
