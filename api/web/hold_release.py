"""Release a hold from the pages: as a whole, one custodian, or one data source, with a reason.

Before anything happens the page says what the release would leave behind (from
``domain.holds.release_check``, the same read the API's release check answers): a preservation
request's period that still runs, and the other holds that keep preserving the items. The
release is then confirmed on that page, and when there is something to warn of, the warning
must be ticked as read; the same services as the API's release steps do the rest.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, Response, Router, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from api.guards import needs
from api.settings import WebSettings
from api.web.hold_forms import HoldFormController, back_to_hold
from api.web.hold_page import HoldPageController
from api.web.holds_list import HoldsListController
from api.web.pages import page
from api.web.request_forms import FORM, PASS_THROUGH, read_version
from api.web.request_page import error_text, status_of
from domain.holds import queries as hold_queries
from domain.holds import service as holds
from domain.holds.release_check import ReleaseWarnings, release_warnings
from domain.holds.workflow import HoldAction
from domain.identity.sessions import SessionUser
from domain.shared.clock import Clock
from domain.shared.errors import (
    DocketError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from domain.shared.model import AuditAction
from domain.shared.permissions import Permission

ACTIONS = {
    HoldAction.RELEASE: AuditAction.HOLD_RELEASED,
    HoldAction.RELEASE_CUSTODIAN: AuditAction.HOLD_CUSTODIAN_RELEASED,
    HoldAction.RELEASE_DATA_SOURCE: AuditAction.HOLD_DATA_SOURCE_RELEASED,
}


def _step(custodian: str, data_source: str) -> HoldAction:
    if custodian:
        return HoldAction.RELEASE_CUSTODIAN
    return HoldAction.RELEASE_DATA_SOURCE if data_source else HoldAction.RELEASE


async def _release_page(
    hold_id: UUID,
    *,
    custodian: str,
    data_source: str,
    viewer: SessionUser,
    clock: Clock,
    web_settings: WebSettings,
    errors: dict[str, str] | None = None,
    reason: str = "",
    status_code: int = 200,
) -> Template:
    """The release's page: what goes, what it leaves behind, the reason and the confirmation."""
    hold = await hold_queries.get_hold(hold_id, actor=viewer.actor)
    step = _step(custodian, data_source)
    offered = step in hold_queries.available_actions(hold, viewer.user.role)
    warnings: ReleaseWarnings | None = None
    problem = ""
    if offered:
        try:
            warnings = await release_warnings(
                hold_id,
                actor=viewer.actor,
                now=clock.now(),
                custodian=custodian or None,
                data_source=data_source or None,
            )
        except (NotFoundError, PermissionDeniedError):
            raise
        except DocketError as exc:  # released already, or not SYSTEM:ID
            problem, status_code = error_text(exc), status_of(exc)
    else:
        status_code = 409
    return await page(
        "hold_release.html",
        viewer=viewer,
        clock=clock,
        default_zone=web_settings.time_zone,
        active="holds",
        status_code=status_code,
        hold=hold,
        step=step.value,
        offered=offered and warnings is not None,
        problem=problem,
        warnings=warnings,
        custodian=custodian,
        data_source=data_source,
        errors=errors or {},
        reason=reason,
    )


def _field_of(exc: DocketError) -> str:
    """Where the page shows a refusal: beside the reason, or above the button."""
    return "reason" if isinstance(exc, ValidationError) and exc.field == "reason" else "release"


class HoldReleaseController(Controller):
    """Release a legal hold, or part of it, from the pages."""

    path = "/holds/{hold_id:uuid}/release"
    include_in_schema = False

    @get("/", opt=needs(Permission.HOLDS_MANAGE))
    async def confirm(
        self,
        *,
        hold_id: FromPath[UUID],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        custodian: FromQuery[str] = "",
        data_source: FromQuery[str] = "",
    ) -> Template:
        """What releasing would leave behind, and the form that confirms it."""
        return await _release_page(
            hold_id,
            custodian=custodian.strip(),
            data_source=data_source.strip(),
            viewer=viewer,
            clock=clock,
            web_settings=web_settings,
        )

    @post("/", opt=needs(Permission.HOLDS_MANAGE), status_code=HTTP_303_SEE_OTHER)
    async def release(
        self,
        *,
        hold_id: FromPath[UUID],
        data: Annotated[dict[str, str], FORM],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Response[Any]:
        """Release, once confirmed (and, when there is something to warn of, once it is read)."""
        custodian = data.get("custodian", "").strip()
        data_source = data.get("data_source", "").strip()
        reason = data.get("reason", "")
        again = {"custodian": custodian, "data_source": data_source}
        if data.get("confirmed") != "yes":
            query = urlencode({k: v for k, v in again.items() if v})
            return Redirect(
                path=f"/holds/{hold_id}/release" + (f"?{query}" if query else ""),
                status_code=HTTP_303_SEE_OTHER,
            )
        step = _step(custodian, data_source)
        try:
            warnings = await release_warnings(
                hold_id,
                actor=viewer.actor,
                now=clock.now(),
                custodian=custodian or None,
                data_source=data_source or None,
            )
            if warnings.any and data.get("understood") != "yes":
                return await _release_page(
                    hold_id,
                    **again,
                    viewer=viewer,
                    clock=clock,
                    web_settings=web_settings,
                    errors={"understood": "Tick this to confirm you have read the warnings."},
                    reason=reason,
                    status_code=422,
                )
            version = read_version(data.get("version", ""))
            now = clock.now()
            if step is HoldAction.RELEASE_CUSTODIAN:
                await holds.release_custodian(
                    hold_id,
                    custodian,
                    expected_version=version,
                    actor=viewer.actor,
                    now=now,
                    reason=reason,
                )
            elif step is HoldAction.RELEASE_DATA_SOURCE:
                await holds.release_data_source(
                    hold_id,
                    data_source,
                    expected_version=version,
                    actor=viewer.actor,
                    now=now,
                    reason=reason,
                )
            else:
                await holds.release_hold(
                    hold_id, expected_version=version, actor=viewer.actor, now=now, reason=reason
                )
        except PASS_THROUGH:
            raise
        except DocketError as exc:
            return await _release_page(
                hold_id,
                **again,
                viewer=viewer,
                clock=clock,
                web_settings=web_settings,
                errors={_field_of(exc): error_text(exc)},
                reason=reason,
                status_code=status_of(exc),
            )
        return await back_to_hold(hold_id, viewer, ACTIONS[step])


def hold_pages_router() -> Router:
    """Every page of legal holds: the list, a hold, its forms, its release."""
    return Router(
        path="/",
        route_handlers=[
            HoldsListController,
            HoldPageController,
            HoldFormController,
            HoldReleaseController,
        ],
    )
