from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError

from domain.identity import passwords
from domain.identity.passwords import (
    DUMMY_HASH,
    hash_parameters_are_current,
    hash_password,
    verify_password,
)


def test_the_dummy_hash_is_a_valid_argon2id_hash_with_the_current_parameters() -> None:
    # an unknown e-mail is checked against it: with other parameters it would take another
    # time than a wrong password, and tell the two apart
    assert DUMMY_HASH.startswith("$argon2id$")
    assert hash_parameters_are_current(DUMMY_HASH)
    assert not passwords._HASHER.check_needs_rehash(DUMMY_HASH)


def test_a_hash_made_with_other_parameters_is_not_current() -> None:
    cheaper = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    assert not hash_parameters_are_current(cheaper.hash("some password"))


def test_a_malformed_hash_is_refused_by_the_parameter_check() -> None:
    with pytest.raises(InvalidHashError):
        hash_parameters_are_current("$argon2id$not-a-hash")


def test_an_unknown_user_never_matches_even_with_the_dummy_password() -> None:
    assert not verify_password(None, "docket-dummy-password-never-matches")
    assert not verify_password(None, "anything")


def test_a_hashed_password_verifies_and_a_wrong_one_does_not() -> None:
    stored = hash_password("correct horse battery")
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "wrong horse battery")
