"""Letter templates over HTTP: read any locale, an admin words one, problems on bad input."""

from __future__ import annotations

from audit import store
from domain.shared.model import Role
from tests.api.helpers import assert_problem, bearer

URL = "/api/v1/letter-templates"
BODY = {"greeting": "Dear Colleagues,\n\nOur answer follows.", "closing": "Kind regards,"}


async def test_reading_a_locale_gives_its_default_until_an_admin_words_it(client) -> None:
    reader = await bearer(Role.SPECIALIST)
    default = await client.get(f"{URL}/en", headers=reader)
    assert default.status_code == 200, default.text
    assert default.json() == {
        "locale": "en",
        "greeting": "Dear Sir or Madam,\n\nWith reference to your request, we respond as follows.",
        "closing": "Yours faithfully,",
        "customised": False,
        "updated_by": "",
        "updated_at": None,
    }
    changed = await client.put(f"{URL}/en", json=BODY, headers=await bearer(Role.ADMIN))
    assert changed.status_code == 200, changed.text
    assert changed.json()["customised"] is True
    assert changed.json()["updated_by"].startswith("token:")
    read = (await client.get(f"{URL}/en", headers=reader)).json()
    assert (read["greeting"], read["closing"]) == (BODY["greeting"], BODY["closing"])
    entries = await store.entries(subject=("letter_template", "en"), limit=10)
    assert [e.action for e in entries] == ["letter_template.changed"]


async def test_only_an_admin_may_change_a_template(client) -> None:
    for role in (Role.SPECIALIST, Role.LEGAL, Role.AUDITOR):
        refused = await client.put(f"{URL}/en", json=BODY, headers=await bearer(role))
        assert_problem(refused, 403, "permission-denied")


async def test_bad_input_is_a_problem_naming_the_field(client) -> None:
    admin = await bearer(Role.ADMIN)
    unknown = await client.put(f"{URL}/xx", json=BODY, headers=admin)
    assert_problem(unknown, 422, "invalid-field")
    assert_problem(await client.get(f"{URL}/xx", headers=admin), 422, "invalid-field")
    control = await client.put(f"{URL}/en", json={**BODY, "closing": "Bye\x07"}, headers=admin)
    assert_problem(control, 400, "validation-failed")
    long = await client.put(f"{URL}/en", json={**BODY, "greeting": "x" * 2001}, headers=admin)
    assert_problem(long, 400, "validation-failed")
    missing = await client.put(f"{URL}/en", json={"greeting": "Hi"}, headers=admin)
    assert_problem(missing, 400, "validation-failed")
    extra = await client.put(f"{URL}/en", json={**BODY, "signature": "x"}, headers=admin)
    assert_problem(extra, 400, "validation-failed")
    assert await store.entries(subject=("letter_template", "en"), limit=10) == []


async def test_the_openapi_document_describes_both_operations_with_examples(client) -> None:
    spec = (await client.get("/schema/openapi.json")).json()
    operations = spec["paths"]["/api/v1/letter-templates/{locale}"]
    assert operations["get"]["operationId"] == "GetLetterTemplate"
    assert operations["put"]["operationId"] == "SetLetterTemplate"
    assert {"400", "403", "422"} <= set(operations["put"]["responses"])
    (locale,) = operations["put"]["parameters"]
    assert locale["schema"]["pattern"]  # a malformed locale is refused before the service
    assert "ar" in locale["description"]
    body = spec["components"]["schemas"]["LetterTemplateUpdate"]
    assert body["properties"]["greeting"]["examples"]
    assert body["properties"]["closing"]["examples"]
