"""The JSON helpers every stage stores through: the same text and values as ``json``."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prospecting.models import dumps, loads

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@given(values)
def test_dumps_is_json_dumps_without_ascii_escapes(value: object) -> None:
    assert dumps(value) == json.dumps(value, ensure_ascii=False)


@given(values)
def test_loads_reads_back_what_json_reads(value: object) -> None:
    text = json.dumps(value, ensure_ascii=False)
    assert loads(text) == json.loads(text)
    assert loads(f" {text}\n") == json.loads(f" {text}\n")


@pytest.mark.parametrize("text", ["", "nul", "[1]x", "[1,]", '{"a": }', "[1] [2]"])
def test_loads_raises_as_json_does(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as ours:
        loads(text)
    with pytest.raises(json.JSONDecodeError) as theirs:
        json.loads(text)
    assert str(ours.value) == str(theirs.value)
