"""The catalog comparison that guards the committed .mo files can tell a real difference."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

from tests.catalogs import catalog_differences


def catalog(locale: str = "de", **overrides: str | tuple[str, str]) -> Catalog:
    result = Catalog(locale=locale)
    result.add("Received", overrides.get("Received", "Eingegangen"))
    result.add(
        ("%(n)d exhibit", "%(n)d exhibits"),
        overrides.get("plural", ("%(n)d Anlage", "%(n)d Anlagen")),
    )
    return result


def write(folder: Path, source: Catalog, compiled: Catalog) -> Path:
    with (folder / "messages.po").open("wb") as f:
        write_po(f, source)
    with (folder / "messages.mo").open("wb") as f:
        write_mo(f, compiled)
    return folder


def test_catalogs_that_differ_only_in_the_compilers_version_are_the_same(tmp_path: Path) -> None:
    compiled = catalog()
    compiled.version = "9.9"
    compiled.fuzzy = False
    assert catalog_differences(write(tmp_path, catalog(), compiled), "de") == []


def test_a_changed_translation_is_a_difference(tmp_path: Path) -> None:
    folder = write(tmp_path, catalog(), catalog(Received="Erhalten"))
    assert catalog_differences(folder, "de") == [
        "'Received': .po says 'Eingegangen', .mo says 'Erhalten'"
    ]


def test_a_changed_plural_form_is_a_difference(tmp_path: Path) -> None:
    folder = write(tmp_path, catalog(), catalog(plural=("%(n)d Anlage", "%(n)d Beilagen")))
    assert len(catalog_differences(folder, "de")) == 1


def test_a_message_missing_from_the_mo_is_a_difference(tmp_path: Path) -> None:
    compiled = Catalog(locale="de")
    compiled.add("Received", "Eingegangen")
    folder = write(tmp_path, catalog(), compiled)
    assert catalog_differences(folder, "de") == [
        "missing from .mo: ('%(n)d exhibit', '%(n)d exhibits')"
    ]


def test_another_plural_rule_is_a_difference(tmp_path: Path) -> None:
    compiled = catalog(locale="pl")
    folder = write(tmp_path, catalog(), compiled)
    assert any(d.startswith("plural rule") for d in catalog_differences(folder, "de"))
