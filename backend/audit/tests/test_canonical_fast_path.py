"""The fast canonical form is byte-identical to RFC 8785 (the rfc8785 package) wherever it is used."""

import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from tradefin_verifier.hashing import _plain, canonical_payload

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.text(alphabet=st.characters(codec="utf-8"), max_size=12), children, max_size=6),
    ),
    max_leaves=40,
)


@settings(max_examples=600, deadline=None)
@given(st.dictionaries(st.text(alphabet=st.characters(codec="utf-8"), max_size=12), documents, max_size=6))
def test_fast_path_equals_rfc8785(payload):
    assert canonical_payload(payload) == rfc8785.dumps(payload)


def test_values_that_need_rfc8785_take_the_slow_path():
    for payload in ({"x": 1.5}, {"\U0001f600": 1, "\uffff": 2}):
        assert not _plain(payload)
        assert canonical_payload(payload) == rfc8785.dumps(payload)
    assert not _plain({"x": 2**60})  # beyond what RFC 8785 represents exactly: refused by both paths


def test_key_order_follows_utf16_code_units_where_it_differs_from_code_points():
    payload = {"\U0001f600": "emoji", "\uff01": "fullwidth"}
    canonical = canonical_payload(payload)
    # UTF-16 puts the surrogate pair (0xD83D...) before U+FF01; code-point order would not.
    assert canonical.index("\U0001f600".encode()) < canonical.index("\uff01".encode())
    assert canonical == rfc8785.dumps(payload)
