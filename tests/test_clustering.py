"""Clustering: components split where a pair across says two people, not where a pair is
merely weak."""

from __future__ import annotations

import numpy as np

from dedupe.clustering import coherent_clusters


def _cluster(known, conflicts=frozenset(), loose_floor=0.001):
    def score(pairs: np.ndarray) -> np.ndarray:
        return np.array([known.get((int(a), int(b)), 0.0) for a, b in pairs])

    clusters, _ = coherent_clusters(
        [[0, 1, 2]], dict(known), score, link=0.95, floor=0.4,
        conflict=lambda a, b: (min(a, b), max(a, b)) in conflicts, loose_floor=loose_floor,
    )
    return clusters


def test_a_weak_pair_nothing_contradicts_does_not_split_a_cluster():
    # Two copies of one record, each matched strongly to the original, weakly to each
    # other (one lost its given name, the other has a typo in the street).
    known = {(0, 1): 0.999, (0, 2): 0.999, (1, 2): 0.2}
    assert _cluster(known) == [[0, 1, 2]]


def test_a_weak_pair_with_different_identifiers_splits_it():
    # Two namesakes at one company, each close to an ambiguous "J. Martin" record.
    known = {(0, 1): 0.999, (0, 2): 0.999, (1, 2): 0.2}
    clusters = _cluster(known, conflicts={(1, 2)})
    assert sorted(map(len, clusters)) == [2]


def test_a_pair_below_the_loose_floor_splits_it_anyway():
    known = {(0, 1): 0.999, (0, 2): 0.999, (1, 2): 0.0001}
    assert sorted(map(len, _cluster(known))) == [2]


def test_without_a_conflict_test_every_weak_pair_splits():
    known = {(0, 1): 0.999, (0, 2): 0.999, (1, 2): 0.2}

    def score(pairs: np.ndarray) -> np.ndarray:
        return np.zeros(len(pairs))

    clusters, split = coherent_clusters([[0, 1, 2]], dict(known), score, link=0.95, floor=0.4)
    assert sorted(map(len, clusters)) == [2]
    assert split == 1
