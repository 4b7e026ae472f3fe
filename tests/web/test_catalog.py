"""The web pages' catalog template holds exactly the words the pages show.

Translating the pages starts from ``api/locales/messages.pot``; a word added to a template or a
label table without being extracted would stay English in every translation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from api.web.i18n import LOCALES
from api.web.inbox import KIND_LABELS
from api.web.queue import TAB_LABELS
from api.web.request_labels import EVENT_LABELS
from api.web.request_labels import FIELD_LABELS as FORM_LABELS
from api.web.request_view import ACTION_LABELS, CONFIRMATIONS, FIELD_LABELS
from api.web.templating import BAND_WORDS


def template_ids() -> set[str | tuple[str, ...]]:
    with (LOCALES / "messages.pot").open("rb") as f:
        return {m.id for m in read_po(f) if m.id}


def extracted_ids() -> set[str | tuple[str, ...]]:
    with (LOCALES / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = extract_from_dir(LOCALES.parent, method_map, options_map)
    return {message for _, _, message, _, _ in found}


def test_the_template_holds_exactly_the_messages_in_the_pages() -> None:
    assert template_ids() == extracted_ids()


TABLES: Mapping[str, Mapping[object, str]] = {
    "kinds": KIND_LABELS,
    "tabs": TAB_LABELS,
    "events": EVENT_LABELS,
    "form fields": FORM_LABELS,
    "request fields": FIELD_LABELS,
    "steps": ACTION_LABELS,
    "confirmations": CONFIRMATIONS,
    "bands": BAND_WORDS,
}


@pytest.mark.parametrize("name", TABLES)
def test_every_word_kept_in_python_is_in_the_catalog(name: str) -> None:
    words: Iterable[str] = TABLES[name].values()
    missing = sorted(set(words) - template_ids())
    assert missing == [], f"mark these {name} with N_() and re-extract: {missing}"


def test_the_check_sees_a_word_that_was_not_extracted() -> None:
    assert "A word no page shows" not in template_ids()
    assert "Mine" in template_ids()
