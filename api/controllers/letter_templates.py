"""The organisation's letter templates: the greeting and closing of cover letters per locale."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, put
from litestar.di import NamedDependency
from litestar.openapi.spec import Example
from litestar.params import Body, PathParameter

from api.clock import Clock
from api.guards import needs
from api.openapi_docs import protected
from api.schemas.letter_templates import LetterTemplateRead, LetterTemplateUpdate
from documents.render import supported_locales
from domain.packages import letter_templates
from domain.shared.model import Actor
from domain.shared.permissions import Permission

LetterLocale = Annotated[
    str,
    PathParameter(
        max_length=8,
        pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$",
        description=f"One of {', '.join(supported_locales())}",
        examples=[Example(value="de")],
    ),
]
"""A locale letters are written in, as the catalogs name it."""


class LetterTemplateController(Controller):
    """Read and word the greeting and closing that cover letters in a locale are built with."""

    path = "/api/v1/letter-templates"
    tags = ["Response packages"]

    @get(
        "/{locale:str}",
        operation_id="GetLetterTemplate",
        opt=needs(Permission.PACKAGES_READ),
        responses=protected(422),
    )
    async def get_letter_template(
        self, locale: LetterLocale, actor: NamedDependency[Actor]
    ) -> LetterTemplateRead:
        """The greeting and closing of letters in a locale (its default text until changed)."""
        found = await letter_templates.get_letter_template(locale, actor=actor)
        return LetterTemplateRead.from_domain(found)

    @put(
        "/{locale:str}",
        operation_id="SetLetterTemplate",
        opt=needs(Permission.LETTER_TEMPLATES_MANAGE),
        responses=protected(422),
    )
    async def set_letter_template(
        self,
        locale: LetterLocale,
        data: Annotated[LetterTemplateUpdate, Body(title="Letter template")],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> LetterTemplateRead:
        """Word the greeting and closing; packages built from now on use them."""
        changed = await letter_templates.set_letter_template(
            locale, greeting=data.greeting, closing=data.closing, actor=actor, now=clock.now()
        )
        return LetterTemplateRead.from_domain(changed)
