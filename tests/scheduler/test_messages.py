"""Localized notification texts: every kind in every locale, plurals, dates, escaping, catalogs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from domain.notifications.model import DeliveryKey
from scheduler.channels.base import Notification
from scheduler.messages import KINDS, LOCALES_DIR, SUPPORTED_LOCALES, render_message
from tests.catalogs import catalog_differences

DUE = datetime(2026, 3, 12, 16, 0, tzinfo=UTC)
ALL_KINDS = {
    "request.reminder",
    "request.due",
    "request.overdue",
    "request.escalation",
    "request.ack_due",
    "request.extension_notice_due",
    "request.nondisclosure_ends",
    "hold.notice",
    "hold.reminder",
    "hold.escalation",
    "hold.reaffirmation",
    "hold.release",
    "hold.preservation_expiry",
    "digest.daily",
    "alert.spike",
}


def make(
    kind: str, locale: str = "en", *, due_at: datetime = DUE, **context: object
) -> Notification:
    base: dict[str, object] = {
        "reference": "REQ-2026-000001",
        "matter": "MAT-17",
        "title": "Production order",
        "due": DUE.isoformat(),
        "link": "http://docket.test/x",
        "tz": "Europe/Berlin",
    }
    return Notification(
        key=DeliveryKey(
            subject="request:r1",
            kind=kind,
            due_at=due_at,
            recipient="a@docket.example",
            channel="email",
        ),
        kind=kind,
        subject_type="request",
        subject_id="r1",
        due_at=due_at,
        recipient_email="a@docket.example",
        recipient_user_id=None,
        locale=locale,
        context={**base, **context},
    )


def test_every_kind_of_the_interface_has_a_text() -> None:
    assert ALL_KINDS == KINDS


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize("kind", sorted(ALL_KINDS))
def test_every_kind_renders_subject_text_and_html_in_every_locale(kind: str, locale: str) -> None:
    message = render_message(make(kind, locale, items=[{"reference": "R1", "due": "2026-03-13"}]))
    assert message.subject.startswith("[Docket] ")
    assert "\n" not in message.subject
    assert message.text.strip()
    assert message.html is not None
    lang, direction = locale.replace("_", "-"), "rtl" if locale == "ar" else "ltr"
    assert message.html.startswith(f'<!DOCTYPE html><html lang="{lang}" dir="{direction}">')
    assert "{" not in message.subject + message.text  # no placeholder left unfilled


def test_german_and_french_texts_are_translated_not_english() -> None:
    n = {loc: render_message(make("hold.notice", loc)) for loc in SUPPORTED_LOCALES}
    assert n["en"].subject == "[Docket] Legal hold: MAT-17"
    assert n["de"].subject == "[Docket] Legal Hold: MAT-17"
    assert (
        "Sie müssen alle Dokumente und Daten zur Angelegenheit MAT-17 aufbewahren" in n["de"].text
    )
    assert n["fr"].subject == "[Docket] Conservation légale : MAT-17"
    assert "Ce message a été envoyé automatiquement par Docket." in n["fr"].text


@pytest.mark.parametrize(
    ("before", "locale", "expected"),
    [
        (timedelta(days=1), "en", "is due in 1 day"),
        (timedelta(days=3), "en", "is due in 3 days"),
        (timedelta(hours=4), "en", "is due in 4 hours"),
        (timedelta(hours=1), "en", "is due in 1 hour"),
        (timedelta(days=1), "de", "ist in 1 Tag fällig"),
        (timedelta(days=7), "de", "ist in 7 Tagen fällig"),
        (timedelta(days=1), "fr", "dans 1 jour"),
        (timedelta(days=3), "fr", "dans 3 jours"),
    ],
)
def test_reminders_count_down_with_plural_forms(
    before: timedelta, locale: str, expected: str
) -> None:
    message = render_message(make("request.reminder", locale, due_at=DUE - before))
    assert expected in message.subject


def test_deadlines_are_dates_of_the_recipients_locale_in_the_requests_time_zone() -> None:
    texts = {loc: render_message(make("request.due", loc)).text for loc in SUPPORTED_LOCALES}
    assert "(March 12, 2026, 5:00\u202fPM CET)" in texts["en"]  # CLDR: U+202F before PM
    assert "12. März 2026, 17:00 MEZ" in texts["de"]
    assert "12 mars 2026" in texts["fr"]
    utc = render_message(make("request.due", "de", tz="UTC")).text
    assert "12. März 2026, 16:00 UTC" in utc
    all_day = render_message(make("request.nondisclosure_ends", "de", due="2026-04-01")).subject
    assert all_day == "[Docket] Geheimhaltung zu REQ-2026-000001 endet am 1. April 2026"


def test_overdue_counts_the_days_late() -> None:
    message = render_message(make("request.overdue", "en", due_at=DUE + timedelta(days=2)))
    assert message.subject == "[Docket] Overdue: REQ-2026-000001 is 2 days late"


def test_digest_lists_items_and_counts_them_in_the_plural_of_the_locale() -> None:
    items = [
        {"reference": "REQ-1", "due": "2026-03-13", "title": "A"},
        {"reference": "REQ-2", "due": "2026-03-14T09:00:00+00:00"},
    ]
    de = render_message(make("digest.daily", "de", items=items))
    assert de.subject == "[Docket] Ihre Fristen: 2 Einträge in den nächsten 7 Tagen"
    assert "Morgen\n- REQ-1: 13. März 2026 (A)\n\nSpäter\n- REQ-2: 14. März 2026" in de.text
    assert de.html is not None
    assert "<h2>Morgen</h2><ul><li>REQ-1: 13. März 2026 (A)</li></ul>" in de.html
    one = render_message(make("digest.daily", "en", items=items[:1]))
    assert one.subject == "[Docket] Your deadlines: 1 item in the next 7 days"
    none = render_message(make("digest.daily", "en", items=[]))
    assert "Nothing is due in the next 7 days." in none.text


def test_spike_alert_formats_numbers_in_the_locale() -> None:
    de = render_message(make("alert.spike", "de", source="BaFin", count=12, average=2.5))
    assert de.subject == "[Docket] Auffällig: 12 Ersuchen von BaFin in 7 Tagen"
    assert "2,5" in de.text


def test_values_are_escaped_in_html_and_cannot_break_the_subject_line() -> None:
    evil = '<script>alert("x")</script>'
    message = render_message(
        make("request.due", "en", title=evil, reference="R\r\nBcc: victim@x", link="javascript:x")
    )
    assert message.html is not None
    assert "<script>" not in message.html
    assert "&lt;script&gt;" in message.html
    assert 'href="javascript' not in message.html
    assert "\r" not in message.subject
    assert "\n" not in message.subject


def test_an_unknown_locale_falls_back_to_english_entirely() -> None:
    message = render_message(make("request.due", "sv"))
    assert message.subject == "[Docket] Due now: REQ-2026-000001"
    assert "March 12, 2026" in message.text  # not "12 mars 2026"


def test_a_regional_tag_reads_its_languages_texts_and_formats_for_its_region() -> None:
    brazil = render_message(make("request.due", "pt-BR"))
    assert brazil.subject == "[Docket] Vence agora: REQ-2026-000001"
    assert "12 de março de 2026" in brazil.text
    austria = render_message(make("request.due", "de_AT"))
    assert austria.subject == "[Docket] Jetzt fällig: REQ-2026-000001"
    assert "12. März 2026" in austria.text


def test_times_are_shown_in_the_readers_zone_with_its_abbreviation() -> None:
    berlin = render_message(make("request.due", "en")).text  # the request's zone (as recorded)
    assert "5:00\u202fPM CET" in berlin  # CLDR has no English name: the tz database's
    n = make("request.due", "en")
    for zone, shown in [
        ("America/Los_Angeles", "9:00\u202fAM PDT"),  # DST began on 8 March
        ("Pacific/Auckland", "March 13, 2026, 5:00\u202fAM NZDT"),  # already the next day
        ("Asia/Kolkata", "9:30\u202fPM IST"),
        ("America/Sao_Paulo", "1:00\u202fPM -0300"),  # no letters anywhere: the offset
    ]:
        text = render_message(replace(n, time_zone=zone)).text
        assert shown in text, (zone, text)


def test_an_unknown_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown notification kind"):
        render_message(make("request.nonsense"))


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_the_committed_mo_says_what_the_po_says(locale: str) -> None:
    folder = LOCALES_DIR / locale / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=locale)
    assert catalog_differences(folder, locale) == [], (
        f"run: pybabel compile -d {LOCALES_DIR.relative_to(LOCALES_DIR.parents[1])}"
    )
    untranslated = [m.id for m in catalog if m.id and not m.string]
    assert untranslated == []


def test_every_message_in_the_template_is_in_every_catalog() -> None:
    with (LOCALES_DIR / "messages.pot").open("rb") as pot:
        template = {m.id for m in read_po(pot) if m.id}
    for locale in SUPPORTED_LOCALES:
        with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
            assert {m.id for m in read_po(po) if m.id} == template, locale


def test_the_template_has_every_message_of_the_source() -> None:
    extracted = {
        message
        for name in ("messages.py", "message_texts.py")
        for _, message, _, _ in extract_from_file("python", str(LOCALES_DIR.parent / name))
    }
    with (LOCALES_DIR / "messages.pot").open("rb") as pot:
        template = {m.id for m in read_po(pot) if m.id}
    assert extracted == template, "run pybabel extract (see scheduler/locales/babel.cfg)"
