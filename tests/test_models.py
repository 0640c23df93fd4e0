"""The JSON helpers every stage stores through: the same text and values as ``json``."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prospecting.models import dumps, facts_json, loads

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


facts = st.lists(
    st.tuples(st.text(max_size=12), st.text(max_size=20))
    | st.tuples(st.text(max_size=12), st.text(max_size=20),
                st.floats(0, 1) | st.integers(0, 1))
    # A packed statement's facts name their source.
    | st.tuples(st.sampled_from(["email", "phone_check", "x"]), st.text(max_size=20),
                st.sampled_from([0.0, 0.5, 0.95, 1]), st.sampled_from(["enricher:names", "é"])),
    max_size=6,
)


@given(facts)
def test_facts_json_is_the_same_text_from_a_list_a_tuple_or_a_generator(given_facts: list) -> None:
    # Confidences are written as floats ("1.0" for 1), whichever path writes them.
    expected = json.dumps(
        [[f[0], f[1]] if len(f) == 2 else [f[0], f[1], float(f[2]), *f[3:]]
         for f in given_facts],
        ensure_ascii=False,
    )
    assert facts_json(given_facts) == expected
    assert facts_json(tuple(given_facts)) == expected
    assert facts_json(iter(given_facts)) == expected
