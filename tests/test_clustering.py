"""Clustering: components split where a pair across says two people, not where a pair is
merely weak."""

from __future__ import annotations

import numpy as np

from dedupe.clustering import coherent_clusters, components


def _cluster(known, conflicts=frozenset(), loose_floor=0.001, ambiguous_apart=True):
    def score(pairs: np.ndarray) -> np.ndarray:
        return np.array([known.get((int(a), int(b)), 0.0) for a, b in pairs])

    clusters, _ = coherent_clusters(
        [[0, 1, 2]], dict(known), score, link=0.95, floor=0.4,
        conflict=lambda a, b: (min(a, b), max(a, b)) in conflicts, loose_floor=loose_floor,
        ambiguous_apart=ambiguous_apart,
    )
    return clusters


def test_a_weak_pair_nothing_contradicts_does_not_split_a_cluster():
    # Two copies of one record, each matched strongly to the original, weakly to each
    # other (one lost its given name, the other has a typo in the street).
    known = {(0, 1): 0.999, (0, 2): 0.999, (1, 2): 0.2}
    assert _cluster(known) == [[0, 1, 2]]


def test_a_weak_pair_with_different_identifiers_splits_it():
    # Two namesakes at one company, a "J. Martin" record closer to one of them.
    known = {(0, 1): 0.999, (0, 2): 0.99, (1, 2): 0.2}
    clusters = _cluster(known, conflicts={(1, 2)})
    assert clusters == [[0, 1]]


def test_a_record_as_close_to_two_people_joins_neither():
    # "J. Martin", nothing else, at a company with a Jean and a Julie Martin: merged
    # with either, a coin would have chosen. Its pairs stay in the review queue.
    known = {(0, 1): 0.999, (0, 2): 0.999, (1, 2): 0.2}
    assert _cluster(known, conflicts={(1, 2)}) == []
    # Half a bit of evidence more for one of them is not enough, three bits are.
    assert _cluster({(0, 1): 0.9992, (0, 2): 0.999, (1, 2): 0.2}, conflicts={(1, 2)}) == []
    assert _cluster({(0, 1): 0.9999, (0, 2): 0.999, (1, 2): 0.2},
                    conflicts={(1, 2)}) == [[0, 1]]
    # Companies' scores come from a few rules: a tie there is the rule's, not a doubt.
    assert len(_cluster(known, conflicts={(1, 2)}, ambiguous_apart=False)) == 1


def test_a_record_far_closer_to_one_side_stays_with_it():
    # Henri Picard's CRM record shares his address and number with one record (a
    # weight of 54 bits: a probability a float rounds to 1) and only his company with
    # "Hneri" Picard's (36 bits, a probability of 1 - 2⁻³⁶): near certain both, yet not
    # as close; "Hneri" conflicts with the first. The CRM record stays with the first.
    known = {(0, 1): 1.0, (1, 2): 1 - 2 ** -36, (0, 2): 0.4}
    clusters, _ = coherent_clusters(
        [[0, 1, 2]], dict(known), lambda pairs: np.zeros(len(pairs)), link=0.95,
        floor=0.4, conflict=lambda a, b: {a, b} == {0, 2}, loose_floor=0.001,
        ambiguous_apart=True)
    assert clusters == [[0, 1]]


def test_a_record_its_cluster_holds_the_address_of_is_not_ambiguous():
    # 0, 1, 2: Anthony Evrard's records (1 and 2 share his address and his LinkedIn
    # profile); 3: "anthonye@" at his firm with its switchboard, a line 2 gives too.
    # 1 and 3 (two addresses at one domain, nothing shared) are kept apart; 2 is closer
    # to 3 (41 bits) than to 0 and 1 on average (35), but shares its address with 1 and
    # nothing of the kind with 3: 2 stays with 0 and 1. Without what it shares with 1,
    # it is as close to 3 as to them, and joins neither.
    known = {(0, 1): 1 - 2 ** -45, (0, 2): 1 - 2 ** -19.5, (1, 2): 1 - 2 ** -45,
             (2, 3): 1 - 2 ** -41.9, (0, 3): 0.9999, (1, 3): 0.2}

    def clusters(anchored):
        got, _ = coherent_clusters(
            [[0, 1, 2, 3]], dict(known), lambda pairs: np.zeros(len(pairs)), link=0.95,
            floor=0.4, conflict=lambda a, b: {a, b} == {1, 3}, loose_floor=0.001,
            ambiguous_apart=True, anchored=anchored)
        return got

    assert clusters(lambda a, b: {a, b} == {1, 2}) == [[0, 1, 2]]
    assert clusters(None) == [[0, 1]]
    # Sharing an address with 3 as well, it is in doubt again.
    assert clusters(lambda a, b: {a, b} in ({1, 2}, {2, 3})) == [[0, 1]]


def test_a_pair_below_the_loose_floor_splits_it_anyway():
    known = {(0, 1): 0.999, (0, 2): 0.99, (1, 2): 0.0001}
    assert sorted(map(len, _cluster(known))) == [2]


def test_one_persons_two_jobs_joined_by_her_mobile_keep_her_old_records():
    # 0: her old firm's switchboard record; 1: her old job with her mobile (0 and 1
    # first joined: one firm, one address); 2: her new job with the same mobile. 0 and
    # 2 (two firms, lines, towns) are below the loose floor, but 1 and 2 are one
    # person's two jobs: the two clusters join. Joined by anything else one name's
    # records share (an address two namesakes' files give alike), the pair below the
    # floor still keeps them apart.
    known = {(0, 1): 0.9999, (1, 2): 0.999, (0, 2): 0.0001}

    def score(pairs: np.ndarray) -> np.ndarray:
        return np.array([known.get((int(a), int(b)), 0.0) for a, b in pairs])

    def clusters(moved):
        got, _ = coherent_clusters(
            [[0, 1, 2]], dict(known), score, link=0.95, floor=0.4,
            conflict=lambda a, b: False, loose_floor=0.001, ambiguous_apart=True,
            vouched=lambda a, b: True, same_name=lambda a, b: True, moved=moved)
        return got

    assert clusters(lambda a, b: {a, b} == {1, 2}) == [[0, 1, 2]]
    assert sorted(map(len, clusters(lambda a, b: False))) == [2]


def test_a_record_that_adds_nothing_joins_through_the_address_it_shares():
    # 0, 1, 2: one person (her role mailbox and mobile; her work address and mobile;
    # that address written without its dot, her name and firm); 3: a newsletter's
    # record giving only her work address, 1's. 3 and 0 share nothing (below the loose
    # floor), 3 and 2 give two addresses at one domain (a conflict) that the cluster
    # already holds. Carrying nothing 0, 1 and 2 lack, 3 joins through 1; not where it
    # brings an identifier of its own, nor where its name and one of theirs differ.
    known = {(0, 1): 0.9999, (0, 2): 0.9999, (1, 2): 0.9999, (1, 3): 0.9993,
             (0, 3): 0.0002, (2, 3): 0.15}

    def score(pairs: np.ndarray) -> np.ndarray:
        return np.array([known.get((int(a), int(b)), 0.0) for a, b in pairs])

    def clusters(covered, names_apart):
        got, _ = coherent_clusters(
            [[0, 1, 2, 3]], dict(known), score, link=0.95, floor=0.4,
            conflict=lambda a, b: (min(a, b), max(a, b)) in {(2, 3)}, loose_floor=0.001,
            ambiguous_apart=True, vouched=lambda a, b: {a, b} == {1, 3}, covered=covered,
            names_apart=names_apart)
        return got

    def adds_nothing(inside, other):
        return inside == [3]

    assert clusters(adds_nothing, lambda a, b: False) == [[0, 1, 2, 3]]
    assert clusters(lambda inside, other: False, lambda a, b: False) == [[0, 1, 2]]
    assert clusters(adds_nothing, lambda a, b: {a, b} == {0, 3}) == [[0, 1, 2]]


def test_without_a_conflict_test_every_weak_pair_splits():
    known = {(0, 1): 0.999, (0, 2): 0.99, (1, 2): 0.2}

    def score(pairs: np.ndarray) -> np.ndarray:
        return np.zeros(len(pairs))

    clusters, split = coherent_clusters([[0, 1, 2]], dict(known), score, link=0.95, floor=0.4)
    assert sorted(map(len, clusters)) == [2]
    assert split == 1


def _union_find(n: int, edges: list[tuple[int, int]]) -> list[list[int]]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for node in sorted({x for e in edges for x in e}):
        groups.setdefault(find(node), []).append(node)
    return [g for g in groups.values() if len(g) > 1]


def test_components_in_node_order_whatever_the_shape():
    assert components(4, np.empty((0, 2), dtype=np.int64)) == []
    assert components(5, np.array([[3, 3]])) == []  # a record paired with itself
    assert components(6, np.array([[4, 1], [2, 4], [5, 0]])) == [[0, 5], [1, 2, 4]]
    rng = np.random.default_rng(7)
    for n, m in ((50, 30), (2000, 1500), (2000, 4000)):
        edges = rng.integers(0, n, size=(m, 2))
        assert components(n, edges) == _union_find(n, [tuple(e) for e in edges.tolist()])
    # A chain in random order and a star: one component each, in a few rounds.
    order = rng.permutation(100_000)
    chain = np.stack([order[:-1], order[1:]], axis=1)
    assert components(100_000, chain) == [list(range(100_000))]
    star = np.stack([np.full(999, 500), np.arange(999)], axis=1)
    assert components(1000, star) == [list(range(999))]
