"""Demo data for a new database: authorities across jurisdictions and requests in every state.

Everything goes through the real services and workflow steps, so each request has its audit
entries. The choices are drawn from a fixed seed; only ``now`` varies between runs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from domain import deadlines
from domain.identity import users
from domain.identity.model import User
from domain.requests import authorities
from domain.requests import queries as request_queries
from domain.requests import service as requests
from domain.requests.fields import DataScope, Identifier, IdentifierType, RequestRecord
from domain.requests.model import (
    Authority,
    AuthorityType,
    Channel,
    DsaBasis,
    Instrument,
    Priority,
    RegulatoryRequest,
    RequestKind,
)
from domain.requests.records import NewRequest
from domain.requests.workflow import RequestAction, RequestState
from domain.shared.errors import DocketError
from domain.shared.model import Actor, Role

SEED: Final = 20260302
REQUESTS_PER_STATE: Final = 4
A, S = RequestAction, RequestState

AUTHORITIES: Final = (
    ("Ofcom", "GB", AuthorityType.REGULATOR, "GB/uk-gdpr.rights-request"),
    ("Bundeskriminalamt", "DE", AuthorityType.POLICE, "EU/dsa.art10-order"),
    ("Arcom", "FR", AuthorityType.REGULATOR, "EU/dsa.art9-order"),
    ("Coimisiún na Meán", "IE", AuthorityType.REGULATOR, "EU/dsa.art9-order"),
    ("Politie Nederland", "NL", AuthorityType.POLICE, "EU/dsa.art10-order"),
    ("Audiencia Nacional", "ES", AuthorityType.COURT, "EU/dsa.art10-order"),
    ("Procura della Repubblica di Milano", "IT", AuthorityType.PROSECUTOR, "EU/dsa.art9-order"),
    (
        "Agencja Bezpieczeństwa Wewnętrznego",
        "PL",
        AuthorityType.NATIONAL_SECURITY,
        "EU/dsa.art10-order",
    ),
    ("Federal Bureau of Investigation", "US", AuthorityType.POLICE, "US/subpoena"),
    ("Supremo Tribunal Federal", "BR", AuthorityType.COURT, "BR/lgpd.access-complete"),
    (
        "Ministry of Electronics and IT",
        "IN",
        AuthorityType.OTHER_EXECUTIVE,
        "IN/it-rules.takedown-order",
    ),
    ("eSafety Commissioner", "AU", AuthorityType.REGULATOR, "AU/osa.removal-notice"),
)
"""Name, country, type, and the rule their requests usually come under."""

CLOCK_STOP_RULE: Final = "GB/uk-gdpr.rights-request"
"""The rule a request awaiting clarification is logged under (its clock may stop)."""

_TO_DRAFTING: Final = (A.TRIAGE, A.START, A.START_DRAFTING)
PATHS: Final[dict[RequestState, tuple[RequestAction, ...]]] = {
    S.RECEIVED: (),
    S.TRIAGED: (A.TRIAGE,),
    S.IN_PROGRESS: (A.TRIAGE, A.START),
    S.AWAITING_CLARIFICATION: (A.TRIAGE, A.START, A.REQUEST_CLARIFICATION),
    S.DRAFTING: _TO_DRAFTING,
    S.IN_LEGAL_REVIEW: (*_TO_DRAFTING, A.SUBMIT_FOR_REVIEW),
    S.APPROVED: (*_TO_DRAFTING, A.SUBMIT_FOR_REVIEW, A.APPROVE),
    S.SENT: (*_TO_DRAFTING, A.SUBMIT_FOR_REVIEW, A.APPROVE, A.SEND),
    S.CLOSED: (*_TO_DRAFTING, A.SUBMIT_FOR_REVIEW, A.APPROVE, A.SEND, A.CLOSE),
    S.REJECTED: (A.TRIAGE, A.REJECT),
    S.WITHDRAWN: (A.WITHDRAW,),
    S.REOPENED: (A.TRIAGE, A.REJECT, A.REOPEN),
}
"""The workflow steps that bring a new request into each state."""
LEGAL_STEPS: Final = frozenset({A.APPROVE, A.SEND_BACK, A.REOPEN})


@dataclass(frozen=True, slots=True)
class DemoData:
    """What was seeded (empty when the database was not new)."""

    authorities: list[Authority]
    requests: list[RegulatoryRequest]


def _kind_for(rule_id: str) -> tuple[RequestKind, Instrument, DsaBasis]:
    if "art9" in rule_id or "removal" in rule_id or "takedown" in rule_id:
        basis = DsaBasis.ART9 if rule_id.startswith("EU/") else DsaBasis.NONE
        return RequestKind.CONTENT_ACTION, Instrument.REMOVAL_ORDER, basis
    if "art10" in rule_id:
        return RequestKind.USER_DATA, Instrument.PRODUCTION_ORDER, DsaBasis.ART10
    if "subpoena" in rule_id:
        return RequestKind.USER_DATA, Instrument.SUBPOENA, DsaBasis.NONE
    return RequestKind.USER_DATA, Instrument.INFORMATION_REQUEST, DsaBasis.NONE


def _new_request(
    rng: random.Random, authority: Authority, rule_id: str, assignee: User, now: datetime
) -> NewRequest:
    kind, instrument, basis = _kind_for(rule_id)
    handle = f"@user{rng.randrange(1000, 9999)}"
    return NewRequest(
        authority_id=authority.id,
        rule_id=rule_id,
        received_at=now - timedelta(days=rng.randrange(0, 90), hours=rng.randrange(0, 24)),
        channel=rng.choice(list(Channel)),
        kind=kind,
        instrument=instrument,
        dsa_basis=basis,
        summary=f"{kind.value.replace('_', ' ').capitalize()} about {handle}",
        authority_reference=f"{authority.country}-{rng.randrange(10000, 99999)}",
        priority=rng.choice(list(Priority)),
        tags=(authority.country.lower(),),
        assignee=assignee.id,
        emergency=rng.random() < 0.1,  # noqa: PLR2004 - about one in ten
        record=RequestRecord(
            service=rng.choice(["Social network", "Messaging", "Marketplace"]),
            identifiers=(Identifier(IdentifierType.ACCOUNT, handle),),
            data_scope=None if kind is RequestKind.CONTENT_ACTION else DataScope.NON_CONTENT,
            mlat=authority.country == "US" and rng.random() < 0.3,  # noqa: PLR2004
        ),
    )


async def _walk(
    book: deadlines.RuleBook,
    reg_request: RegulatoryRequest,
    path: tuple[RequestAction, ...],
    *,
    specialist: Actor,
    lawyer: Actor,
    now: datetime,
) -> RegulatoryRequest:
    for action in path:
        reg_request = await requests.transition(
            book,
            reg_request.id,
            action,
            expected_version=reg_request.version,
            actor=lawyer if action in LEGAL_STEPS else specialist,
            now=now,
        )
    return reg_request


async def seed_demo_data(book: deadlines.RuleBook, *, actor: Actor, now: datetime) -> DemoData:
    """Seed authorities and about fifty requests, only when there are neither yet.

    The casework is done as the active specialist and lawyer; nothing is seeded without them.
    """
    if await authorities.list_authorities(actor=actor) or await request_queries.has_requests():
        return DemoData([], [])
    people = [u for u in await users.list_users(actor=actor) if u.is_active]
    by_role = {u.role: u for u in reversed(people)}
    if Role.SPECIALIST not in by_role or Role.LEGAL not in by_role:
        return DemoData([], [])
    assignees = [u for u in people if u.role in requests.ASSIGNABLE_ROLES]
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    made = [
        await authorities.create_authority(
            authorities.NewAuthority(name=name, country=country, type=kind, verified=True),
            actor=actor,
            now=now,
        )
        for name, country, kind, _ in AUTHORITIES
    ]
    usual_rule = {a.id: rule for a, (*_, rule) in zip(made, AUTHORITIES, strict=True)}
    seeded: list[RegulatoryRequest] = []
    for state, path in PATHS.items():
        for _ in range(REQUESTS_PER_STATE):
            authority = made[0] if state is S.AWAITING_CLARIFICATION else rng.choice(made)
            rule_id = CLOCK_STOP_RULE if authority is made[0] else usual_rule[authority.id]
            new = _new_request(rng, authority, rule_id, rng.choice(assignees), now)
            try:
                logged = await requests.log_request(
                    book, new, actor=by_role[Role.SPECIALIST].as_actor(), now=now
                )
            except DocketError:  # a rule that needs more than a receipt time: leave it out
                continue
            seeded.append(
                await _walk(
                    book,
                    logged,
                    path,
                    specialist=by_role[Role.SPECIALIST].as_actor(),
                    lawyer=by_role[Role.LEGAL].as_actor(),
                    now=now,
                )
            )
    return DemoData(made, seeded)
