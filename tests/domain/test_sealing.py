"""Who reads a sealed request in full (pure): the assignee, Legal, admins; an outline for others."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from domain.requests.errors import SealedRequestError
from domain.requests.model import Confidentiality
from domain.requests.sealing import SealedOutline, as_seen_by, check_readable, may_read
from domain.requests.urgency import Band
from domain.shared.model import Actor, ActorKind, Role
from tests.conftest import T0
from tests.domain.test_request_fields import FILLED as SAMPLE

ASSIGNEE = uuid.uuid4()
SEALED = replace(SAMPLE, confidentiality=Confidentiality.SEALED, assignee=ASSIGNEE)


def _user(role: Role, ident: uuid.UUID | None = None) -> Actor:
    return Actor(kind=ActorKind.USER, id=ident or uuid.uuid4(), role=role, name="x")


@pytest.mark.parametrize(
    ("actor", "reads"),
    [
        (_user(Role.SPECIALIST, ASSIGNEE), True),
        (_user(Role.LEGAL), True),
        (_user(Role.ADMIN), True),
        (Actor(kind=ActorKind.CLI, id=None, role=Role.ADMIN, name="cli"), True),
        (_user(Role.SPECIALIST), False),
        (_user(Role.AUDITOR), False),
        (Actor(kind=ActorKind.TOKEN, id=ASSIGNEE, role=Role.SPECIALIST, name="t"), False),
    ],
    ids=["assignee", "legal", "admin", "cli", "other-specialist", "auditor", "token"],
)
def test_who_reads_a_sealed_request(actor: Actor, reads: bool) -> None:
    assert may_read(actor, SEALED) is reads
    assert may_read(actor, replace(SEALED, confidentiality=Confidentiality.RESTRICTED))
    seen = as_seen_by(actor, SEALED, T0)
    assert (seen is SEALED) is reads
    if not reads:
        assert isinstance(seen, SealedOutline)
        assert (seen.reference, seen.state, seen.due_at) == (
            SEALED.reference,
            SEALED.state,
            SEALED.due_at,
        )
        assert isinstance(seen.band, Band)
        with pytest.raises(SealedRequestError) as refused:
            check_readable(actor, SEALED)
        assert refused.value.public_fields() == {
            "request_id": str(SEALED.id),
            "reference": SEALED.reference,
        }
