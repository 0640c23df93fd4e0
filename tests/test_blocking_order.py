"""The sorted-neighbourhood key order: Python's, whatever the strings."""

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
    if path == "long" and first:  # wider than a numpy string column would hold cheaply
        first[0] = "x" * 65
    if path == "nul" and first:  # a numpy string would drop a trailing NUL
        first[0] += "\0"
    keys = [_column(first), _column([b for _, b in pairs])]
    rows = np.arange(3, 3 + len(pairs), dtype=np.int64)[::-1].copy()
    expected = [r[-1] for r in sorted(zip(*keys, rows.tolist(), strict=True))]
    assert blocking._sorted_rows(keys, rows).tolist() == expected


parts = st.sampled_from(["", "a", "b", "a|b", "b|", "|a", "é", "ab"])


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.tuples(parts, parts, parts), max_size=40), st.integers(1, 6))
def test_joined_codes_pair_what_the_parts_pair(rows, cap):
    """Records share a joined key when every part is there and equal, "|" or not in
    them; a block over the cap is skipped and shown by its parts."""
    columns = [_column([r[k] for r in rows]) for k in range(3)]
    keys = blocking.KeyCodes(blocking._join_codes([blocking._hashes(c) for c in columns]),
                             columns)
    report = blocking.BlockingReport()
    got = blocking.pairs_from_keys(keys, max_block=cap, name="k", report=report)
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, r in enumerate(rows):
        if all(r):
            groups.setdefault(r, []).append(i)
    kept = [g for g in groups.values() if len(g) <= cap]
    expected = sorted((a, b) for g in kept for x, a in enumerate(g) for b in g[x + 1:])
    assert sorted(map(tuple, got.tolist())) == expected
    skipped = [key for key, g in groups.items() if len(g) > cap]
    assert report.skipped_blocks.get("k", 0) == len(skipped)
    shown = {"|".join(key)[:24] for key in skipped}
    assert all(e.rsplit(" ×", 1)[0].strip("'\"") in shown
               for e in report.examples.get("k", []))
