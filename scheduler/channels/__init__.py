"""Notification channels: e-mail, signed webhooks, in-app inbox."""
