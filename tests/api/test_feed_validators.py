"""The remembered validators of served feeds: only while the data's version holds; bounded."""

from __future__ import annotations

from api.feed_validators import FeedValidators, Validators
from tests.conftest import T0


def test_validators_hold_only_for_the_version_they_were_served_at() -> None:
    known = FeedValidators()
    served = Validators(version=("u", 7), etag="abc", last_modified=T0)
    known.remember("dcal_x", served)
    assert known.current("dcal_x", ("u", 7)) == served
    assert known.current("dcal_x", ("u", 8)) is None  # something changed: build again
    assert known.current("dcal_y", ("u", 7)) is None
    assert "dcal_x" not in str(known._known)  # the secret is not kept


def test_the_oldest_feed_is_forgotten_when_full() -> None:
    known = FeedValidators(max_feeds=2)
    for token in ("a", "b", "c"):
        known.remember(token, Validators(version=(token,), etag=token, last_modified=None))
    assert known.current("a", ("a",)) is None
    assert known.current("b", ("b",)) is not None
    assert known.current("c", ("c",)) is not None
