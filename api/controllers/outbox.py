"""Admin: mail kept in the outbox (no SMTP server configured) and the webhook delivery log."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from api.guards import needs
from api.openapi_docs import protected
from api.query_params import Cursor
from api.schemas.outbox import (
    OutboxList,
    OutboxMailRead,
    WebhookDeliveryList,
    WebhookDeliveryRead,
)
from domain.notifications import outbox as mail_outbox
from domain.shared.model import Actor
from domain.shared.permissions import Permission


class OutboxController(Controller):
    """Read what the notification channels did."""

    path = "/api/v1"
    tags = ["Notifications"]

    @get(
        "/outbox",
        operation_id="ListOutbox",
        opt=needs(Permission.OUTBOX_READ),
        responses=protected(422),
    )
    async def list_outbox(
        self,
        *,
        actor: NamedDependency[Actor],
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        cursor: Cursor = None,
    ) -> OutboxList:
        """Mail kept instead of sent (no SMTP server configured), newest first."""
        page = await mail_outbox.list_outbox(actor=actor, limit=limit, cursor=cursor)
        return OutboxList(
            items=[OutboxMailRead.from_domain(m) for m in page.items],
            next_cursor=page.next_cursor,
        )

    @get(
        "/webhook-deliveries",
        operation_id="ListWebhookDeliveries",
        opt=needs(Permission.OUTBOX_READ),
        responses=protected(422),
    )
    async def list_webhook_deliveries(
        self,
        *,
        actor: NamedDependency[Actor],
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        cursor: Cursor = None,
    ) -> WebhookDeliveryList:
        """Every attempt to POST a notification to the webhook receiver, newest first."""
        page = await mail_outbox.list_webhook_deliveries(actor=actor, limit=limit, cursor=cursor)
        return WebhookDeliveryList(
            items=[WebhookDeliveryRead.from_domain(a) for a in page.items],
            next_cursor=page.next_cursor,
        )
