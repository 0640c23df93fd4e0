"""The sorted-neighbourhood key order: numpy's sort gives Python's."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import blocking

names = st.text(alphabet=st.sampled_from("aàbeéEzZ -'ßœ\u00ad\U0001f600"), max_size=8)


def _column(values: list[str]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.tuples(names, names), max_size=40),
       st.sampled_from(["numpy", "long", "nul"]))
def test_rows_sorted_as_python_sorts_them(pairs, path):
    first = [a for a, _ in pairs]
    if path == "long" and first:  # sorted by Python
        first[0] = "x" * (blocking._NUMPY_SORT_WIDTH + 1)
    if path == "nul" and first:  # numpy would drop a trailing NUL
        first[0] += "\0"
    keys = [_column(first), _column([b for _, b in pairs])]
    rows = np.arange(3, 3 + len(pairs), dtype=np.int64)[::-1].copy()
    expected = [r[-1] for r in sorted(zip(*keys, rows.tolist(), strict=True))]
    assert blocking._sorted_rows(keys, rows).tolist() == expected
