"""From scored pairs to clusters that do not chain strangers together.

Connected components over high-probability edges alone would merge A and C because
both look like an ambiguous B (a "J. Martin" with no email between Jean and Julie
Martin). So each component of three or more records is re-clustered: every pair
inside it is scored (pairs blocking did not propose are scored now), then clusters
are joined greedily, strongest edge first, only when no pair across them is a
"cannot link" (probability under ``floor``, or rejected by a person) and the average
probability across them stays above ``link``, or, for people, when the pair that joins
them shares what one person alone has (an address, a number, a LinkedIn profile): the
other pairs across then only need not contradict it. Bill Turner's new work address
is unlike William Turner's old one, and his Gmail address unlike his work one; the
record that carries his mobile with either says they are one man's. A person's record
then as close to another cluster as to its own (the ambiguous "J. Martin" itself) is
taken out of its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

__all__ = ["coherent_clusters", "components"]


def components(n: int, edges: np.ndarray) -> list[list[int]]:
    """Connected components (of size ≥ 2) of ``edges`` over ``n`` nodes: each in node
    order, the components in the order of their smallest node.

    Array operations rather than a union-find walked edge by edge in Python (2.5 s for
    half a million edges): each round, the root of every tree is hooked under the
    smallest root across its edges, then every node is pointed straight at its root.
    Each tree with an edge out merges in a round, so the trees at least halve: a few
    rounds, whatever the shape (a chain of a million nodes takes twenty). Roots only
    ever hook under smaller ones, so each component ends labelled with its smallest node.
    """
    if not len(edges):
        return []
    a, b = edges[:, 0], edges[:, 1]
    label = np.arange(n)
    while True:
        la, lb = label[a], label[b]
        apart = la != lb
        if not apart.any():
            break
        la, lb = la[apart], lb[apart]
        np.minimum.at(label, np.maximum(la, lb), np.minimum(la, lb))
        while True:
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped
    touched = np.zeros(n, dtype=bool)
    touched[a] = True
    touched[b] = True
    nodes = np.flatnonzero(touched)
    labels = label[nodes]
    order = np.argsort(labels, kind="stable")  # nodes ascend within a label
    nodes, labels = nodes[order], labels[order]
    cuts = (np.flatnonzero(labels[1:] != labels[:-1]) + 1).tolist()
    members = nodes.tolist()
    return [g for g in (members[s:e] for s, e in zip([0, *cuts], [*cuts, len(members)],
                                                      strict=True)) if len(g) > 1]


def coherent_clusters(
    groups: list[list[int]],
    known: dict[tuple[int, int], float],
    score_pairs: Callable[[np.ndarray], np.ndarray],
    *,
    link: float,
    floor: float,
    must: set[tuple[int, int]] | frozenset[tuple[int, int]] = frozenset(),
    cannot: set[tuple[int, int]] | frozenset[tuple[int, int]] = frozenset(),
    max_size: int = 400,
    conflict: Callable[[int, int], bool] | None = None,
    loose_floor: float | None = None,
    ambiguous_apart: bool = False,
    vouched: Callable[[int, int], bool] | None = None,
    same_name: Callable[[int, int], bool] | None = None,
    moved: Callable[[int, int], bool] | None = None,
    covered: Callable[[list[int], list[int]], bool] | None = None,
    names_apart: Callable[[int, int], bool] | None = None,
    anchored: Callable[[int, int], bool] | None = None,
) -> tuple[list[list[int]], int]:
    """Split each component into coherent clusters; return them and how many were split.

    With ``conflict`` and ``loose_floor``, a pair of records whose identifiers do not
    conflict (``conflict(a, b)`` false) keeps two clusters apart only at or below
    ``loose_floor``: a weak pair that nothing contradicts (a typo, a missing name) is
    not taken for two people. With ``ambiguous_apart``, a record as close to another
    cluster as to its own joins neither (see ``_without_ambiguous``): for people, whose
    scores are a model's; companies' come from a few rules, whose ties say nothing.
    With ``vouched``, two clusters joined by a pair it vouches for need no average
    across them, only no pair that keeps them apart. With ``same_name`` and ``moved``,
    where the pair that joins them is one person's two jobs as ``moved`` reads it (one
    name, a mobile no one else carries or one LinkedIn profile), or a record across came
    into its cluster by such a pair, a pair across with ``same_name`` is weak only where
    its identifiers conflict: her records from the two jobs (the company, its line and
    the work address changed; the mobile did not). With ``covered`` and
    ``names_apart``, two clusters joined by a pair ``vouched`` vouches for, one of which
    carries no address, number or profile the other lacks (``covered(inside, other)``),
    are kept apart only by a weak pair across whose names ``names_apart`` says differ:
    a record giving just an address, from a newsletter's list, joins the records of the
    person whose address it is, however little it shares with the others (nothing, so
    its pairs with them score at the prior). With ``anchored``, a record that shares with
    a member of its cluster what one person alone has (``anchored(x, y)``: an address, a
    profile) and shares it with no member of another is not taken out as ambiguous
    however close it is to that other: that other's record beside it is the one in
    doubt, its own place is known."""
    missing: list[tuple[int, int]] = []
    for g in groups:
        if 2 < len(g) <= max_size:
            for i, a in enumerate(g):
                for b in g[i + 1:]:
                    key = (a, b) if a < b else (b, a)
                    if key not in known:
                        missing.append(key)
    if missing:
        arr = np.array(missing, dtype=np.int64)
        for key, p in zip(missing, score_pairs(arr).tolist(), strict=True):
            known[key] = p
    out: list[list[int]] = []
    split = 0
    for g in groups:
        if len(g) == 2:
            key = (min(g), max(g))
            if key not in cannot:
                out.append(sorted(g))
            continue
        clusters = _greedy(sorted(g), known, link=link, floor=floor, must=must, cannot=cannot,
                           full=len(g) <= max_size, conflict=conflict,
                           loose_floor=loose_floor, ambiguous_apart=ambiguous_apart,
                           vouched=vouched, same_name=same_name, moved=moved,
                           covered=covered, names_apart=names_apart, anchored=anchored)
        if len(clusters) > 1 or any(len(c) < 2 for c in clusters):
            split += 1
        out.extend(c for c in clusters if len(c) > 1)
    return out, split


def _logit(p: float, bound: float = 1e-9) -> float:
    """The log-odds of ``p``, in bits, ``p`` held ``bound`` away from 0 and 1."""
    p = min(max(p, bound), 1 - bound)
    return math.log2(p / (1 - p))


def _mean_logit(values: list[float], bound: float = 1e-9) -> float:
    return sum(_logit(v, bound) for v in values) / len(values)


# The bound down to which a float tells a probability from certainty (about 2⁻⁵⁰): two
# pairs both near certain, one on a shared address and number, the other on a name and
# a company, still differ there.
_FINE = 1e-15


def _greedy(nodes: list[int], known: dict[tuple[int, int], float], *, link: float,
            floor: float, must: set[tuple[int, int]] | frozenset[tuple[int, int]],
            cannot: set[tuple[int, int]] | frozenset[tuple[int, int]], full: bool,
            conflict: Callable[[int, int], bool] | None = None,
            loose_floor: float | None = None, ambiguous_apart: bool = False,
            vouched: Callable[[int, int], bool] | None = None,
            same_name: Callable[[int, int], bool] | None = None,
            moved: Callable[[int, int], bool] | None = None,
            covered: Callable[[list[int], list[int]], bool] | None = None,
            names_apart: Callable[[int, int], bool] | None = None,
            anchored: Callable[[int, int], bool] | None = None,
            ) -> list[list[int]]:
    def p(a: int, b: int) -> float:
        key = (a, b) if a < b else (b, a)
        if key in must:
            return 1.0
        if key in cannot:
            return 0.0
        return known.get(key, 0.5 if not full else 0.0)

    edges = sorted(
        ((p(a, b), a, b) for i, a in enumerate(nodes) for b in nodes[i + 1:]),
        reverse=True,
    )
    cluster_of = {n: i for i, n in enumerate(nodes)}
    members: dict[int, list[int]] = {i: [n] for i, n in enumerate(nodes)}
    # The edges each record joined its cluster by, for ``moved`` (asked on demand).
    joined_by: dict[int, list[int]] = {}
    moved_known: dict[tuple[int, int], bool] = {}

    def two_jobs(a: int, b: int) -> bool:
        key = (a, b) if a < b else (b, a)
        found = moved_known.get(key)
        if found is None:
            found = moved_known[key] = moved is not None and moved(a, b)
        return found

    def came_as_two_jobs(x: int) -> bool:
        """Whether ``x`` is in its cluster through one person's two jobs (a joining
        edge of its own that ``moved`` reads so: a mobile, a LinkedIn profile)."""
        return any(two_jobs(x, w) for w in joined_by.get(x, ()))

    for prob, a, b in edges:
        if prob < link:
            break
        ca, cb = cluster_of[a], cluster_of[b]
        if ca == cb:
            continue
        across = [(x, y) for x in members[ca] for y in members[cb]]
        cross = [p(x, y) for x, y in across]
        forced = any(((x, y) if x < y else (y, x)) in must for x, y in across)
        if conflict is None or loose_floor is None:
            weak = min(cross) <= floor
        else:
            # Joined by one person's two jobs: that name's pairs across are the two
            # jobs' records, weak only where their identifiers conflict. (``moved`` is
            # asked only of an edge such a pair would otherwise stop.)
            # The same where a record across came in by such a pair itself, whichever
            # edge joined first (her new job's record, then her old firm's other one).
            weak = any(
                q <= floor and (conflict(x, y) or (
                    q <= loose_floor and not (
                        same_name is not None and moved is not None and same_name(x, y)
                        and (two_jobs(a, b) or came_as_two_jobs(x) or came_as_two_jobs(y)))))
                for q, (x, y) in zip(cross, across, strict=True)
            )
        # Average linkage on the log-odds: one strong pair does not carry weak ones,
        # unless it shares what one person alone has.
        if not forced and (weak or (
                (vouched is None or not vouched(a, b))
                and _mean_logit(cross) < _logit(link) - 1.0)) and not (
                    # A side that adds no identifier to the other only needs names
                    # that do not differ: its identifiers' conflicts with the other's
                    # members are ones that side already holds. (Asked only of an
                    # edge stopped here.)
                    weak and covered is not None and names_apart is not None
                    and vouched is not None and vouched(a, b)
                    and (covered(members[ca], members[cb])
                         or covered(members[cb], members[ca]))
                    and not any(q <= floor and names_apart(x, y)
                                for q, (x, y) in zip(cross, across, strict=True))):
            continue
        for node in members[cb]:
            cluster_of[node] = ca
        members[ca].extend(members.pop(cb))
        joined_by.setdefault(a, []).append(b)
        joined_by.setdefault(b, []).append(a)
    if not full or not ambiguous_apart:
        return [sorted(m) for m in members.values()]
    return _without_ambiguous([sorted(m) for m in members.values()], p, link, anchored)


# How much closer (in bits of evidence, the mean log-odds) a record must be to its own
# cluster than to another it could have joined, for its place there to be taken as
# known: "J. Dupont" at a company with a Jean and a Julie Dupont is as close to both.
AMBIGUITY_BITS = 0.5


def _without_ambiguous(clusters: list[list[int]], p: Callable[[int, int], float],
                       link: float, anchored: Callable[[int, int], bool] | None = None,
                       ) -> list[list[int]]:
    """``clusters`` with every record that could as well belong to another cluster
    taken out of its own: one of two people it may be, it is merged with neither, and
    its pairs stay in the review queue (as "split"). A record ``anchored`` to a member
    of its own cluster and to no member of the other stays (see coherent_clusters)."""
    if len(clusters) < 2:
        return clusters
    cluster_of = {n: k for k, c in enumerate(clusters) for n in c}
    floor = _logit(link)
    out: list[list[int]] = []
    for k, c in enumerate(clusters):
        if len(c) < 2:
            out.append(c)
            continue
        kept = []
        for x in c:
            # Closeness read finely: a record tied to its own cluster by an address and
            # a number (near certain) is closer to it than to one its name and company
            # alone match (near certain too), where a coarser reading sees two ties.
            own = _mean_logit([p(x, y) for y in c if y != x], _FINE)
            rivals = {cluster_of[y] for y in cluster_of
                      if cluster_of[y] != k and p(x, y) >= link}
            if rivals and anchored is not None and any(anchored(x, y) for y in c if y != x):
                # Its own cluster holds its address or profile: only a rival holding
                # one of them too leaves it in doubt.
                rivals = {r for r in rivals if any(anchored(x, z) for z in clusters[r])}
            if any(_mean_logit([p(x, z) for z in clusters[r]], _FINE) >= max(
                    floor, own - AMBIGUITY_BITS) for r in rivals):
                out.append([x])
            else:
                kept.append(x)
        out.append(kept)
    return out
