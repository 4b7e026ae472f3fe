"""Compare a committed .mo catalog with its .po source by what they say, not by their bytes.

A compiled catalog carries the compiler's version in its header (``Generated-By: Babel 2.19.0``),
so a byte comparison fails whenever Babel moves on although no translation changed. What must
match is every message, every plural form, and the plural rule that picks among them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeAlias

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

Key: TypeAlias = tuple[str | tuple[str, ...], str | None]
Translations: TypeAlias = dict[Key, str | tuple[str, ...]]


def _frozen(text: str | list[str] | tuple[str, ...]) -> str | tuple[str, ...]:
    # read_mo gives plural ids and forms as lists, read_po as tuples
    return text if isinstance(text, str) else tuple(text)


def _translations(catalog: Catalog) -> Translations:
    return {
        (_frozen(message.id), message.context): _frozen(message.string)
        for message in catalog
        if message.id and message.string and not message.fuzzy
    }


def catalog_differences(folder: Path, locale: str) -> list[str]:
    """What ``folder/messages.mo`` says that ``folder/messages.po`` does not (empty if nothing)."""
    with (folder / "messages.po").open("rb") as f:
        source = read_po(f, locale=locale)
    with (folder / "messages.mo").open("rb") as f:
        compiled = read_mo(f)
    want, got = _translations(source), _translations(compiled)
    differences = [f"missing from .mo: {key[0]!r}" for key in want.keys() - got.keys()]
    differences += [f"only in .mo: {key[0]!r}" for key in got.keys() - want.keys()]
    differences += [
        f"{key[0]!r}: .po says {want[key]!r}, .mo says {got[key]!r}"
        for key in want.keys() & got.keys()
        if want[key] != got[key]
    ]
    if compiled.plural_forms != source.plural_forms:
        differences.append(f"plural rule: .po {source.plural_forms}, .mo {compiled.plural_forms}")
    return differences
