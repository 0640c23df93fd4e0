"""The dedupe stage: companies first, then people (who follow their company's merge).

>>> from prospecting import api                       # doctest: +SKIP
>>> api.dedupe("prospects.db").details["people_merged"]  # doctest: +SKIP
13

Incremental: each record's compared values are hashed into ``work_log``; a later run
scores only pairs that touch a new or changed record, with the model trained on the
first run (kept as JSON in ``meta``), so running twice changes nothing and a new import
is matched against the existing golden records without re-scoring everything.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz import distance, fuzz, process

from prospecting.collect import fewer_collections
from prospecting.errors import ConfigError
from prospecting.forked import Child, can_fork
from prospecting.privacy import mailbox_of
from prospecting.runs import Progress, RunState
from prospecting.store import Store, chunked, utc_now

from .blocking import company_pairs, person_pairs
from .clustering import coherent_clusters, components
from .comparisons import person_levels, same_person_name
from .features import (
    CompanyFeatures,
    PersonFeatures,
    contact_keys,
    load_companies,
    map_distinct,
    name_genders,
    phone_key,
    saints_shortened,
    surnames,
)
from .merge import (
    Merge,
    MergesToBuild,
    apply_company_merges,
    assign_cluster_ids,
    pending_merges,
    plan_merges,
    table_of,
    write_person_merges,
)
from .model import Model, train
from .parallel import (
    PeopleLoading,
    coded_in_two,
    levels_in_two,
    load_people_in_two,
    person_merge_plans,
    shared_array,
)
from .questions import current_records, open_questions
from .survivorship import check_rules

__all__ = ["DedupeSettings", "pair_id", "run"]

_MODEL_KEY = "dedupe_model_person"
_VERSION = "1"


@dataclass(frozen=True)
class DedupeSettings:
    """``[dedupe]`` keys (all optional)."""

    match_threshold: float = 0.95
    review_threshold: float = 0.4
    cannot_link: float = 0.02
    # In a cluster, a weak pair (below review_threshold) whose emails, phones and
    # LinkedIn profiles do not differ keeps two groups apart only below this: names mistyped
    # or left out are not two people, while a different address or number says so.
    unrelated_floor: float = 0.001
    max_block: int = 60
    window: int = 3
    batch_pairs: int = 400_000
    # Merges prepared together (the two processes share the batches out); all of a
    # run's merges are written in one transaction, with a page cache of merge_cache_mib
    # MiB while it lasts (see _apply_planned).
    merge_batch: int = 20_000
    merge_cache_mib: int = 1024

    @classmethod
    def from_settings(cls, raw: dict[str, Any]) -> DedupeSettings:
        problems = []
        values: dict[str, Any] = {}
        for key, value in raw.items():
            if key == "survivorship":
                try:
                    check_rules(value)
                except ConfigError as exc:
                    problems.append(str(exc))
                continue
            if key not in cls.__dataclass_fields__:
                problems.append(f"dedupe.{key}: unknown key")
                continue
            kind = type(getattr(cls(), key))
            if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
                if not 0 <= value <= 1:
                    problems.append(f"dedupe.{key}: expected a probability between 0 and 1")
                values[key] = float(value)
            elif kind is int and isinstance(value, int) and not isinstance(value, bool):
                if value < 1:
                    problems.append(f"dedupe.{key}: expected a positive integer")
                values[key] = value
            else:
                problems.append(f"dedupe.{key}: expected a {kind.__name__}")
        if problems:
            raise ConfigError("; ".join(problems))
        return cls(**values)


def pair_id(kind: str, a: str, b: str) -> str:
    if b < a:
        a, b = b, a
    return "pr_" + hashlib.sha1(f"{kind}\x1f{a}\x1f{b}".encode(),
                                usedforsecurity=False).hexdigest()[:14]


PAIR_INDEXES = {"pairs_a": "pairs", "pairs_b": "pairs", "pairs_decision": "pairs"}


def run(store: Store, state: RunState, *, retrain: bool = False,
        progress: Progress | None = None) -> None:
    """Dedupe companies, then people; counts go to ``state``."""
    raw = store.settings.dedupe if store.settings is not None else {}
    settings = DedupeSettings.from_settings(dict(raw))
    clock = _Clock()
    # A first run writes every matched and borderline pair: their lookup indexes (by
    # record, by decision), read only by later commands, are built once all are written
    # rather than entry by entry (a killed run leaves them to the next Store opened):
    # once the people's pairs are recorded, as the other process prepares merges, else
    # at the end. The people are read by a second process while this one merges the
    # companies.
    with store.indexes_deferred(PAIR_INDEXES, state.run_id) as deferred, fewer_collections(), \
            PeopleLoading.start(store, early=True) or contextlib.nullcontext() as loading:
        # Its commits leave copying the log into the file to a thread, as the people
        # are read and matched (a fork waits for it).
        with store.checkpoint_behind():
            _companies(store, state, settings)
        clock.lap("companies")
        _people(store, state, settings, retrain=retrain, progress=progress, clock=clock,
                loading=loading, pair_indexes=bool(deferred))
    if deferred:
        clock.lap("indexes")
    # The questions this run asked, as ``review`` lists them: one per two records as
    # they now are (several pairs between the members of two golden records ask one).
    state.add("pending_reviews", len(open_questions(store.conn, run_id=state.run_id)))
    state.messages.append("time: " + ", ".join(f"{k} {v:.1f}s" for k, v in clock.laps.items()))


class _Clock:
    """Seconds per phase, for the run's report."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self.last
        self.last = now


# -- shared -----------------------------------------------------------------------------


def _hashes(store: Store, component: str) -> dict[str, str]:
    return dict(store.conn.execute(
        "SELECT entity_id, input_hash FROM work_log WHERE component = ?", (component,)
    ).fetchall())


def _decisions(store: Store, kind: str) -> list[tuple[str, str, str]]:
    return store.conn.execute(
        "SELECT a, b, review FROM pairs WHERE kind = ? AND review IS NOT NULL", (kind,)
    ).fetchall()


def _constraints(store: Store, kind: str, ids: np.ndarray) -> tuple[
    set[tuple[int, int]], set[tuple[int, int]]
]:
    decisions = _decisions(store, kind)
    units = current_records(store.conn, table_of(kind),
                            [x for d in decisions for x in d[:2]])
    # Positions of the records people decided on, not of every record.
    wanted = set(units.values())
    index = {pid: i for i, pid in enumerate(ids.tolist()) if pid in wanted} if wanted else {}
    must: set[tuple[int, int]] = set()
    cannot: set[tuple[int, int]] = set()
    for a, b, review in decisions:
        ia, ib = index.get(units.get(a, "")), index.get(units.get(b, ""))
        if ia is None or ib is None or ia == ib:
            continue
        key = (min(ia, ib), max(ia, ib))
        (must if review == "accepted" else cannot).add(key)
    return must, cannot


def _save_hashes(store: Store, component: str, ids: np.ndarray, hashes: np.ndarray,
                 run_id: str) -> None:
    now = utc_now()
    # Rows made per slice, never all at once: a first run records a million records.
    for start in range(0, len(ids), 50_000):
        part, digests = ids[start:start + 50_000], hashes[start:start + 50_000]
        # sqlite3 binds a numpy string through its adapter lookup: Python strings bind
        # in about half the time.
        if isinstance(part, np.ndarray):
            part = part.tolist()
        if isinstance(digests, np.ndarray):
            digests = digests.tolist()
        # In key order: ids are hashes, and rows in any other order insert all over the
        # table's primary key index.
        rows = sorted(zip(part, digests, strict=True))
        # Inside the caller's transaction when there is one: a savepoint would copy
        # every page it changes aside first.
        with contextlib.nullcontext() if store.conn.in_transaction else store.write():
            store.conn.executemany(
                "INSERT INTO work_log (entity_id, component, version, input_hash, done_at,"
                " run_id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(entity_id, component) DO UPDATE"
                " SET version = excluded.version, input_hash = excluded.input_hash,"
                " done_at = excluded.done_at, run_id = excluded.run_id",
                ((i, component, _VERSION, h, now, run_id) for i, h in rows),
            )


def _store_pairs(store: Store, kind: str, rows: list[tuple[str, str, float, float, list[str],
                                                           str]], run_id: str,
                 now: str | None = None, texts: dict[tuple[str, ...], str] | None = None,
                 ) -> None:
    now = now or utc_now()
    # Reasons come from a few dozen phrases: encode each distinct list once.
    texts = {} if texts is None else texts

    def reasons_json(reasons: list[str]) -> str:
        key = tuple(reasons)
        text = texts.get(key)
        if text is None:
            text = texts[key] = json.dumps(reasons, ensure_ascii=False)
        return text

    store.conn.executemany(
        "INSERT INTO pairs (id, kind, a, b, probability, weight, reasons, decision, run_id,"
        " scored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET"
        " probability = excluded.probability, weight = excluded.weight,"
        " reasons = excluded.reasons, decision = excluded.decision, run_id = excluded.run_id,"
        " scored_at = excluded.scored_at",
        [
            (pair_id(kind, a, b), kind, *((a, b) if a <= b else (b, a)), round(p, 6),
             round(w, 3), reasons_json(r), d, run_id, now)
            for a, b, p, w, r, d in rows
        ],
    )


def _cluster_merges(store: Store, kind: str, clusters: list[list[int]], ids: np.ndarray,
                    completeness: np.ndarray, probability: dict[tuple[int, int], float],
                    reasons: dict[tuple[int, int], list[str]]) -> list[Merge]:
    """One merge per cluster: its golden record, the others, the weakest link, why."""
    # Python lists: indexing numpy arrays one element at a time costs more.
    return _merges_of(kind, clusters, [str(i) for i in ids.tolist()], completeness.tolist(),
                      _heads(store, table_of(kind)), probability, reasons)


def _heads(store: Store, table: str) -> Counter[str]:
    """How many records each golden record of ``table`` already holds."""
    return Counter(r[0] for r in store.conn.execute(
        f"SELECT merged_into FROM {table} WHERE merged_into IS NOT NULL"))


def _merges_of(kind: str, clusters: list[list[int]], names: list[str], full: list[int],
               heads: Counter[str], probability: dict[tuple[int, int], float],
               reasons: dict[tuple[int, int], list[str]]) -> list[Merge]:
    """:func:`_cluster_merges` of these clusters, given the ids, completeness and heads
    as lists and a counter."""
    merges: list[Merge] = []
    for members in clusters:
        if len(members) == 2:  # most clusters: their one pair, without the general case
            x, y = members
            if heads:
                golden = _golden_member(members, names, heads, full)
            else:
                # _golden_member's rule for two records and no golden record yet (a
                # first run): the fuller, else the smaller id; written out, as a
                # million people make hundreds of thousands of pairs.
                cx, cy = full[x], full[y]
                if cx == cy:
                    nx, ny = names[x], names[y]
                    golden = x if (nx < ny if len(nx) == len(ny) else _neg(nx) > _neg(ny)) \
                        else y
                else:
                    golden = x if cx > cy else y
            pair = (x, y) if x < y else (y, x)
            chance = probability.get(pair)
            merges.append(Merge(kind, names[golden], [names[y if golden == x else x]],
                                1.0 if chance is None else float(chance),
                                reasons.get(pair) or []))
            continue
        # The golden record: one that already is, else the fullest, else the smallest id.
        golden = _golden_member(members, names, heads, full)
        inside = [(probability.get((min(a, b), max(a, b))), reasons.get((min(a, b), max(a, b))))
                  for x, a in enumerate(members) for b in members[x + 1:]]
        probs = [p for p, _ in inside if p is not None]
        why = next((r for p, r in sorted(inside, key=lambda t: -(t[0] or 0)) if r), [])
        merges.append(Merge(kind, names[golden], [names[i] for i in members if i != golden],
                            float(min(probs)) if probs else 1.0, why))
    return merges


def _merge_clusters(store: Store, state: RunState, kind: str,
                    merges: list[Merge] | MergesToBuild,
                    settings: DedupeSettings, keep_hashes: tuple[np.ndarray, np.ndarray],
                    first: Callable[[], None] | None = None) -> int:
    """Plan, then apply, the merges; ``first`` (writes that must come before the plan)
    runs while the merges' preparing has started (see ``person_merge_plans``).

    People's merges are not planned apart: all are written in one transaction, with
    their clusters and the hashes of the records that stay (see ``_apply_planned``).
    """
    if isinstance(merges, MergesToBuild):  # people's: ids assigned as they are built
        return _apply_planned(store, state, merges, settings, first=first,
                              keep_hashes=keep_hashes)
    assign_cluster_ids(store, merges)

    def plan() -> None:
        if first is not None:
            first()
        with store.write():
            plan_merges(store, merges, state.run_id)
            # What the records that stay looked like, in the plan's transaction: a run
            # killed later re-scores nothing the clean run would not have.
            _save_hashes(store, f"dedupe:{kind}", *keep_hashes, state.run_id)

    return _apply_planned(store, state, merges, settings, first=plan)


def _apply_planned(store: Store, state: RunState, merges: list[Merge] | MergesToBuild,
                   settings: DedupeSettings, first: Callable[[], None] | None = None,
                   keep_hashes: tuple[np.ndarray, np.ndarray] | None = None) -> int:
    """Apply merges, prepared in batches and written in one transaction; each batch
    also records its golden records' hashes.

    ``first`` (its own transactions) runs before any batch is written. One transaction
    and a larger page cache: each batch rewrites rows scattered over the people table
    and its indexes, so committing batch by batch writes most of those pages again at
    every commit (at a million people, over ten times the data).

    People's clusters are written with their merge, pending or not yet planned, and
    ``keep_hashes`` (what the records that stay looked like) in the same transaction: a
    run killed before the commit leaves none of its merges and no hash of what it read,
    and the next run finds the same merges again, with the model this one stored. (A
    plan written beforehand would save that work at the cost of writing every cluster
    twice: at a million people, 4 s more in the writing process.) Companies are planned
    first (see ``_merge_clusters``); a plan a killed run left is applied here.
    """
    if not merges:
        if first is not None:
            first()
        if keep_hashes is not None:  # people's (see _merge_clusters)
            with store.write():
                _save_hashes(store, "dedupe:person", *keep_hashes, state.run_id)
        return 0
    kind = "person" if isinstance(merges, MergesToBuild) else merges[0].kind
    written = 0
    if kind == "person":
        plans = person_merge_plans(store, merges, settings.merge_batch, state.run_id,
                                   first=first)
        ready = next(plans, None)  # runs ``first`` before the transaction opens
        # Companies recounted once, at the end, rather than by every batch touching them;
        # their rows read once for every batch this process prepares (people's merges
        # write no column tags read, see _prepare_share).
        with store.checkpoint_behind(), store.write(), \
                store.page_cache(settings.merge_cache_mib), store.people_counts_at_end(), \
                store.companies_cached():
            if keep_hashes is not None:
                _save_hashes(store, "dedupe:person", *keep_hashes, state.run_id)
            for plan in itertools.chain([ready] if ready is not None else [], plans):
                written += len(write_person_merges(store, plan))
                _save_hashes(store, "dedupe:person", plan.golden_ids, plan.hashes,
                             state.run_id)
        state.add("people_merged", merges.moved if isinstance(merges, MergesToBuild)
                  else sum(len(m.others) for m in merges))
        state.add("clusters", written)
        return written
    assert isinstance(merges, list)
    if first is not None:
        first()
    # Companies: a table a tenth the size of people's, in the default cache (a larger
    # one here would still be held through the people's matching, the run's peak).
    with store.write():
        for start in range(0, len(merges), settings.merge_batch):
            part = merges[start:start + settings.merge_batch]
            done = apply_company_merges(store, part, state.run_id)
            after = load_companies(store, ids=[m.golden for m in part])
            _save_hashes(store, "dedupe:company", after.ids, after.hashes, state.run_id)
            written += len(done)
    state.add("companies_merged", sum(len(m.others) for m in merges))
    state.add("clusters", written)
    return written


def _finish_pending(store: Store, state: RunState, kind: str,
                    settings: DedupeSettings) -> None:
    """Apply what a killed run planned before anything else."""
    pending = pending_merges(store, kind)
    if pending:
        state.messages.append(f"{len(pending)} {kind} merge(s) left by an interrupted run "
                              "applied first")
        _apply_planned(store, state, pending, settings)


def _identity_conflict(f: PersonFeatures) -> Callable[[int, int], bool]:
    """Whether two records' identifiers say they are two people: two addresses at one
    domain and none in common (``jean.martin@`` and ``julie.martin@``, or two Gmail
    addresses), two LinkedIn profiles (not one public address with and without the
    suffix LinkedIn adds: see ``_one_profile``), or, at one company, numbers and none in
    common.

    Not an address at another domain: one person has a work address and a personal
    one, and a new work address with each job. Nor numbers at two companies, or where
    either record has no company: a person has a mobile and an office line, and the
    office line changes with the job. Nor two addresses a slip or two apart under one
    name (``lucy.ferrnandes@`` and ``lucy.fernnades@``, each mistyped from
    ``lucy.fernandes@``): no company gives two namesakes such addresses (it numbers
    them: ``marie.durand2@``).
    """
    from .comparisons import _one_profile, _one_slip, _told_apart

    emails, phones, linkedin, companies = f.emails, f.phones, f.linkedin, f.company_id
    firsts, lasts = f.first, f.last

    def differ(x: np.ndarray, y: np.ndarray) -> bool:
        xs = {v for v in x.tolist() if v}
        ys = {v for v in y.tolist() if v}
        return bool(xs) and bool(ys) and not (xs & ys)

    def domains(x: np.ndarray) -> set[str]:
        return {v.rpartition("@")[2] for v in x.tolist() if v}

    def mistyped(a: int, b: int, shared: set[str]) -> bool:
        """Two addresses at a shared domain a slip or two apart (see ``_one_slip``),
        the names alike."""
        if not (firsts[a] and lasts[a]) or firsts[a] != firsts[b] or lasts[a] != lasts[b]:
            return False
        xs = [v.rpartition("@") for v in emails[a].tolist() if v]
        ys = [v.rpartition("@") for v in emails[b].tolist() if v]
        return any(dx == dy and dx in shared and _one_slip(x, y) and _told_apart(x, y) is None
                   for x, _, dx in xs for y, _, dy in ys)

    def conflict(a: int, b: int) -> bool:
        if differ(emails[a], emails[b]):
            shared = domains(emails[a]) & domains(emails[b])
            if shared and not mistyped(a, b, shared):
                return True
        if (linkedin[a] and linkedin[b] and linkedin[a] != linkedin[b]
                and not _one_profile(linkedin[a], linkedin[b])):
            return True
        return bool(companies[a]) and companies[a] == companies[b] and differ(
            phones[a], phones[b])

    return conflict


def _vouching(f: PersonFeatures, shared: dict[str, int]) -> Callable[[int, int], bool]:
    """Whether two records share what one person alone has: an address or a LinkedIn
    profile (see ``_anchored``), or a number no one else carries (not in ``shared``,
    see ``shared_phones``)."""
    anchored, phones = _anchored(f), f.phones

    def vouched(a: int, b: int) -> bool:
        if anchored(a, b):
            return True
        return bool({v for v in phones[a].tolist() if v and v not in shared}
                    & set(phones[b].tolist()))

    return vouched


def _anchored(f: PersonFeatures) -> Callable[[int, int], bool]:
    """Whether two records share an address or a LinkedIn profile: what one person alone
    has (a number may be a switchboard, which few records carrying it does not rule
    out)."""
    emails, linkedin = f.emails, f.linkedin

    def anchored(a: int, b: int) -> bool:
        if bool(linkedin[a]) and linkedin[a] == linkedin[b]:
            return True
        return bool({v for v in emails[a].tolist() if v} & {v for v in emails[b].tolist() if v})

    return anchored


def _covered(f: PersonFeatures) -> Callable[[list[int], list[int]], bool]:
    """Whether the records ``inside`` give no surname, and every address, number and
    LinkedIn profile of theirs is one that a record of ``other`` carries too: a list of
    addresses alone, or of given names and addresses."""
    emails, phones, linkedin, last = f.emails, f.phones, f.linkedin, f.last

    def carried(members: list[int]) -> set[str]:
        found = set()
        for i in members:
            found.update(v for v in emails[i].tolist() if v)
            found.update("tel:" + v for v in phones[i].tolist() if v)
            if linkedin[i]:
                found.add("in:" + linkedin[i])
        return found

    def covered(inside: list[int], other: list[int]) -> bool:
        return not any(last[i] for i in inside) and carried(inside) <= carried(other)

    return covered


def _names_apart(f: PersonFeatures, guarded: Callable[[int, int], bool],
                 ) -> Callable[[int, int], bool]:
    """Whether two records' names are two people's: names no reading reconciles (see
    ``same_person_name``), or names the guard found contradicting (``guarded``)."""
    first, last = f.first, f.last

    def apart(a: int, b: int) -> bool:
        return guarded(a, b) or not same_person_name((first[a], last[a]), (first[b], last[b]))

    return apart


def _one_name(f: PersonFeatures) -> Callable[[int, int], bool]:
    """Whether two records' names may be one person's, each with a given name and a
    surname: written alike, or a nickname, an initial or a typo apart (see
    ``same_person_name``): Joe and Joseph Mallet."""
    from .comparisons import same_person_name

    first, last = f.first, f.last

    def one(a: int, b: int) -> bool:
        return (bool(first[a]) and bool(last[a]) and bool(first[b]) and bool(last[b])
                and same_person_name((first[a], last[a]), (first[b], last[b])))

    return one


def _moved(f: PersonFeatures, shared: dict[str, int]) -> Callable[[int, int], bool]:
    """Whether two records are one person's two jobs as far as a pair can tell: names
    that may be one person's (see ``_one_name``: "F. Leroy" and Franck Leroy, "Flo" and
    Florence Lefebvre), and a mobile no one else carries (not a landline, which a site's
    firms share, nor an address, which namesakes' files may give alike) or one LinkedIn
    profile."""
    same = _one_name(f)
    phones, mobiles, linkedin = f.phones, f.mobiles, f.linkedin

    def moved(a: int, b: int) -> bool:
        if not same(a, b):
            return False
        if linkedin[a] and linkedin[a] == linkedin[b]:
            return True
        for s, x in enumerate(phones[a].tolist()):
            if not x or x in shared:
                continue
            for t, y in enumerate(phones[b].tolist()):
                if x == y and ((int(mobiles[a]) >> s) | (int(mobiles[b]) >> t)) & 1:
                    return True
        return False

    return moved


def _golden_member(members: list[int], ids: list[str], heads: Counter[str],
                   completeness: list[int]) -> int:
    """The member with the most merged records behind it, then the fullest, then the
    smallest id (the id tie-break built only when there is a tie)."""
    # No golden record yet (a first run): completeness alone orders them the same way.
    keys: list[Any] = ([(heads.get(ids[i], 0), completeness[i]) for i in members] if heads
                       else [completeness[i] for i in members])
    best = max(keys)
    tied = [i for i, k in zip(members, keys, strict=True) if k == best]
    if len(tied) == 1:
        return tied[0]
    names = [ids[i] for i in tied]
    if len({len(name) for name in names}) == 1:
        # Ids of one length (the store's own): the smallest string is the one the
        # general rule below picks, found without building a key per character.
        return tied[names.index(min(names))]
    return max(tied, key=lambda i: _neg(ids[i]))


def _neg(text: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in text)


# -- companies --------------------------------------------------------------------------


def _company_scores(f: CompanyFeatures, pairs: np.ndarray) -> tuple[np.ndarray, list[list[str]]]:
    """Rules for companies: identifiers decide, names only with nothing against them.

    Same SIREN → match; different SIRENs → never. Same domain → match. The same name
    once legal forms are stripped (≥ 3 characters, DD-3) → match unless the domains
    differ or the two are in two towns (two "Boulangerie Martin", in Lyon and in
    Marseille: review); a name scoring ≥ 92 (DD-4) in the same city or postcode →
    match, else review.

    Two domains are a question for the reviewer only when they could be one
    company's: the same site name under another suffix (acme.fr, acme.com), or a name
    no third domain carries. A name several unrelated sites use (Orbit, Atlas) and a
    merely similar name on another site are two companies: kept below review.
    """
    a, b = pairs[:, 0], pairs[:, 1]
    na, nb = f.name_key[a], f.name_key[b]
    sim = process.cpdist(list(na), list(nb), scorer=fuzz.token_sort_ratio, workers=-1) if len(
        pairs) else np.zeros(0)
    place = ((f.city[a] == f.city[b]) & (f.city[a] != "")) | (
        (f.postcode[a] == f.postcode[b]) & (f.postcode[a] != ""))
    elsewhere = ~place & (f.city[a] != "") & (f.city[b] != "")
    da, db = f.domain[a], f.domain[b]
    sites_of = _site_names_of(f)
    # A name three site names carry is several companies'; one two carry, where one
    # record has no site, is no telling which (its people may work at either).
    common = {name for name, found in sites_of.items() if len(found) >= 3}
    several = sites_of.keys()
    # "St Gobain" is "Saint-Gobain": one name (see saints_shortened). Derived once per
    # company of the pairs, as the domains' site names: at a million people, 780,000
    # pairs of 100,000 companies (the clusters' checks score a few pairs at a time).
    named = np.unique(pairs)
    short = map_distinct(saints_shortened, f.name_key[named])
    site = map_distinct(_site_name, f.domain[named])
    at_a, at_b = np.searchsorted(named, a), np.searchsorted(named, b)
    same_short = (short[at_a] == short[at_b]).tolist()
    same_site = (site[at_a] == site[at_b]).tolist()
    # Read as lists: elements taken one by one from arrays cost more than the loop.
    p_list: list[float] = []
    why: list[list[str]] = []
    for (sa, sb, da_, db_, na_, nb_, sim_, place_, elsewhere_, short_, site_) in zip(
            f.siren[a].tolist(), f.siren[b].tolist(), da.tolist(), db.tolist(),
            na.tolist(), nb.tolist(), sim.tolist(), place.tolist(), elsewhere.tolist(),
            same_short, same_site, strict=True):
        if sa and sb:
            if sa == sb:
                pk, r = 1.0, ["same SIREN"]
            else:
                pk, r = 0.0, ["different SIREN"]
        elif da_ and db_ and da_ == db_:
            pk, r = 0.99, ["same domain"]
        elif na_ and short_ and len(na_) >= 3:
            if da_ and db_:
                if site_:
                    pk, r = 0.5, ["same name", "same site name, other domain"]
                elif na_ in common:
                    pk, r = 0.3, ["same name", "different domains",
                                  "a name several companies use"]
                else:
                    pk, r = 0.5, ["same name", "different domains"]
            elif (da_ or db_) and (na_ in several or nb_ in several):
                pk, r = 0.3, ["same name without legal form",
                              "no domain on one side, a name several sites carry"]
            elif elsewhere_:
                pk, r = _UNPLACED, ["same name without legal form", "different towns"]
            else:
                pk, r = 0.97, ["same name without legal form"]
        elif sim_ >= 92 and min(len(na_), len(nb_)) >= 3:
            conflict = bool(da_ and db_)
            pk = (0.5 if site_ else 0.3) if conflict else (0.95 if place_ else _UNPLACED)
            r = [f"similar name ({sim_:.0f})"] + (["same place"] if place_ else []) + (
                ["different domains"] if conflict else [])
        else:
            pk, r = 0.0, [f"different names ({sim_:.0f})"]
        p_list.append(pk)
        why.append(r)
    return np.array(p_list, dtype=float), why


# What _company_scores gives a name with nothing against it and no town in common
# ("Transports Vachon" and "Trannsports Vachon", one with no town), and what an address or
# number at both makes of it.
_UNPLACED = 0.6
_VOUCHED = 0.95


def _vouched_by_contacts(store: Store, f: CompanyFeatures, pairs: np.ndarray,
                         p: np.ndarray, why: list[list[str]]) -> None:
    """Raise the pairs scored ``_UNPLACED`` that share an email address or a phone
    number (their people's, or their own) to a match: one person's records naming their
    company two ways, its switchboard or its ``contact@`` on both. Two companies with
    such names and nothing against them were a question for the reviewer only for want
    of a place in common (at 5,000 people, a quarter of the companies' review queue)."""
    at = np.flatnonzero(p == _UNPLACED)
    if not len(at):
        return
    contacts = _contacts_of(store, sorted({str(f.ids[i]) for i in pairs[at].ravel()}))
    for k in at.tolist():
        mine = contacts.get(str(f.ids[pairs[k, 0]]))
        theirs = contacts.get(str(f.ids[pairs[k, 1]]))
        if mine and theirs and not mine.isdisjoint(theirs):
            p[k] = _VOUCHED
            why[k] = [*why[k], "an address or number at both"]


def _contacts_of(store: Store, ids: list[str]) -> dict[str, set[str]]:
    """The email keys and phone keys of these companies' active people and their own."""
    out: dict[str, set[str]] = {}
    for chunk in chunked(ids, 500):
        marks = ", ".join("?" for _ in chunk)
        for cid, emails, phones in store.conn.execute(
            f"SELECT company_id, emails, phones FROM people WHERE company_id IN ({marks})"
            " AND merged_into IS NULL", chunk,
        ):
            out.setdefault(cid, set()).update(contact_keys(emails, phones))
        for cid, emails, phones in store.conn.execute(
            f"SELECT id, emails, phones FROM companies WHERE id IN ({marks})", chunk,
        ):
            # Keyed as the people's addresses are (see dedupe.features._emails).
            keys = [mailbox_of(str(e).strip().lower()) for e in json.loads(emails or "[]")]
            keys += [phone_key(str(x)) for x in json.loads(phones or "[]")]
            out.setdefault(cid, set()).update(k for k in keys if k)
    return out


def _site_name(domain: str) -> str:
    """A registered domain without its suffix: acme.fr, acme.com and acme.co.uk → acme."""
    return domain.split(".", 1)[0]


def _site_names_of(f: CompanyFeatures) -> dict[str, set[str]]:
    """The names that companies of two site names or more carry (see ``_site_name``),
    with those site names; worked out once per run (clustering scores a few pairs at a
    time)."""
    found = f.extra.get("site names")
    if found is None:
        sites: dict[str, set[str]] = {}
        for name, domain in zip(f.name_key.tolist(), f.domain.tolist(), strict=True):
            if domain and name:
                sites.setdefault(name, set()).add(_site_name(domain))
        found = f.extra["site names"] = {
            name: names for name, names in sites.items() if len(names) >= 2}
    return found


def _companies(store: Store, state: RunState, settings: DedupeSettings) -> None:
    component = "dedupe:company"
    _finish_pending(store, state, "company", settings)
    f = load_companies(store)
    n = len(f)
    state.add("companies_read", n)
    if n < 2:
        return
    seen = _hashes(store, component)
    dirty = np.fromiter((seen.get(i) != h for i, h in zip(f.ids, f.hashes, strict=True)),
                        dtype=bool, count=n)
    must, cannot = _constraints(store, "company", f.ids)
    pairs, report = company_pairs(f, max_block=settings.max_block, dirty=dirty)
    state.messages.extend(report.messages())
    if not len(pairs) and not must:
        _save_hashes(store, component, f.ids[dirty], f.hashes[dirty], state.run_id)
        return
    p, why = _company_scores(f, pairs)
    _vouched_by_contacts(store, f, pairs, p, why)
    state.add("company_pairs_scored", len(pairs))
    key = list(zip(pairs[:, 0].tolist(), pairs[:, 1].tolist(), strict=True))
    probability = dict(zip(key, p.tolist(), strict=True))
    reasons = dict(zip(key, why, strict=True))
    edges = [k for k, v in probability.items() if v >= settings.match_threshold
             and k not in cannot] + sorted(must)
    groups = components(n, np.array(edges, dtype=np.int64).reshape(-1, 2))

    def score(arr: np.ndarray) -> np.ndarray:
        extra_p, _ = _company_scores(f, arr)
        return extra_p

    clusters, split = coherent_clusters(groups, probability, score,
                                        link=settings.match_threshold,
                                        floor=settings.cannot_link, must=must, cannot=cannot)
    state.add("company_clusters_split", split)
    completeness = _company_ranks(store, f, clusters)
    _drop_stale_reviews(store, "company", f.ids, pairs, p, settings.review_threshold)
    _record_pairs(store, "company", f.ids, pairs, p, np.zeros(len(p)), why, clusters,
                  settings, state.run_id)
    merges = _cluster_merges(store, "company", clusters, f.ids, completeness, probability,
                             reasons)
    _merge_clusters(store, state, "company", merges, settings,
                    _staying(f.ids, f.hashes, dirty, clusters))


def _company_ranks(store: Store, f: CompanyFeatures, clusters: list[list[int]]) -> np.ndarray:
    """What chooses a company cluster's golden record (after the records already merged
    into it): the most people, then the fullest (name, domain, SIREN, city).

    The golden row's values come from every member whatever its id (survivorship); the
    id is what people point at, so the record most of them already point at keeps it and
    the fewest are moved (at a million people, 149,000 rather than 506,000).
    """
    n = len(f)
    full = np.array([sum(bool(x) for x in (f.name_key[i], f.domain[i], f.siren[i],
                                          f.city[i])) for i in range(n)], dtype=np.int64)
    inside = sorted({i for members in clusters for i in members})
    if not inside:
        return full
    named = [str(f.ids[i]) for i in inside]
    people = store._people_counts(named)
    counts = np.zeros(n, dtype=np.int64)
    counts[inside] = [people.get(cid, 0) for cid in named]
    return counts * 5 + full  # full: 0 to 4


def _staying(ids: np.ndarray, hashes: np.ndarray, dirty: np.ndarray,
             clusters: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Ids and hashes of the new or changed records no cluster holds (golden records'
    hashes are recorded once they are merged)."""
    stay = dirty.copy()
    # One index of every member: a numpy assignment per cluster took 0.5 s at a million.
    stay[np.fromiter(itertools.chain.from_iterable(clusters), dtype=np.int64)] = False
    return ids[stay], hashes[stay]


def _drop_stale_reviews(store: Store, kind: str, ids: np.ndarray, pairs: np.ndarray,
                        p: np.ndarray, review: float) -> None:
    """Take out of the review queue the questions of earlier runs that this run scored
    below ``review`` (a record changed, or the rules did): nobody answered them, and
    they are no longer questions. Answered pairs stay, with their answer."""
    rows = store.conn.execute(
        "SELECT id, a, b FROM pairs WHERE kind = ? AND decision = 'review' AND review IS NULL",
        (kind,)).fetchall()
    if not rows or not len(pairs):
        return
    index = {x: i for i, x in enumerate(ids.tolist())}
    n = len(ids)
    asked: dict[int, str] = {}
    for pid, a, b in rows:
        i, j = index.get(a), index.get(b)
        if i is not None and j is not None:
            asked[min(i, j) * n + max(i, j)] = pid
    if not asked:
        return
    codes = np.fromiter(asked, dtype=np.int64, count=len(asked))
    gone = np.zeros(len(codes), dtype=bool)
    step = 1_000_000
    for start in range(0, len(pairs), step):
        part, below = pairs[start:start + step], p[start:start + step] < review
        low = part[below].astype(np.int64)
        gone |= np.isin(codes, np.minimum(low[:, 0], low[:, 1]) * n
                        + np.maximum(low[:, 0], low[:, 1]))
    if gone.any():
        with store.write():
            store.conn.executemany("DELETE FROM pairs WHERE id = ?",
                                   [(asked[c],) for c in codes[gone].tolist()])


def _record_pairs(store: Store, kind: str, ids: np.ndarray, pairs: np.ndarray, p: np.ndarray,
                  w: np.ndarray, why: list[list[str]] | None, clusters: list[list[int]],
                  settings: DedupeSettings, run_id: str,
                  reasons_of: Any = None) -> None:
    """Keep matched and borderline pairs (with their reasons); the questions they ask
    are counted once the run's merges are written (see :func:`run`).

    One transaction, written in slices: the rows of a million pairs are never all
    held at once.
    """
    cluster_of = np.full(len(ids), -1, dtype=np.int64)
    for c, members in enumerate(clusters):
        cluster_of[members] = c
    keep = np.flatnonzero(p >= settings.review_threshold)
    ca, cb = cluster_of[pairs[keep, 0]], cluster_of[pairs[keep, 1]]
    together = (ca >= 0) & (ca == cb)
    # "split": matched, but kept apart by the coherence check.
    decisions = np.where(together, "match",
                         np.where(p[keep] >= settings.match_threshold, "split", "review"))
    now = utc_now()
    texts: dict[tuple[str, ...], str] = {}
    step = 100_000
    with store.write():
        for start in range(0, len(keep), step):
            part = keep[start:start + step]
            found = reasons_of(part) if why is None else [why[k] for k in part.tolist()]
            # Whole columns to Python objects at once: indexing numpy one pair at a time
            # costs more than writing the row.
            rows = list(zip(ids[pairs[part, 0]].tolist(), ids[pairs[part, 1]].tolist(),
                            p[part].tolist(), w[part].tolist(), found,
                            decisions[start:start + step].tolist(), strict=True))
            _store_pairs(store, kind, rows, run_id, now, texts)


# -- people -----------------------------------------------------------------------------


def name_frequencies(f: PersonFeatures) -> tuple[np.ndarray, np.ndarray]:
    """How common each record's given name and surname are (share of records)."""
    cached = f.extra.get("name_freq")
    if cached is None:
        n = max(len(f), 1)
        out = []
        for name, column in (("first", f.first), ("last", f.last)):
            codes = f.extra.get("values:" + name)  # the comparisons' codes, once made
            if codes is not None and len(codes) == len(column):
                out.append(np.bincount(codes)[codes] / n)
                continue
            values = column.tolist()
            counts = Counter(values)
            out.append(np.fromiter(map(counts.__getitem__, values), dtype=np.float64,
                                   count=len(values)) / n)
        cached = f.extra["name_freq"] = (out[0], out[1])
    return cached


def score_pairs(model: Model, f: PersonFeatures, pairs: np.ndarray, levels: np.ndarray,
                settings: DedupeSettings, *, workers: int = 1,
                ) -> tuple[np.ndarray, np.ndarray]:
    """Match weight and probability, with term-frequency adjustment on exact names.

    As splink's ``tf_adjustment``: an exact "Martin" proves less than an exact
    "Kerbrat", so an exact name's u becomes that name's own frequency (floored).
    Computed a million pairs at a time (element-wise, so alike), into the two arrays
    returned: tens of millions of pairs would otherwise hold several temporaries each.
    With ``workers`` > 1 and over ``SCORE_IN_TWO`` pairs, a forked process scores the
    second half (at a million people, 2.3 s in one process).
    """
    if workers > 1 and len(pairs) >= SCORE_IN_TWO and can_fork():
        name_frequencies(f)  # built once, before the fork
        half = len(pairs) // 2
        # Each half written in place, in memory both processes share.
        w, p = shared_array((2, len(pairs)), np.float64)
        with Child(_score_child, (model, f, pairs[half:], levels[half:], settings,
                                  w[half:], p[half:]),
                   doing="the process scoring pairs", then="nothing was written") as child:
            _score_into(model, f, pairs[:half], levels[:half], settings, w[:half], p[:half])
            child.recv()  # its half is written
        return w, p
    w = np.empty(len(pairs))
    p = np.empty(len(pairs))
    _score_into(model, f, pairs, levels, settings, w, p)
    return w, p


SCORE_IN_TWO = 2_000_000  # candidate pairs from which two processes score them


def _score_child(writer: Any, model: Model, f: PersonFeatures, pairs: np.ndarray,
                 levels: np.ndarray, settings: DedupeSettings, w: np.ndarray,
                 p: np.ndarray) -> None:
    _score_into(model, f, pairs, levels, settings, w, p)
    writer.send(("scores", None))


def _score_into(model: Model, f: PersonFeatures, pairs: np.ndarray, levels: np.ndarray,
                settings: DedupeSettings, w: np.ndarray, p: np.ndarray) -> None:
    step = 1_000_000
    for start in range(0, len(pairs), step):
        end = start + step
        w[start:end], p[start:end] = _score_slice(model, f, pairs[start:end],
                                                  levels[start:end], settings)


def _score_slice(model: Model, f: PersonFeatures, pairs: np.ndarray, levels: np.ndarray,
                 settings: DedupeSettings) -> tuple[np.ndarray, np.ndarray]:
    w, _ = model.score(levels)
    if len(pairs):
        first_freq, last_freq = name_frequencies(f)
        floor = max(1.0 / max(len(f), 1), 1e-5)
        for column, freq in ((0, first_freq), (1, last_freq)):
            exact = levels[:, column] == 1
            if exact.any():
                u_level = model.u[column][0]
                u_tf = np.maximum(freq[pairs[exact, 0]], floor)
                w[exact] += np.log2(u_level / u_tf)
    p = 1.0 / (1.0 + np.exp2(-w))
    review = settings.review_threshold
    return w, guard(levels, p, review, _surnames_apart(f, pairs, levels, p, review),
                    _address_names_another(f, pairs, p, review),
                    _namesakes_by_address(f, pairs, levels, p, review))


def _namesakes_by_address(f: PersonFeatures, pairs: np.ndarray, levels: np.ndarray,
                          p: np.ndarray, review: float) -> np.ndarray:
    """Which pairs hold one name (alike, or a nickname, a typo or initials of it) behind
    two addresses at one company that the company told apart by a number, a generation
    word or a middle initial (``c.lemaire@`` and ``c.lemaire2@``): two namesakes, for
    whom the one number both give is the office's, no key (see :func:`guard`). Either
    address of each record, at one company's domain (``email_domains`` is empty for a
    free-mail address). Asked only where ``p`` reaches ``review``."""
    from .comparisons import _told_apart

    out = np.zeros(len(pairs), dtype=bool)
    first, last = levels[:, 0], levels[:, 1]
    rows = np.flatnonzero((levels[:, 2] == 4) & (levels[:, 3] == 1) & (p >= review)
                          & (first >= 1) & (first <= 4) & (last >= 1) & (last <= 3))
    if len(rows):
        told = ("numbered", "generations", "middle initial")
        locals_, domains = f.email_locals, f.email_domains
        out[rows] = [
            any(locals_[a, i] and locals_[b, j] and domains[a, i]
                and domains[a, i] == domains[b, j]
                and _told_apart(locals_[a, i], locals_[b, j]) in told
                for i in (0, 1) for j in (0, 1))
            for a, b in zip(pairs[rows, 0].tolist(), pairs[rows, 1].tolist(), strict=True)]
    return out


def _address_names_another(f: PersonFeatures, pairs: np.ndarray, p: np.ndarray,
                           review: float) -> np.ndarray:
    """Which pairs join a record with no name to a named one whose name its address does
    not spell, where that address spells one: ``jeremy.white@`` (a newsletter sign-up,
    a list of addresses) beside Gavin Smith on the company's switchboard is another
    person, as two names are (a contradiction for :func:`guard`). An address spells a
    name when its words, split at dots, hyphens and underscores, hold a given name of
    the lists or open on an initial (``d.mauger``); not a role's (``contact@``) nor a
    word alone. Asked only where ``p`` reaches ``review``."""
    from .comparisons import _local_fits
    from .features import given_names, local_words

    out = np.zeros(len(pairs), dtype=bool)
    nameless = f.extra.get("nameless")  # once per run: asked of every million pairs
    if nameless is None:
        nameless = f.extra["nameless"] = (f.first == "") & (f.last == "")
    a, b = pairs[:, 0], pairs[:, 1]
    rows = np.flatnonzero((p >= review) & (nameless[a] != nameless[b]))
    if not len(rows):
        return out
    from enrichers.lists import is_role

    known = given_names()
    for k, x, y in zip(rows.tolist(), a[rows].tolist(), b[rows].tolist(), strict=True):
        bare, named = (x, y) if nameless[x] else (y, x)
        first, last = f.first[named], f.last[named]
        if not (first and last):
            continue
        for local in f.email_locals[bare].tolist():
            words = local_words(local)
            if len(words) < 2 or is_role(local) or not (
                    any(w in known for w in words)
                    or (len(words[0]) == 1 and len(words[1]) >= 3)):
                continue
            if not _local_fits(local, first, last):
                out[k] = True
                break
    return out


def _surnames_apart(f: PersonFeatures, pairs: np.ndarray, levels: np.ndarray,
                    p: np.ndarray, review: float) -> np.ndarray:
    """Which pairs have two surnames of their own only loosely alike (Lebrun and Leblanc,
    Jones and Johnson: both in the lists, two letters or more apart): a contradiction for
    :func:`guard`, as two given names are. Asked only where ``p`` reaches ``review``."""
    apart = np.zeros(len(pairs), dtype=bool)
    rows = np.flatnonzero((levels[:, 1] == 4) & (p >= review))
    if len(rows):
        known = surnames()
        apart[rows] = np.fromiter(
            (x in known and y in known and distance.OSA.distance(x, y, score_cutoff=2) >= 2
             for x, y in zip(f.last_core[pairs[rows, 0]].tolist(),
                             f.last_core[pairs[rows, 1]].tolist(), strict=True)),
            dtype=bool, count=len(rows))
    return apart


def guard(levels: np.ndarray, p: np.ndarray, review: float,
          surnames_apart: np.ndarray | None = None,
          address_names_another: np.ndarray | None = None,
          namesakes_by_address: np.ndarray | None = None) -> np.ndarray:
    """No merge on a name contradiction without an exact key (DD-4).

    ``address_names_another`` marks pairs where a record with no name has an address
    that spells another person's than the named record's (see
    :func:`_address_names_another`): a contradiction, and no number is a key for it.

    A different given name or surname (not a nickname, initial, typo or swap; or two
    surnames of their own only loosely alike, ``surnames_apart``) merges
    only with the same address, a number nobody else has (unless each has an address
    at one company that is not the other's), or the same LinkedIn profile; otherwise
    the pair goes to review at most, and only when something personal is shared (an
    address, a local part, a number no third person carries, a profile): one person
    under a name the tables do not know is a question for the reviewer. With nothing of
    the kind, two colleagues or relatives at one company (Laurent and Émilie Petit, or
    Joe and Niamh Bailey on the office line) are not: such a pair stays just below
    ``review``, still a "cannot link" for clustering, but out of the review queue.
    """
    # Two addresses at one company and titles far apart in seniority (a president and
    # an assistant) or in two departments (a sales director and an accountant): two
    # namesakes the company told apart. (Another title alone stays weak evidence:
    # sources disagree on titles, and people change jobs.) So are two addresses there
    # with two numbers, two towns and two titles: its London consultant and its New York
    # HR manager. So are two records at one company in two towns, with titles that far
    # apart, whatever their addresses: its CFO in San Francisco (a Gmail address) and its
    # account executive in Pittsburgh (none). And so are two records at one company with
    # titles that far apart and two numbers, no address in common: Damien Benoît, its
    # developer on one mobile and its président on another.
    # (Not two names of one town with one postcode: Valbonne and Sophia Antipolis,
    # 06560.)
    contradiction = (levels[:, 0] == 6) | (levels[:, 2] == 4) | ((levels[:, 2] == 3) & (
        (levels[:, 9] >= 3) | ((levels[:, 3] == 3) & (levels[:, 6] == 3)
                               & (levels[:, 7] != 1) & (levels[:, 9] >= 2)))) | (
        (levels[:, 5] == 1) & (levels[:, 9] >= 3) & (levels[:, 6] == 3) & (levels[:, 7] != 1)) | (
        (levels[:, 5] == 1) & (levels[:, 9] >= 3) & (levels[:, 3] == 3) & (levels[:, 2] != 1))
    # Two profiles of their own (in/zacharie-marin-1a33d7ff, in/zacharie-marin-203): two
    # people, whatever else agrees.
    contradiction |= levels[:, 4] == 2
    if surnames_apart is not None:
        contradiction |= surnames_apart  # see _surnames_apart
    # An address two people share (lrobin@ for Louise and Lucas) is no proof when the
    # numbers differ.
    # A home address (same street address and postcode, no company on either side) is
    # such a key too: registries and consumer files have nothing else. Not where two
    # addresses at one company's domain or the office line say it is the office's.
    home = (levels[:, 8] <= 2) & (levels[:, 8] > 0) & (
        (levels[:, 7] == 1) | ((levels[:, 6] >= 1) & (levels[:, 6] <= 2))) & (
        levels[:, 5] == 0) & (levels[:, 2] != 3) & (levels[:, 2] != 4) & (levels[:, 3] != 2)
    # A number nobody else carries is no key for two given names that differ behind two
    # addresses at one company that are not one person's (jean@ and jeanne@ on a family
    # firm's line): the addresses say two people as plainly as the names.
    # Nor for one name exactly behind two such addresses (patrick.durand@ and
    # patrick.durand.jr@ on the office line): the company told two namesakes apart.
    apart = (levels[:, 2] == 4) & ((levels[:, 0] == 6) | (
        (levels[:, 0] == 1) & (levels[:, 1] == 1)))
    # Nor for a record with no name whose address spells another person's
    # (``address_names_another``): the switchboard it shares is the company's.
    if address_names_another is not None:
        contradiction |= address_names_another
        apart |= address_names_another
    # Nor for one name behind two addresses the company told apart by a number, a
    # generation word or a middle initial, however the names are written (C. Lemaire at
    # c.lemaire@ and c.lemaire2@): see _namesakes_by_address.
    if namesakes_by_address is not None:
        apart |= namesakes_by_address
    own_number = (levels[:, 3] == 1) & ~apart
    exact = ((levels[:, 2] == 1) & (levels[:, 3] != 3)) | own_number | (
        levels[:, 4] == 1) | home
    # Another surname behind one address is a shared mailbox (laure@, contact@) as often
    # as a married name: it takes the same number or profile too.
    surname = levels[:, 1] == 5
    capped = (contradiction & ~exact) | (
        surname & ~((levels[:, 3] == 1) | (levels[:, 4] == 1) | home))
    # With no contact field or company on either side (a registry, a consumer file)
    # there is no key to wait for: the model's weight decides alone.
    capped &= (levels[:, 2] > 0) | (levels[:, 3] > 0) | (levels[:, 4] > 0) | (levels[:, 5] > 0)
    if not capped.any():
        return p
    shared = ((levels[:, 2] == 1) | (levels[:, 2] == 2) | (levels[:, 3] == 1)
              | (levels[:, 4] == 1))
    ceiling = np.where(shared, review, contradicted(review))
    return np.where(capped, np.minimum(p, ceiling), p)


def contradicted(review: float) -> float:
    """The probability :func:`guard` gives a pair whose names contradict and who share
    nothing: just below ``review``, a value no model score takes, which clustering reads
    as two people."""
    return float(np.nextafter(review, 0.0))


def _load_model(store: Store) -> Model | None:
    text = store.get_meta(_MODEL_KEY)
    return Model.from_json(text) if text else None


def _train(f: PersonFeatures, pairs: np.ndarray, levels: np.ndarray,
           phone_counts: dict[str, int], batch: int) -> tuple[Model, str]:
    """The model trained on these pairs, and its text for the store.

    Stored here, the text would be the first commit since the company phase, which
    copies what that phase left in the write-ahead log into the file (0.7 s at a
    million people) on the one core training runs on. It is stored with the scored
    pairs instead (see ``_people``), while the other process prepares merges; a run
    stopped before then trains again on the same pairs with the same seed and gets the
    same text.
    """
    n = len(f)
    rng = np.random.default_rng(20261201)
    count = int(min(60_000, n * (n - 1) // 2))
    a = rng.integers(0, n, count)
    b = rng.integers(0, n, count)
    keep = a != b
    random_pairs = np.stack([a[keep], b[keep]], axis=1)
    random_levels = levels_in_two(f, random_pairs, phone_counts, batch)
    sample = levels
    if len(levels) > 500_000:
        sample = levels[rng.choice(len(levels), 500_000, replace=False)]
    text = train(sample, random_levels, trained_on=n).to_json()
    # Scored with the parameters as stored (rounded): a run stopped once they are
    # stored scores with them when run again, and must find what this one finds.
    model = Model.from_json(text)
    assert model is not None
    return model, text


def _score_more(model: Model, f: PersonFeatures, phone_counts: dict[str, int],
                settings: DedupeSettings, pairs: np.ndarray) -> np.ndarray:
    """Probabilities of pairs blocking did not propose (the coherence check's)."""
    return score_pairs(model, f, pairs, person_levels(f, pairs, phone_counts), settings)[1]


def _reasons_at(model: Model, levels: np.ndarray, ruled: np.ndarray,
                at: np.ndarray) -> list[list[str]]:
    """The reasons of the pairs at ``at``, as :func:`_reasons_indexed` gives them."""
    lists, which = _reasons_indexed(model, levels, at, ruled)
    return [lists[k] for k in which.tolist()]


def _reasons_indexed(model: Model, levels: np.ndarray, at: np.ndarray,
                     ruled: np.ndarray) -> tuple[list[list[str]], np.ndarray]:
    """:meth:`Model.reasons_indexed` of the pairs at ``at``, the rule that matched a
    pair first where one did (``ruled``: codes as long as ``levels``, see
    :data:`RULES`)."""
    lists, which = model.reasons_indexed(levels[at])
    codes = ruled[at]
    if codes.any():
        which = which.copy()
        for code in np.unique(codes[codes > 0]).tolist():
            alike = codes == code
            marked = {k: len(lists) + i
                      for i, k in enumerate(np.unique(which[alike]).tolist())}
            lists = [*lists, *([RULES[code], *lists[k]] for k in marked)]
            which[alike] = [marked[k] for k in which[alike].tolist()]
    return lists, which


IDENTICAL = "identical records: every compared field the same"
ONE_PERSONAL_ADDRESS = "one name at one personal address"
# The rules that match a pair whatever the model says, by code (0: none).
RULES = ("", IDENTICAL, ONE_PERSONAL_ADDRESS)


def one_personal_address(f: PersonFeatures, pairs: np.ndarray, levels: np.ndarray,
                         p: np.ndarray, link: float) -> np.ndarray:
    """Which candidate pairs (a mask) are below ``link`` and give one name (one of its
    two words possibly mistyped or a nickname, as a job change's pairs do, see
    ``person_levels``) and share an address at a mail provider: a Gmail or Orange
    address is one person's, and goes with them from job to job (Hervé Guillaume's
    ``herve.guillaume@gmail.com`` at Revado Santé and then at Galova Services), where
    what the new job changes (the company, its line, the town, the title) leaves the
    model below ``link``. Not a work address (a role mailbox, or a colleague's, is
    shared), nor two names (a couple's address), nor a generation apart (Sr. and Jr.:
    two surnames), nor two LinkedIn profiles of their own (two people, whatever else
    agrees)."""
    from .comparisons import one_name_levels, personal_address_shared

    rows = np.flatnonzero((p < link) & (levels[:, 2] == 1) & one_name_levels(levels)
                          & (levels[:, 4] != 2))
    out = np.zeros(len(pairs), dtype=bool)
    if len(rows):
        out[rows] = personal_address_shared(f, pairs[rows, 0], pairs[rows, 1])
    return out


def identical_pairs(f: PersonFeatures, pairs: np.ndarray, levels: np.ndarray, p: np.ndarray,
                    link: float) -> np.ndarray:
    """Which candidate pairs (a mask) are below ``link`` and two records the same in
    every field the matching compares (one dedupe input hash) and give an address, a
    number or a profile: one row twice (a list exported twice, two lists merged).

    The model alone may leave them apart where nothing else tells: in a file of
    addresses and nothing more, every candidate pair is a duplicate and a shared
    address reads as what any two records share. Two records with a name alone
    ("John Smith" twice) stay two people: nothing says they are one.
    """
    # Identical records differ nowhere: names exact or missing on both sides, and so on
    # (a shared line is level 2 of the numbers). One column at a time, the given name
    # first (it tells most pairs apart): tens of millions of pairs make no copy of the
    # levels.
    maybe = levels[:, 0] <= 1
    maybe &= p < link
    for column in range(1, levels.shape[1]):
        maybe &= levels[:, column] <= (2 if column == 3 else 1)
    at = np.flatnonzero(maybe)
    if len(at):
        a, b = pairs[at, 0], pairs[at, 1]
        keyed = (f.emails[a, 0] != "") | (f.phones[a, 0] != "") | (f.linkedin[a] != "")
        maybe[at] = (f.hashes[a] == f.hashes[b]) & keyed
    return maybe


def _people(store: Store, state: RunState, settings: DedupeSettings, *, retrain: bool,
            progress: Progress | None, clock: _Clock,
            loading: PeopleLoading | None = None, pair_indexes: bool = False) -> None:
    """Match and merge the people; with ``pair_indexes``, also build the pairs' indexes
    this run deferred, once the people's pairs are recorded."""
    component = "dedupe:person"
    _finish_pending(store, state, "person", settings)
    # The lists of given names (see name_genders) are read while the other process sends
    # its last people, if it has not yet.
    f = load_people_in_two(store) if loading is None else loading.finish(
        store, idle=name_genders)
    n = len(f)
    state.add("read", n)
    clock.lap("loading")
    if n < 2:
        return
    seen = _hashes(store, component)
    dirty = np.fromiter((seen.get(i) != h for i, h in zip(f.ids, f.hashes, strict=True)),
                        dtype=bool, count=n)
    must, cannot = _constraints(store, "person", f.ids)
    del seen
    model = None if retrain else _load_model(store)
    if model is not None and n >= 4 * max(model.trained_on, 1) and n > 1000:
        model = None  # the store has grown far beyond what the model saw: retrain
    if not dirty.any() and not must and model is not None:
        state.messages.append("no new or changed people since the last run")
        return
    # The columns the comparisons code, and all they need of each number's count: coded
    # before the blocking, whose keys read some of them (see work_domains), so that the
    # process it forks inherits them.
    phone_counts = coded_in_two(f)
    clock.lap("coding")
    pairs, report = person_pairs(f, max_block=settings.max_block, window=settings.window,
                                 dirty=None if model is None else dirty, workers=2)
    state.messages.extend(report.messages())
    state.add("pairs_scored", len(pairs))
    clock.lap("blocking")
    if progress:
        progress(0, len(pairs))
    levels = levels_in_two(f, pairs, phone_counts, settings.batch_pairs)
    trained = None  # the new model's text, stored with the pairs
    if model is None:
        model, trained = _train(f, pairs, levels, phone_counts, settings.batch_pairs)
        state.messages.append(f"model trained on {n} people, {len(pairs)} candidate pairs")
    w, p = score_pairs(model, f, pairs, levels, settings, workers=2)
    # Pairs a rule matches whatever the model says, by code (see RULES).
    ruled = identical_pairs(f, pairs, levels, p, settings.match_threshold).astype(np.int8)
    ruled[one_personal_address(f, pairs, levels, p, settings.match_threshold)
          & (ruled == 0)] = 2
    p[ruled > 0] = 1.0
    if identical := int((ruled == 1).sum()):
        state.add("identical_pairs", identical)
    if personal := int((ruled == 2).sum()):
        state.add("personal_address_pairs", personal)
    clock.lap("scoring")
    if progress:
        progress(len(pairs), len(pairs))
    match = p >= settings.match_threshold
    key_pairs = pairs[match]
    if cannot:
        key_pairs = key_pairs[np.fromiter(
            ((a, b) not in cannot for a, b in key_pairs.tolist()), dtype=bool,
            count=len(key_pairs))]
    # As arrays: a million matched pairs made tuples and back took 0.7 s on one core.
    edges = np.concatenate([key_pairs.astype(np.int64, copy=False),
                            np.array(sorted(must), dtype=np.int64).reshape(-1, 2)])
    groups = components(n, edges)
    in_big = {i for g in groups if len(g) > 2 for i in g}
    probability: dict[tuple[int, int], float] = {}
    reasons: dict[tuple[int, int], list[str]] = {}
    matched = np.flatnonzero(match)
    # A few hundred distinct reason lists among a million pairs: each kept once.
    lists, which = _reasons_indexed(model, levels, matched, ruled)
    for start in range(0, len(matched), 200_000):
        part = matched[start:start + 200_000]
        keys = list(zip(pairs[part, 0].tolist(), pairs[part, 1].tolist(), strict=True))
        probability.update(zip(keys, p[part].tolist(), strict=True))
        reasons.update(zip(keys, map(lists.__getitem__,
                                     which[start:start + 200_000].tolist()), strict=True))
    del lists, which
    if in_big:
        big = np.zeros(n, dtype=bool)
        big[list(in_big)] = True
        inside = np.flatnonzero(~match & big[pairs[:, 0]] & big[pairs[:, 1]])
        keys = zip(pairs[inside, 0].tolist(), pairs[inside, 1].tolist(), strict=True)
        probability.update(zip(keys, p[inside].tolist(), strict=True))
        del big, inside
    del in_big
    score = functools.partial(_score_more, model, f, phone_counts, settings)
    identity = _identity_conflict(f)
    # A pair the guard kept below review (names that contradict, nothing shared) is two
    # people even when neither has an address or a number to tell: Céline and Sophie
    # Gauthier are not joined through an "S. Gauthier" both resemble.
    marker = contradicted(settings.review_threshold)

    def guarded(a: int, b: int, known: dict[tuple[int, int], float] = probability) -> bool:
        return known.get((a, b) if a < b else (b, a)) == marker

    def conflict(a: int, b: int) -> bool:
        return guarded(a, b) or identity(a, b)

    clusters, split = coherent_clusters(groups, probability, score,
                                        link=settings.match_threshold,
                                        floor=settings.review_threshold, must=must,
                                        cannot=cannot, conflict=conflict,
                                        loose_floor=settings.unrelated_floor,
                                        ambiguous_apart=True,
                                        vouched=_vouching(f, phone_counts),
                                        same_name=_one_name(f),
                                        moved=_moved(f, phone_counts),
                                        covered=_covered(f),
                                        names_apart=_names_apart(f, guarded),
                                        anchored=_anchored(f))
    state.add("clusters_split", split)
    clock.lap("clustering")
    # The pairs kept in the pairs table (matched and borderline), recorded once the
    # merges' preparing has started (see _merge_clusters).
    kept = np.flatnonzero(p >= settings.review_threshold)
    kept_pairs, kept_p, kept_w, kept_levels = pairs[kept], p[kept], w[kept], levels[kept]
    kept_ruled = ruled[kept]
    _drop_stale_reviews(store, "person", f.ids, pairs, p, settings.review_threshold)
    # Merging needs the clusters and a few columns: what matching held (the columns,
    # the pairs and their levels) goes before it, as that is when memory peaks.
    completeness = (
        (f.first != "").astype(int) + (f.last != "").astype(int)
        + (f.emails[:, 0] != "").astype(int) + (f.emails[:, 1] != "").astype(int)
        + (f.phones[:, 0] != "").astype(int) + (f.company_id != "").astype(int)
        + (f.title != "").astype(int) + (f.city != "").astype(int)
    )
    ids, seqs = f.ids, f.seqs
    # Remember what every remaining record looked like (goldens: once merged).
    staying = _staying(ids, f.hashes, dirty, clusters)
    del f, score, pairs, levels, w, p, match, key_pairs, edges, groups, matched, phone_counts
    del ruled
    del kept
    written = sum(len(c) - 1 for c in clusters)
    # Each batch's merges are built by the process preparing it (see person_merge_plans).
    names, full, heads = [str(i) for i in ids.tolist()], completeness.tolist(), _heads(
        store, "people")
    del completeness

    def build(reader: Store, start: int, end: int) -> list[Merge]:
        chosen = clusters[start:end]
        part = _merges_of("person", chosen, names, full, heads, probability, reasons)
        assign_cluster_ids(reader, part)
        found = iter(seqs[[i for members in chosen for i in members]].tolist())
        for m, members in zip(part, chosen, strict=True):
            m.seqs = {names[i]: next(found) for i in members}
        return part

    merges = MergesToBuild(len(clusters), written, build)

    def record() -> None:
        if trained is not None:
            store.set_meta(_MODEL_KEY, trained)
        _record_pairs(store, "person", ids, kept_pairs, kept_p, kept_w, None, clusters,
                      settings, state.run_id, reasons_of=functools.partial(
                          _reasons_at, model, kept_levels, kept_ruled))
        if pair_indexes:
            store.restore_indexes(force=True)

    _merge_clusters(store, state, "person", merges, settings, staying,
                    first=record)
    state.add("written", written)
    clock.lap("merging")
