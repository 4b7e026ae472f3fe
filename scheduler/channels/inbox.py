"""The in-app inbox channel: a notification for a Docket user becomes a message in their inbox."""

from __future__ import annotations

from domain.notifications import inbox
from domain.shared.clock import Clock
from scheduler.channels.base import DeliveryError, Notification, RenderedMessage


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
            raise DeliveryError("the inbox is only for Docket users", retryable=False)
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
