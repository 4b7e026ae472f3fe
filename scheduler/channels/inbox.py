"""The in-app inbox channel: a notification for a Docket user becomes a message in their inbox."""

from __future__ import annotations

from collections.abc import Sequence

from domain.notifications import inbox
from domain.notifications.model import NewInboxMessage
from domain.shared.clock import Clock
from scheduler.channels.base import DeliveryError, Notification, RenderedMessage, SendOutcome

NOT_A_USER = "the inbox is only for Docket users"


class InboxChannel:
    """Write inbox rows; once per notification key, so a retried send adds nothing."""

    name = "inbox"

    def __init__(self, *, clock: Clock) -> None:
        """Bind the clock that dates the messages."""
        self.clock = clock

    async def send(self, notification: Notification, message: RenderedMessage) -> None:
        """Put the message in the recipient's inbox.

        Raises:
            DeliveryError: (not retryable) when the recipient is not a Docket user.
        """
        if notification.recipient_user_id is None:
            raise DeliveryError(NOT_A_USER, retryable=False)
        link = notification.context.get("link")
        await inbox.deliver(
            user_id=notification.recipient_user_id,
            key=notification.key,
            kind=notification.kind,
            subject=message.subject,
            text=message.text,
            link=link if isinstance(link, str) else "",
            now=self.clock.now(),
        )

    async def send_many(
        self, items: Sequence[tuple[Notification, RenderedMessage]]
    ) -> list[SendOutcome]:
        """Put several messages in their recipients' inboxes in one write.

        A recipient who is not a Docket user gets the same (not retryable) failure as from
        ``send``; the others are written together, each once per key.
        """
        outcomes: list[SendOutcome] = []
        messages = []
        for n, message in items:
            if n.recipient_user_id is None:
                outcomes.append(DeliveryError(NOT_A_USER, retryable=False))
                continue
            outcomes.append(None)
            link = n.context.get("link")
            messages.append(
                NewInboxMessage(
                    user_id=n.recipient_user_id,
                    key=n.key,
                    kind=n.kind,
                    subject=message.subject,
                    text=message.text,
                    link=link if isinstance(link, str) else "",
                )
            )
        await inbox.deliver_many(messages, now=self.clock.now())
        return outcomes
