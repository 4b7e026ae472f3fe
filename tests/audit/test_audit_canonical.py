"""RFC 8785 canonical JSON: serialization and the strict parser."""

from __future__ import annotations

import pytest

from audit.canonical import NonCanonicalJsonError, canonical_json, parse_canonical


# RFC 8785 §3.2.3 sorting and §3.2.2.2 string escapes: `python -c 'import rfc8785; ...'`
@pytest.mark.parametrize(
    ("value", "want"),
    [
        ({"b": 1, "a": [True, None, 1.5]}, b'{"a":[true,null,1.5],"b":1}'),
        (
            {"\u20ac": 1, "\r": 2, "\ufb33": 3, "1": 4},
            '{"\\r":2,"1":4,"\u20ac":1,"\ufb33":3}'.encode(),
        ),
        ("\u0007\b\u001f\u2028", b'"\\u0007\\b\\u001f\xe2\x80\xa8"'),
        (1e21, b"1e+21"),
        (-0.0, b"0"),
    ],
)
def test_canonical_known_answers(value: object, want: bytes) -> None:
    assert canonical_json(value) == want  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [2**53, float("nan"), "\ud800"])
def test_values_outside_i_json_are_rejected(value: object) -> None:
    with pytest.raises(NonCanonicalJsonError):
        canonical_json(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "data",
    [
        b'{"b":1,"a":2}',
        b'{"a": 1}',
        b'{"a":1,"a":1}',
        b"1.0",
        b'"\\u0061"',
        b"NaN",
        b"\xff",
        b"{",
        b'{"a":1} ',
    ],
)
def test_non_canonical_bytes_are_rejected(data: bytes) -> None:
    with pytest.raises(NonCanonicalJsonError):
        parse_canonical(data)


def test_canonical_bytes_parse() -> None:
    assert parse_canonical(b'{"a":[true,null,1.5],"b":1}') == {"a": [True, None, 1.5], "b": 1}
