"""The match model: EM over distinct level patterns gives what EM over every pair gives."""

from __future__ import annotations

import json

import numpy as np

from dedupe.comparisons import COMPARISONS
from dedupe.model import distinct_levels, train


def _levels(rng: np.random.Generator, n: int, match_share: float) -> np.ndarray:
    """Candidate pairs: matches agree on most comparisons (level 1), others mostly not."""
    rows = []
    for _ in range(n):
        match = rng.random() < match_share
        rows.append([
            (1 if rng.random() < 0.85 else int(rng.integers(0, c.size))) if match
            else int(rng.integers(0, c.size))
            for c in COMPARISONS
        ])
    return np.array(rows, dtype=np.int8)


def test_distinct_levels_counts_each_row():
    levels = np.array([[1, 2], [0, 1], [1, 2], [1, 2], [0, 1]], dtype=np.int8)
    rows, counts = distinct_levels(levels)
    found = {tuple(r): c for r, c in zip(rows.tolist(), counts.tolist(), strict=True)}
    assert found == {(1, 2): 3.0, (0, 1): 2.0}
    empty_rows, empty_counts = distinct_levels(np.zeros((0, 2), dtype=np.int8))
    assert len(empty_rows) == 0
    assert len(empty_counts) == 0


def test_training_depends_on_how_often_each_pattern_occurs_not_on_row_order():
    rng = np.random.default_rng(7)
    levels = _levels(rng, 3000, 0.3)
    random_levels = _levels(rng, 3000, 0.0)
    model = train(levels, random_levels, trained_on=2000)
    shuffled = train(levels[rng.permutation(len(levels))], random_levels, trained_on=2000)
    assert np.isclose(model.prior, shuffled.prior)
    for a, b in zip(model.m, shuffled.m, strict=True):
        assert np.allclose(a, b)
    # Agreeing on a name is evidence of a match, disagreeing is not.
    weights = model.weights()
    assert weights[0][1] > 0 > weights[0][-1]


def test_reasons_of_many_pairs_are_each_pairs_own():
    """Worked out once per distinct row of levels, in any order, each pair gets the
    reasons worked out for it alone."""
    rng = np.random.default_rng(3)
    levels = _levels(rng, 3000, 0.2)
    model = train(levels, _levels(rng, 3000, 0.0))
    many = model.reasons_many(levels[::-1])  # a view, not contiguous
    assert many == [model._reasons_of_rows(row.reshape(1, -1), 4)[0] for row in levels[::-1]]
    # One list per distinct list of reasons, whatever rows of levels read it.
    assert len({id(r) for r in many}) == len({tuple(r) for r in many})
    assert model.reasons_many(levels[:0]) == []


def test_company_m_is_read_from_the_pairs_sharing_an_address():
    """Two sources often hold one person's company as two company records of one name;
    the pairs sharing an address say how often, whatever the namesakes say."""
    from dedupe.model import SHARED_ADDRESS_MIN

    names = [c.name for c in COMPARISONS]
    email, company = names.index("email"), names.index("company")
    first, last = names.index("first_name"), names.index("last_name")
    rng = np.random.default_rng(11)
    rows = []
    for k in range(1000):  # one person each: the same address, 40% two company records
        row = [int(rng.integers(0, c.size)) for c in COMPARISONS]
        row[email], row[first], row[last] = 1, 1, 1
        row[company] = 2 if k % 5 < 2 else 1
        rows.append(row)
    for _ in range(5000):  # namesakes at one company: another address, another given name
        row = [int(rng.integers(0, c.size)) for c in COMPARISONS]
        row[email], row[first], row[last], row[company] = 5, 6, 1, 1
        rows.append(row)
    levels = np.array(rows, dtype=np.int8)
    model = train(levels, _levels(rng, 3000, 0.0), trained_on=20_000)
    assert 0.35 < model.m[company][1] < 0.45
    # Too few pairs share an address to tell: EM's own estimate.
    few = np.concatenate([levels[:SHARED_ADDRESS_MIN - 1], levels[1000:]])
    assert train(few, _levels(rng, 3000, 0.0), trained_on=20_000).m[company][1] < 0.35


def test_duplicates_among_the_random_pairs_do_not_count_as_strangers():
    """One random pair in a thousand is a duplicate (a file of a few thousand records):
    u of a shared address is what strangers show, not that share, so the address alone
    outweighs the chance that two records taken at random match."""
    names = [c.name for c in COMPARISONS]
    email = names.index("email")
    rng = np.random.default_rng(5)
    last = [c.size - 1 for c in COMPARISONS]  # every comparison differs
    strangers = np.array([[int(rng.choice((0, level))) for level in last]
                          for _ in range(20_000)], dtype=np.int8)
    duplicates = np.ones((20, len(COMPARISONS)), dtype=np.int8)  # all agree
    random_levels = np.concatenate([strangers, duplicates])
    candidates = np.concatenate([
        np.ones((1500, len(COMPARISONS)), dtype=np.int8),
        _levels(rng, 3000, 0.0),
    ])
    model = train(candidates, random_levels, trained_on=5000)
    # Counted as strangers, the 20 duplicates alone would make it 20 / 22,020.
    assert model.u[email][0] < 1e-4
    _, p = model.score(np.array([[0] * email + [1] + [0] * (len(COMPARISONS) - email - 1)],
                                dtype=np.int8))
    assert p[0] > 0.9  # 0.1 with the duplicates counted as strangers


def test_a_model_trained_the_earlier_way_is_trained_again():
    from dedupe.model import Model

    rng = np.random.default_rng(2)
    model = train(_levels(rng, 2000, 0.2), _levels(rng, 2000, 0.0), trained_on=1000)
    assert Model.from_json(model.to_json()) is not None
    earlier = json.loads(model.to_json())
    del earlier["training"]  # as stored before random pairs were weighed
    assert Model.from_json(json.dumps(earlier)) is None


def test_u_is_estimated_again_until_it_settles(monkeypatch):
    """Where the duplicates among the random pairs show only their shared address, one
    round of weighing still half counts them as strangers; the next rounds take out
    more."""
    import dedupe.model as model_module

    names = [c.name for c in COMPARISONS]
    email = names.index("email")
    rng = np.random.default_rng(9)
    last = [c.size - 1 for c in COMPARISONS]
    strangers = np.array([[int(rng.choice((0, level))) for level in last]
                          for _ in range(20_000)], dtype=np.int8)
    only_address = np.zeros((1, len(COMPARISONS)), dtype=np.int8)
    only_address[0, email] = 1
    random_levels = np.concatenate([strangers, np.repeat(only_address, 3, axis=0)])
    candidates = np.concatenate([np.repeat(only_address, 1500, axis=0),
                                 _levels(rng, 3000, 0.0)])
    settled = train(candidates, random_levels, trained_on=5000)
    monkeypatch.setattr(model_module, "U_ROUNDS", 1)
    once = train(candidates, random_levels, trained_on=5000)
    assert settled.u[email][0] < 0.8 * once.u[email][0]


def test_colleagues_among_random_pairs_stay_strangers():
    """Random pairs whose names and addresses tell two people apart count fully in u,
    whatever the model says of them: two colleagues on the office line are strangers
    for u, however much the shared number weighs. Weighed by the model's chance, they
    read as duplicates, and u of a shared number sank round after round."""
    at = [c.name for c in COMPARISONS].index
    rng = np.random.default_rng(4)
    last = [c.size - 1 for c in COMPARISONS]
    strangers = np.array([[int(rng.choice((0, level))) for level in last]
                          for _ in range(20_000)], dtype=np.int8)
    colleagues = np.zeros((1, len(COMPARISONS)), dtype=np.int8)
    for name, level in (("first_name", 6), ("last_name", 5), ("email", 4), ("phone", 2),
                        ("city", 1), ("address", 1)):
        colleagues[0, at(name)] = level
    duplicate = colleagues.copy()  # one person, on the same office line and address
    duplicate[0, at("first_name")] = duplicate[0, at("last_name")] = 1
    duplicate[0, at("email")] = 0
    random_levels = np.concatenate([strangers, np.repeat(colleagues, 60, axis=0)])
    candidates = np.concatenate([np.repeat(duplicate, 1500, axis=0),
                                 np.repeat(colleagues, 1500, axis=0),
                                 _levels(rng, 3000, 0.0)])
    model = train(candidates, random_levels, trained_on=2000)
    # 60 of 20,060 random pairs share a switchboard: 0.00008 before, +13 bits.
    assert model.u[at("phone")][1] > 0.5 * 60 / len(random_levels)
    assert model.weights()[at("phone")][2] < 8
