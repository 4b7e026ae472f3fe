"""Administration: the organisation's letter templates, the greeting and closing per locale.

Reads and changes go through the same service as ``GET``/``PUT /api/v1/letter-templates/{locale}``
(one audit entry per change, none for an unchanged save). That service keeps no revision, so
two administrators saving the same locale one after the other both succeed and the later text
stands; the audit entry of each records the text before and after.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from babel import Locale
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from api.errors import problem_for
from api.guards import needs
from api.settings import WebSettings
from api.web.admin_users import recorded_entry
from api.web.i18n import N_
from api.web.pages import page
from documents.render import supported_locales
from domain.identity import users
from domain.identity.sessions import SessionUser
from domain.packages import letter_templates
from domain.shared.clock import Clock
from domain.shared.errors import DocketError, ValidationError
from domain.shared.permissions import Permission

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
MANAGE = needs(Permission.LETTER_TEMPLATES_MANAGE)
SAVED: Final = N_("Saved the letter template for %(name)s; packages built from now on use it.")


def language_name(locale: str) -> str:
    """The locale's name in English, the pages' language ("Portuguese (Brazil)")."""
    return Locale.parse(locale).get_display_name("en") or locale


class AdminLetterTemplatesController(Controller):
    """Administration of the letter templates."""

    path = "/admin/letter-templates"
    include_in_schema = False

    @get("/", opt=MANAGE)
    async def list_templates(
        self,
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Template:
        """Every locale letters are written in, with its greeting and closing."""
        found = [
            await letter_templates.get_letter_template(locale, actor=viewer.actor)
            for locale in supported_locales()
        ]
        return await page(
            "admin_letter_templates.html",
            viewer=viewer,
            clock=clock,
            default_zone=web_settings.time_zone,
            active="admin",
            tab="letters",
            found=[(t, language_name(t.locale)) for t in found],
        )

    async def _form(
        self,
        locale: str,
        viewer: SessionUser,
        clock: Clock,
        web_settings: WebSettings,
        *,
        status_code: int = 200,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        done: tuple[str, str, int | None] | None = None,
    ) -> Template:
        current = await letter_templates.get_letter_template(locale, actor=viewer.actor)
        people = await users.list_users(actor=viewer.actor)
        return await page(
            "admin_letter_template.html",
            viewer=viewer,
            clock=clock,
            default_zone=web_settings.time_zone,
            active="admin",
            status_code=status_code,
            tab="letters",
            letter=current,
            language=language_name(locale),
            changed_by={f"user:{p.id}": p.display_name for p in people}.get(
                current.updated_by, current.updated_by
            ),
            values=values or {"greeting": current.greeting, "closing": current.closing},
            errors=errors or {},
            done=done,
        )

    @get("/{locale:str}", opt=MANAGE)
    async def show(
        self,
        request: Request[object, object, State],
        locale: FromPath[str],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Template:
        """One locale's greeting and closing, in the form that changes them."""
        letter_templates.check_template_locale(locale)
        done = None
        if request.query_params.get("done") == "saved":
            entry = await recorded_entry(
                ("letter_template", locale), "letter_template.changed", viewer.actor
            )
            done = (SAVED, language_name(locale), entry)
        return await self._form(locale, viewer, clock, web_settings, done=done)

    @post("/{locale:str}", opt=MANAGE, status_code=HTTP_303_SEE_OTHER)
    async def save(
        self,
        locale: FromPath[str],
        data: Annotated[dict[str, str], FORM],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Response[Any]:
        """Word the greeting and closing of letters in this locale."""
        letter_templates.check_template_locale(locale)
        values = {k: data.get(k, "") for k in ("greeting", "closing")}
        try:
            await letter_templates.set_letter_template(
                locale, **values, actor=viewer.actor, now=clock.now()
            )
        except DocketError as exc:
            problem = problem_for(exc)
            field = exc.field if isinstance(exc, ValidationError) else "greeting"
            message = exc.message if isinstance(exc, ValidationError) else str(exc)
            return await self._form(
                locale,
                viewer,
                clock,
                web_settings,
                status_code=problem.status if problem else 422,
                errors={field: message},
                values=values,
            )
        return Redirect(
            path=f"/admin/letter-templates/{locale}?done=saved", status_code=HTTP_303_SEE_OTHER
        )
