"""The composition root: the parts the API, the ``docket`` commands and the worker are built from.

``Composition(settings, clock=…)`` turns settings into what Docket's processes share: the rule
book, the audit log's origin and signer (``open_audit_log``, once the database is connected),
the auth and hold policies, the acknowledgement key, the package signing identity, the blob
store, and the reminder sweep's channels and jobs. Each part is built on first
use and then kept, so a command builds only what it needs (``docket audit vkey`` parses no rule
pack and writes no demo CA). No Litestar here: ``api.app`` hands these parts to handlers as typed
dependencies.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from datetime import timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Final

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from api.clock import Clock, SystemClock
from api.feed_validators import FeedValidators
from api.oidc_client import OidcClient, client_for
from api.rate_limit import RateLimiter
from api.settings import ConfigError, Settings, SmtpSecurity
from domain import audit_log, deadlines
from domain.audit_log import LogIdentity
from domain.holds.ack_links import ack_key
from domain.holds.identifiers import IdentifierRules
from domain.holds.notice_plan import HoldPolicy
from domain.identity.auth import AuthPolicy
from domain.identity.passwords import PasswordChecks
from domain.shared import database
from domain.shared.blobs import BlobStore
from scheduler.channels.base import Channel
from scheduler.channels.email import EmailChannel, Security, SmtpConfig
from scheduler.channels.inbox import InboxChannel
from scheduler.channels.webhook import WebhookChannel
from scheduler.runner import CheckpointJob, SweepJob, start_scheduler
from scheduler.sweep_plan import SweepPolicy

if TYPE_CHECKING:
    from domain.packages.review import SigningIdentity

_SMTP_SECURITY: Final[Mapping[SmtpSecurity, Security]] = {
    SmtpSecurity.STARTTLS: "starttls",
    SmtpSecurity.SSL: "ssl",
    SmtpSecurity.NONE: "none",
}


class Composition:
    """Docket's shared parts, each built once from ``settings`` and ``clock`` on first use."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        rulebook: deadlines.RuleBook | None = None,
    ) -> None:
        """Bind settings and the clock; ``rulebook`` saves parsing the rule packs again (tests)."""
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self._given_rulebook = rulebook
        self._audit_log: LogIdentity | None = None

    def connected(self, *, pool: bool = True) -> AbstractAsyncContextManager[object]:
        """The database, connected for the duration (``pool=False``: a connection per query)."""
        return database.connected(self.settings.database.url, pool=pool)

    @cached_property
    def oidc_client(self) -> OidcClient | None:
        """The single sign-on provider's client; None while DOCKET_OIDC_ISSUER is unset."""
        return client_for(self.settings.oidc, self.settings.server.base_url)

    @cached_property
    def rulebook(self) -> deadlines.RuleBook:
        """Every jurisdiction's rule pack, with the organisation's targets set.

        Raises:
            ConfigError: a target names an unknown rule or one whose period the law sets.
        """
        book = self._given_rulebook or deadlines.load()
        try:
            return deadlines.with_targets(book, self.settings.deadlines.targets)
        except deadlines.TargetError as exc:
            raise ConfigError([f"DOCKET_RULE_TARGETS: {exc}"]) from None

    async def open_audit_log(self) -> LogIdentity:
        """The audit log's stored origin and its signer, checked once (the database connected).

        The signer is DOCKET_AUDIT_KEY_FILE, else ``<data dir>/audit_key``, generated only for
        a log that has no checkpoint yet.

        Raises:
            OriginMismatchError, KeyMissingError, KeyFileError: see ``audit_log.open_log``.
        """
        if self._audit_log is None:
            audit = self.settings.audit
            self._audit_log = await audit_log.open_log(
                self.settings.proposed_audit_origin,
                configured=bool(audit.origin),
                key_file=audit.key_file,
                data_dir=self.settings.storage.data_dir,
                now=self.clock.now(),
            )
        return self._audit_log

    @cached_property
    def auth_policy(self) -> AuthPolicy:
        """What logins and access tokens run under."""
        auth = self.settings.auth
        return AuthPolicy(
            secret_key=auth.secret_key.value,
            access_token_ttl=auth.access_token_ttl,
            max_failures=auth.login_max_failures,
            lockout_seconds=auth.login_lockout_seconds,
            password_checks=PasswordChecks(auth.password_hash_concurrency),
        )

    @cached_property
    def calendar_limiter(self) -> RateLimiter:
        """Fetches of each calendar feed URL a minute, counted in this process."""
        return RateLimiter(self.settings.reminders.calendar_max_per_minute)

    @cached_property
    def feed_validators(self) -> FeedValidators:
        """The calendar feeds this process served last, so that a 304 builds nothing."""
        return FeedValidators()

    @cached_property
    def hold_policy(self) -> HoldPolicy:
        """How often custodians hear about a hold."""
        holds = self.settings.holds
        return HoldPolicy(
            reminder_every=timedelta(days=holds.reminder_days),
            escalate_after=timedelta(days=holds.escalate_days),
            reaffirm_every=timedelta(days=holds.reaffirm_days),
            link_valid_for=timedelta(days=holds.ack_link_days),
        )

    @cached_property
    def identifier_rules(self) -> IdentifierRules:
        """How the preservation check compares identifiers."""
        holds = self.settings.holds
        return IdentifierRules(
            email_local_part_case_insensitive=holds.email_local_part_case_insensitive,
            case_sensitive_systems=frozenset(holds.case_sensitive_systems),
        )

    @cached_property
    def ack_key(self) -> bytes:
        """The key of custodians' acknowledgement links, derived from the secret key."""
        return ack_key(self.settings.auth.secret_key.value)

    @cached_property
    def signing_identity(self) -> SigningIdentity:
        """Who signs approved packages: DOCKET_SIGNING_CERT/KEY, else the demo CA's leaf.

        Raises:
            ConfigError: the files cannot be read, are not PEM, or do not belong together.
        """
        # imported here: pyhanko is slow to load and warns on stderr, and only approvals sign
        from domain.packages.review import SigningError, load_signing_identity  # noqa: PLC0415

        packages = self.settings.packages
        try:
            return load_signing_identity(
                packages.signing_cert,
                packages.signing_key,
                data_dir=self.settings.storage.data_dir,
                organisation=packages.organisation,
                now=self.clock.now(),
            )
        except SigningError as exc:
            raise ConfigError([f"DOCKET_SIGNING_CERT/DOCKET_SIGNING_KEY: {exc}"]) from None

    @cached_property
    def blobs(self) -> BlobStore:
        """Attachments and package PDFs, stored under their SHA-256."""
        return BlobStore(self.settings.storage.blob_root)

    @cached_property
    def channels(self) -> tuple[Channel, ...]:
        """E-mail (SMTP, or the outbox without a host), the inbox, and the webhook if one is set."""
        mail, webhooks = self.settings.mail, self.settings.webhooks
        smtp = SmtpConfig(
            host=mail.host,
            port=mail.port,
            security=_SMTP_SECURITY[mail.security],
            username=mail.username,
            password=mail.password.value,
            sender=mail.sender,
            timeout=float(mail.timeout),
        )
        email, inbox = EmailChannel(smtp, clock=self.clock), InboxChannel(clock=self.clock)
        if not webhooks.url:
            return (email, inbox)
        return (email, inbox, WebhookChannel(webhooks.url, webhooks.secret.value, clock=self.clock))

    @cached_property
    def sweep_policy(self) -> SweepPolicy:
        """The reminder sweep's knobs."""
        reminders = self.settings.reminders
        return SweepPolicy(
            base_url=self.settings.server.base_url,
            escalate_after=timedelta(hours=reminders.escalate_after_hours),
            digest_hour=reminders.digest_hour,
            spike_factor=reminders.spike_factor,
            spike_min_count=reminders.spike_min_count,
            max_attempts=reminders.delivery_max_attempts,
            locale=reminders.locale,
            time_zone=self.settings.web.time_zone,
            ack_key=self.ack_key,
            hold_policy=self.hold_policy,
        )

    @cached_property
    def sweep_job(self) -> SweepJob:
        """One reminder sweep as of the clock's now."""
        return SweepJob(
            channels=self.channels,
            rulebook=self.rulebook,
            policy=self.sweep_policy,
            clock=self.clock,
        )

    @cached_property
    def checkpoint_job(self) -> CheckpointJob:
        """One checkpoint signing, if the audit log grew."""
        return CheckpointJob(self.open_audit_log, self.clock)

    def start_scheduler(self) -> AsyncIOScheduler:
        """Run the sweep and checkpoint signing on their intervals, on the running event loop."""
        return start_scheduler(
            self.checkpoint_job,
            interval_seconds=self.settings.audit.checkpoint_interval,
            sweep=self.sweep_job,
            sweep_interval=self.settings.reminders.sweep_interval,
        )
