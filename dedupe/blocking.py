"""Blocking: which records are worth comparing at all.

Several independent keys, so that a typo or a missing value in one field does not
hide a pair: exact email, phone, LinkedIn, company + surname sound, company + given
name (with nickname groups), a swap-proof sound key on both names, email local part,
postcode + surname, and a sorted-neighbourhood pass on names. Each key groups records
with numpy (sort, then pairs at offsets 1..size-1 inside each group), never a Python
loop per record. A block larger than ``max_block`` is skipped and reported: a shared
switchboard number or a very common name would otherwise cost n² comparisons and
bring nothing but false pairs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cpdist

from prospecting.forked import Child, can_fork, next_turn, turns

from .comparisons import personal_addresses, work_domains
from .features import (
    CompanyFeatures,
    PersonFeatures,
    map_distinct,
    phonetic,
    saints_shortened,
    share_nickname_groups,
)

__all__ = ["BlockingReport", "company_pairs", "pairs_from_keys", "person_pairs"]


@dataclass
class BlockingReport:
    """Per key: pairs generated, blocks skipped for size and the records in them."""

    pairs: dict[str, int] = field(default_factory=dict)
    skipped_blocks: dict[str, int] = field(default_factory=dict)
    skipped_records: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, other: BlockingReport, name: str) -> None:
        """Take key ``name``'s figures from ``other``."""
        self.pairs[name] = other.pairs[name]
        for mine, theirs in ((self.skipped_blocks, other.skipped_blocks),
                             (self.skipped_records, other.skipped_records),
                             (self.examples, other.examples)):
            if name in theirs:
                mine[name] = theirs[name]

    def messages(self) -> list[str]:
        out = []
        for key, blocks in self.skipped_blocks.items():
            if blocks:
                shown = ", ".join(self.examples.get(key, [])[:3])
                out.append(
                    f"blocking key '{key}': {blocks} block(s) over the size cap skipped "
                    f"({self.skipped_records[key]} records; e.g. {shown})"
                )
        return out


@dataclass
class KeyCodes:
    """Keys made of several columns, as one int64 code per position (0: a part is empty)
    instead of "a|b" strings: equal codes are equal parts (64-bit hashes, as
    :func:`pairs_from_keys` groups strings by), and no string is built. ``parts`` are the
    columns, to show a key."""

    codes: np.ndarray
    parts: list[np.ndarray]

    def __len__(self) -> int:
        return len(self.codes)

    def text(self, position: int) -> str:
        return "|".join(str(part[position]) for part in self.parts)


def pairs_from_keys(
    keys: np.ndarray | KeyCodes, *, max_block: int, name: str, report: BlockingReport,
    rows: np.ndarray | None = None,
) -> np.ndarray:
    """Every pair of records sharing a non-empty key, as an (m, 2) int64 array (i < j).

    ``keys`` holds one key per record (empty string: none), or their codes; ``rows``
    maps positions to record numbers when ``keys`` covers several values per record.
    """
    if rows is None:
        rows = np.arange(len(keys), dtype=np.int64)
    if isinstance(keys, KeyCodes):
        present = keys.codes != 0
        hashed = keys.codes[present]
        text: Callable[[int], str] = keys.text
    else:
        present = keys != ""
        hashed = _hashes(keys[present])
        text = keys.__getitem__
    if not len(hashed):
        report.pairs[name] = 0
        return np.empty((0, 2), dtype=np.int64)
    positions = np.flatnonzero(present)
    order = np.argsort(hashed, kind="stable")
    codes, rows, positions = hashed[order], rows[present][order], positions[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    sizes = np.diff(np.r_[starts, len(codes)])
    big = sizes > max_block
    report.skipped_blocks[name] = int(big.sum())
    report.skipped_records[name] = int(sizes[big].sum())
    if big.any():
        report.examples[name] = [
            f"{text(int(positions[s]))[:24]!r} ×{z}"
            for s, z in zip(starts[big][:3], sizes[big][:3], strict=True)
        ]
    # Position of each element's group end, with skipped groups emptied.
    ends = np.repeat(starts + np.where(big, 0, sizes), sizes)
    position = np.arange(len(codes))
    ends = np.where(np.repeat(big, sizes), position, ends)
    out = []
    largest = int(sizes[~big].max()) if (~big).any() else 1
    # The elements with a partner ``offset`` places on: fewer at each offset (most
    # blocks hold one to three records), each offset's a part of the one before.
    ok = np.flatnonzero(position + 1 < ends)
    for offset in range(1, largest):
        if offset > 1:
            ok = ok[ok + offset < ends[ok]]
        if not len(ok):
            break
        out.append(np.stack([rows[ok], rows[ok + offset]], axis=1))
    found = _ordered(out)
    report.pairs[name] = len(found)
    return found


def neighbourhood_pairs(
    sort_keys: list[np.ndarray], *, window: int, name: str, report: BlockingReport,
) -> np.ndarray:
    """Sorted neighbourhood: records within ``window`` of each other in name order."""
    n = len(sort_keys[0])
    has = sort_keys[0] != ""
    rows = np.flatnonzero(has)
    if len(rows) < 2:
        report.pairs[name] = 0
        return np.empty((0, 2), dtype=np.int64)
    ranked = _sorted_rows([k[rows] for k in sort_keys], rows)
    out = [
        np.stack([ranked[:-offset], ranked[offset:]], axis=1)
        for offset in range(1, min(window, n - 1) + 1)
    ]
    found = _ordered(out)
    report.pairs[name] = len(found)
    return found


def _sorted_rows(keys: list[np.ndarray], rows: np.ndarray) -> np.ndarray:
    """``rows`` in the order of their keys (the first key first), ties by row: the
    order ``sorted(zip(*keys, rows))`` gives. Each key's distinct values are sorted by
    Python (a few hundred thousand surnames at a million records) and the rows by their
    ranks, in numpy."""
    ranks = []
    for key in keys:
        values = key.tolist()
        rank = {value: k for k, value in enumerate(sorted(set(values)))}
        ranks.append(np.fromiter(map(rank.__getitem__, values), dtype=np.int64,
                                 count=len(values)))
    return rows[np.lexsort((rows, *reversed(ranks)))].astype(np.int64, copy=False)


def _ordered(parts: list[np.ndarray]) -> np.ndarray:
    if not parts:
        return np.empty((0, 2), dtype=np.int64)
    found = np.concatenate(parts).astype(np.int64, copy=False)
    # Each pair smaller first (as sorting each row does, without its cost per row).
    low = np.minimum(found[:, 0], found[:, 1])
    np.maximum(found[:, 0], found[:, 1], out=found[:, 1])
    found[:, 0] = low
    return found[found[:, 0] != found[:, 1]]


def unique_pairs(parts: Iterable[np.ndarray], n: int) -> np.ndarray:
    """The union of pair arrays without repeats, sorted."""
    return _from_codes([_codes(p, n) for p in parts], n)


def _codes(pairs: np.ndarray, n: int) -> np.ndarray:
    """Pairs (i < j) as sorted distinct int64 codes ``i * n + j``: half the memory of the
    pairs, and keys that propose the same pair twice keep it once."""
    codes = pairs[:, 0] * n + pairs[:, 1]
    codes.sort()
    return _distinct(codes)


def _distinct(codes: np.ndarray) -> np.ndarray:
    if len(codes) < 2:
        return codes
    return codes[np.r_[True, codes[1:] != codes[:-1]]]


def _from_codes(parts: list[np.ndarray], n: int) -> np.ndarray:
    """The pairs of every code list, each once, sorted; ``parts`` is emptied on the way."""
    chunks = [p for p in parts if len(p)]
    parts.clear()
    if not chunks:
        return np.empty((0, 2), dtype=np.int64)
    # Sort and drop repeats (np.unique hashes object-free int64 slower than a sort).
    # Each part is sorted already: a stable sort (timsort) merges the runs it finds,
    # where quicksort starts again (24 million codes: 0.18 s against 1.8 s).
    codes = np.concatenate(chunks)
    del chunks
    codes.sort(kind="stable")
    codes = _distinct(codes)
    out = np.empty((len(codes), 2), dtype=np.int64)
    np.floor_divide(codes, n, out=out[:, 0])
    np.remainder(codes, n, out=out[:, 1])
    return out


def _hashes(column: np.ndarray) -> np.ndarray:
    """Each value's ``hash()`` as int64, 0 for an empty value. hash() is salted per
    process, which is fine for grouping within one run; 64 bits make a collision
    between two different keys negligible."""
    return np.fromiter((hash(v) if v else 0 for v in column.tolist()), dtype=np.int64,
                       count=len(column))


_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it mod 2**64 loses nothing


def _join_codes(hashed: list[np.ndarray]) -> np.ndarray:
    """Row-wise codes of keys joined from hashed columns (see :func:`_hashes`), 0 when
    any part is empty."""
    code = hashed[0].astype(np.uint64)
    present = hashed[0] != 0
    for h in hashed[1:]:
        code = code * _MIX + h.astype(np.uint64)  # wraps around, as meant
        present &= h != 0
    out = code.view(np.int64)
    out[present & (out == 0)] = 1  # a present key's code is never the empty one
    out[~present] = 0
    return out


def _interleaved(first: KeyCodes, second: KeyCodes) -> KeyCodes:
    """Two keys per record, at positions 2i and 2i + 1."""
    return KeyCodes(np.stack([first.codes, second.codes], axis=1).reshape(-1),
                    [np.stack([a, b], axis=1).reshape(-1)
                     for a, b in zip(first.parts, second.parts, strict=True)])


def _joined_sound(f: PersonFeatures) -> np.ndarray:
    """The sound of each surname written joined (``dossantos``), where its particles make
    it another than its core's (``santos``); "" elsewhere."""
    out = np.full(len(f.last), "", dtype=object)
    rows = np.flatnonzero(f.last != f.last_core)
    if len(rows):
        out[rows] = [phonetic(x) for x in f.last[rows].tolist()]
    return out


def _street_number(address: str) -> str:
    """The number an address starts with ("12" of "12 bis rue x"), or ""."""
    first = address.split(" ", 1)[0]
    return first if first[:1].isdigit() and len(first) <= 6 else ""


# Words a French street's name opens on: its type, then an article ("rue de la Paix",
# "av. des Lilas"). Half of a French file's streets would otherwise start "rued" or
# "aven" (an English street's type comes after its name).
_STREET_OPENERS = frozenset((
    "rue", "r", "avenue", "av", "ave", "bd", "boulevard", "blvd", "chemin", "ch", "place",
    "pl", "allee", "allees", "impasse", "imp", "route", "rte", "quai", "cours", "square",
    "sq", "passage", "faubourg", "fbg", "voie", "parc", "cite", "residence", "villa",
    "sentier", "hameau", "lieu", "dit", "lotissement", "zone", "za", "zi", "zac",
    "de", "des", "du", "la", "le", "les", "d", "l", "bis", "ter", "quater",
))


def _street_start(address: str) -> str:
    """The first four letters of the street's name, spaces left out ("wall" of "7
    wallaby place", "paix" of "12 rue de la Paix"): a space typed in the wrong place
    changes nothing."""
    words = address.split(",", 1)[0].replace("'", " ").replace(".", " ").split()
    k = 0
    while k < len(words) and (not words[k].isalpha() or words[k] in _STREET_OPENERS):
        k += 1  # the number ("12", "12bis") and the street's type and article
    letters = "".join(c for w in words[k:] for c in w if c.isalpha())
    return letters[:4] if len(letters) >= 4 else ""


def person_pairs(
    f: PersonFeatures, *, max_block: int = 60, window: int = 4,
    dirty: np.ndarray | None = None, workers: int = 1,
) -> tuple[np.ndarray, BlockingReport]:
    """Candidate pairs of people; with ``dirty`` only pairs touching a changed record.

    With ``workers`` > 1 (and enough people), a forked process runs keys too, each
    process taking the next key not yet taken, the costliest first; the pairs and the
    report are those one process finds.
    """
    n = len(f)
    # Read here, before a process is forked: two keys and the comparisons ask for it.
    work_domains(f)
    jobs = _person_jobs(f, max_block=max_block, window=window)
    report = BlockingReport()
    # Each key's pairs are kept as codes (see _codes) until all are joined.
    parts: list[np.ndarray] = []
    if workers > 1 and n >= PARALLEL_MIN_PEOPLE and can_fork():
        # Taken in turns rather than shared out beforehand by their estimated cost: a
        # key's cost varies with the file (at a million people, one process waited
        # 1.5-2.3 s for the other's last keys).
        queue = sorted(jobs, key=lambda j: -j[1])
        taken = turns()
        with Child(_jobs_child, (queue, n, taken), doing="the process blocking people",
                   then="nothing was written") as child:
            reports = [_run_jobs(queue, n, parts, taken)]
            _, (codes, other) = child.recv()
        parts.append(np.frombuffer(codes, dtype=np.int64))
        reports.append(other)
        for name, _, _ in jobs:  # in the keys' order, as one process reports them
            for r in reports:
                if name in r.pairs:
                    report.add(r, name)
    else:
        _run_jobs(jobs, n, parts, report=report)
    pairs = _from_codes(parts, n)
    if dirty is not None and len(pairs):
        pairs = pairs[dirty[pairs[:, 0]] | dirty[pairs[:, 1]]]
    return pairs, report


# People from which a forked process shares the blocking keys out.
PARALLEL_MIN_PEOPLE = 10_000

_Job = tuple[str, float, Callable[[BlockingReport], np.ndarray]]


def _run_jobs(jobs: list[_Job], n: int, parts: list[np.ndarray], taken: Any = None,
              report: BlockingReport | None = None) -> BlockingReport:
    """Run the jobs (with ``taken``, see :func:`turns`: those this process takes)."""
    report = report if report is not None else BlockingReport()
    if taken is None:
        for _, _, job in jobs:
            parts.append(_codes(job(report), n))
    else:
        while (k := next_turn(taken)) < len(jobs):
            parts.append(_codes(jobs[k][2](report), n))
    return report


def _jobs_child(writer: Any, jobs: list[_Job], n: int, taken: Any) -> None:
    parts: list[np.ndarray] = []
    report = _run_jobs(jobs, n, parts, taken)
    codes = np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
    codes.sort(kind="stable")  # sorted runs, merged (see _from_codes)
    writer.send(("blocking", (_distinct(codes).tobytes(), report)))


def _person_jobs(f: PersonFeatures, *, max_block: int, window: int) -> list[_Job]:
    """Every blocking key of people, in order: (name, relative cost, what finds its
    pairs). Columns several keys share are built once, by the first that needs them."""
    n = len(f)
    cache: dict[str, np.ndarray] = {}

    def column(name: str) -> np.ndarray:
        found = cache.get(name)
        if found is None:
            found = cache[name] = _KEY_COLUMNS[name](f, column)
        return found

    hashed: dict[str, np.ndarray] = {}

    def joined(*names: str) -> KeyCodes:
        """The key of these columns (see ``_KEY_COLUMNS``), each hashed once."""
        for name in names:
            if name not in hashed:
                hashed[name] = _hashes(column(name))
        return KeyCodes(_join_codes([hashed[x] for x in names]), [column(x) for x in names])

    rows2 = np.repeat(np.arange(n, dtype=np.int64), 2) if n else np.empty(0, dtype=np.int64)

    def personal(name: str) -> KeyCodes:
        """A two-slot column's key, kept only where a record with a personal address
        (free-mail, or at a provider read from the data) holds the value: the key's pairs
        need one on a side (see ``_personal_side``), and a value that only work
        addresses share (``c.menard`` at many firms, a naming pattern) would fill blocks
        of pairs all dropped."""
        key = joined(name)
        codes = key.codes
        held = codes[np.repeat(personal_addresses(f), 2) & (codes != 0)]
        return KeyCodes(np.where(np.isin(codes, held), codes, 0), key.parts)

    def kept(name: str, find: Callable[[BlockingReport], np.ndarray],
             where: _Filter | None) -> Callable[[BlockingReport], np.ndarray]:
        """``find``'s pairs; with ``where``, only the pairs it keeps (as reported)."""
        if where is None:
            return find

        def filtered(report: BlockingReport) -> np.ndarray:
            found = find(report)
            found = found[where(f, column, found)]
            report.pairs[name] = len(found)
            return found
        return filtered

    def keys(name: str, values: Callable[[], np.ndarray | KeyCodes], two: bool = False,
             where: _Filter | None = None) -> Callable[[BlockingReport], np.ndarray]:
        """The pairs sharing a key; with ``where``, only the pairs it keeps."""
        return kept(name, lambda report: pairs_from_keys(
            values(), max_block=max_block, name=name, report=report,
            rows=rows2 if two else None), where)

    def sorted_names(name: str, first: str, second: str, where: _Filter) -> Callable[
            [BlockingReport], np.ndarray]:
        """Neighbours in the order of two names, kept where ``where`` says the second
        may be one person's: neighbours mostly share the first name and differ in the
        second (at 16,000 records, three in four such pairs were found by no other key
        and almost none of those was one person)."""
        return kept(name, lambda report: neighbourhood_pairs(
            [getattr(f, first), getattr(f, second)], window=window, name=name,
            report=report), where)

    jobs: list[_Job] = [
        ("email", 2, keys("email", lambda: f.emails.reshape(-1), two=True)),
        # A switchboard number holds a company's people: of the records sharing a number,
        # only those whose names may be one person's are compared.
        ("phone", 3.5, keys("phone", lambda: f.phones.reshape(-1), two=True,
                          where=_names_may_agree)),
        ("linkedin", 0.1, keys("linkedin", lambda: f.linkedin)),
        # A key on one name keeps the pairs whose other name may agree: at a company or
        # in a city, people sharing a surname are mostly relatives or namesakes.
        # A surname with particles also as written joined ("De Beaumont" beside
        # "Debeaumont"), as for the given name below.
        ("company+surname", 3.5, keys("company+surname", lambda: _interleaved(
            joined("company", "last_sound"), joined("company", "joined_sound")), two=True,
            where=_given_may_agree)),
        ("company+given name", 4.5, keys("company+given name", lambda: joined(
            "company", "group_or_first"), where=_surname_may_agree)),
        ("company+initials", 3, keys("company+initials", lambda: joined(
            "company", "first_initials", "last_letter"))),
        # A record with no company but a work address there ("J.-Ph. Marechal",
        # marechal.jeanphilippe@ at the domain of Jean-Philippe Marechal's company), or
        # one company held as two records (a name variant with no site of its own): the
        # address's domain, or the company's, stands for the company.
        ("work domain+initials", 2, keys("work domain+initials", lambda: joined(
            "work_domain", "first_initials", "last_letter"))),
        # One company written alike on both records yet held as two company records
        # (namesakes no domain told apart, a file without websites): the keys above
        # take the company's id, this one its folded name.
        ("company name+surname", 3, keys("company name+surname", lambda: joined(
            "company_key", "last_sound"), where=_given_may_agree)),
        # Given name and surname swapped, one of them also shortened or misspelt
        # ("Phillips, Sue" for Susan Phillips): either name's sound at the company.
        ("company+either name", 5, keys("company+either name", lambda: _interleaved(
            joined("company", "first_sound"), joined("company", "last_sound")), two=True)),
        # Swap-proof: the two name sounds in sorted order.
        ("name sounds", 7.5, keys("name sounds", lambda: joined("low_sound", "high_sound"))),
        # A surname with its particles is also keyed as written joined: "Dos Santos" (its
        # core "santos") beside "DOSSANTOS", "Le Gall" beside "LEGALL".
        ("given name+surname", 5, keys("given name+surname", lambda: _interleaved(
            joined("group_or_first", "last_sound"), joined("group_or_first", "joined_sound")),
            two=True)),
        # A local part shared at two company domains is a naming pattern (the comparison
        # gives it no weight): only pairs with a personal address on one side are kept.
        ("email local part", 5.5, keys("email local part", lambda: personal("locals"),
                                     two=True, where=_personal_side)),
        ("postcode+surname", 2, keys("postcode+surname", lambda: joined(
            "postcode", "last_two"))),
        ("postcode+given name", 2, keys("postcode+given name", lambda: joined(
            "postcode", "first_two"))),
        # An office's address holds its people, as a switchboard's number does: of the
        # records at one company sharing one, only those whose names may be one
        # person's are compared.
        ("address", 0.1, keys("address", lambda: f.address, where=_not_colleagues)),
    ]
    # A typo anywhere in an address hides it from the key above: its street number with
    # the postcode, and with the start of the street's name, find it again.
    if (f.address != "").any():  # most B2B files hold no street address at all
        jobs += [
            ("postcode+street number", 1, keys("postcode+street number", lambda: joined(
                "postcode", "street_number"), where=_not_colleagues)),
            ("street number+street", 1, keys("street number+street", lambda: joined(
                "street_number", "street_start"), where=_names_may_agree)),
        ]
    # A city narrows little in a B2B file; only records without a company use it.
    jobs += [
        ("city+surname", 1, keys("city+surname", lambda: joined(
            "city", "last_sound"), where=_given_may_agree)),
        ("city+given name", 0.5, keys("city+given name", lambda: joined(
            "city", "first_sound"), where=_surname_may_agree)),
        ("sorted surname", 7, sorted_names("sorted surname", "last_core", "first",
                                           _given_alike)),
        ("sorted given name", 6.5, sorted_names("sorted given name", "first", "last_core",
                                                _surname_alike)),
    ]
    return jobs


def _locals(f: PersonFeatures, column: Callable[[str], np.ndarray]) -> np.ndarray:
    out = f.email_locals.reshape(-1).copy()
    out[np.fromiter(map(len, out.tolist()), dtype=np.int64, count=len(out)) < 5] = ""
    return out


# Which pairs a key keeps, from the features, the key columns and the pairs.
_Filter = Callable[[PersonFeatures, Callable[[str], np.ndarray], np.ndarray], np.ndarray]


def _names_may_agree(f: PersonFeatures, column: Callable[[str], np.ndarray],
                     pairs: np.ndarray) -> np.ndarray:
    """Which pairs' names may be one person's: a name missing on either side, an initial
    in common (given name or surname, either way round: "Smith, J." for John Smith) or
    given names of one nickname group. Names that share none of these differ in every
    letter a typo rarely touches."""
    first, last = column("first_initial"), column("last_initial")
    a, b = pairs[:, 0], pairs[:, 1]
    keep = _given_may_agree(f, column, pairs) | _surname_may_agree(f, column, pairs)
    return keep | (first[a] == last[b]) | (last[a] == first[b])


def _not_colleagues(f: PersonFeatures, column: Callable[[str], np.ndarray],
                    pairs: np.ndarray) -> np.ndarray:
    """Which pairs are not two people of one company: another company or none on either
    side, or names that may be one person's (see ``_names_may_agree``)."""
    company = column("company")
    a, b = pairs[:, 0], pairs[:, 1]
    keep = (company[a] != company[b]) | (company[a] == "")
    rest = np.flatnonzero(~keep)
    keep[rest] = _names_may_agree(f, column, pairs[rest])
    return keep


def _given_may_agree(f: PersonFeatures, column: Callable[[str], np.ndarray],
                     pairs: np.ndarray) -> np.ndarray:
    """Which pairs' given names may be one person's: missing on either side, one initial
    (Jean, J., Jean-Pierre) or one nickname group (Bob, Robert)."""
    first = column("first_initial")
    fa, fb = first[pairs[:, 0]], first[pairs[:, 1]]
    keep = (fa == 0) | (fb == 0) | (fa == fb)
    return keep | share_nickname_groups(f.first_groups[pairs[:, 0]],
                                        f.first_groups[pairs[:, 1]])


def _surname_may_agree(f: PersonFeatures, column: Callable[[str], np.ndarray],
                       pairs: np.ndarray) -> np.ndarray:
    """Which pairs' surnames may be one person's: missing on either side or one initial
    (a typo rarely touches the first letter)."""
    last = column("last_initial")
    la, lb = last[pairs[:, 0]], last[pairs[:, 1]]
    return (la == 0) | (lb == 0) | (la == lb)


# Jaro-Winkler from which two names may be one name mistyped: Winkler's own threshold,
# under which a shared start earns nothing.
_ALIKE = 0.7


def _alike(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Which pairs of names are spelt alike (Jaro-Winkler ``_ALIKE`` or more)."""
    return cpdist(a.tolist(), b.tolist(), scorer=JaroWinkler.normalized_similarity,
                  workers=1) >= _ALIKE


def _given_alike(f: PersonFeatures, column: Callable[[str], np.ndarray],
                 pairs: np.ndarray) -> np.ndarray:
    """Which pairs' given names may be one person's, by more than an initial: missing on
    either side, one nickname group (Bob, Robert), initials beside a name they open
    (J.-P., Jean-Pierre), or spelt alike (Jonathon, Jonathan)."""
    a, b = pairs[:, 0], pairs[:, 1]
    first = column("first_initial")
    fa, fb = first[a], first[b]
    keep = (fa == 0) | (fb == 0)
    keep |= (fa == fb) & (f.first_is_initials[a] | f.first_is_initials[b])
    keep |= share_nickname_groups(f.first_groups[a], f.first_groups[b])
    rest = np.flatnonzero(~keep)
    keep[rest] = _alike(f.first[a[rest]], f.first[b[rest]])
    return keep


def _surname_alike(f: PersonFeatures, column: Callable[[str], np.ndarray],
                   pairs: np.ndarray) -> np.ndarray:
    """Which pairs' surnames may be one person's, by more than an initial: missing on
    either side or spelt alike (Fernandes, Fernandez)."""
    a, b = pairs[:, 0], pairs[:, 1]
    last = column("last_initial")
    keep = (last[a] == 0) | (last[b] == 0)
    rest = np.flatnonzero(~keep)
    keep[rest] = _alike(f.last_core[a[rest]], f.last_core[b[rest]])
    return keep


def _initials(names: np.ndarray) -> np.ndarray:
    """Each name's first letter as a code point, 0 for none."""
    return np.array([ord(x[0]) if x else 0 for x in names.tolist()], dtype=np.int32)


def _personal_side(f: PersonFeatures, column: Callable[[str], np.ndarray],
                   pairs: np.ndarray) -> np.ndarray:
    """Which pairs have a personal address on one side (as the email comparison reads a
    shared local part: see ``person_levels``)."""
    personal = personal_addresses(f)
    return personal[pairs[:, 0]] | personal[pairs[:, 1]]


def _work_domain(f: PersonFeatures) -> np.ndarray:
    """The domain of a record's first address, unless a mail provider's (on the free-mail
    list, or read from the data as the comparisons read it), else its company's."""
    return np.where(work_domains(f)[0][:, 0] != 0, f.email_domains[:, 0],
                    f.company_domain).astype(object)


def _low_sound(f: PersonFeatures, column: Callable[[str], np.ndarray]) -> np.ndarray:
    first, last = column("first_sound"), column("last_sound")
    return np.where(first < last, first, last)


def _high_sound(f: PersonFeatures, column: Callable[[str], np.ndarray]) -> np.ndarray:
    first, last = column("first_sound"), column("last_sound")
    return np.where(first < last, last, first)


# Columns several blocking keys build on, each from the features and the others.
_KEY_COLUMNS: dict[str, Callable[[PersonFeatures, Callable[[str], np.ndarray]],
                                 np.ndarray]] = {
    "last_sound": lambda f, c: map_distinct(phonetic, f.last_core),
    "joined_sound": lambda f, c: _joined_sound(f),
    "first_word": lambda f, c: map_distinct(lambda s: s.split(" ")[0], f.first),
    "first_sound": lambda f, c: map_distinct(phonetic, c("first_word")),
    "group_or_first": lambda f, c: np.where(
        f.first_groups[:, 0] > 0, f.first_groups[:, 0].astype(str), c("first_word")
    ).astype(object),
    "company": lambda f, c: np.where(f.company_id != "", f.company_id,
                                     f.company_key).astype(object),
    "low_sound": _low_sound,
    "high_sound": _high_sound,
    "locals": _locals,
    "street_number": lambda f, c: map_distinct(_street_number, f.address),
    "street_start": lambda f, c: map_distinct(_street_start, f.address),
    "first_initials": lambda f, c: f.first_initials,
    "last_letter": lambda f, c: map_distinct(lambda s: s[:1], f.last_core),
    "last_two": lambda f, c: map_distinct(lambda s: s[:2], f.last_core),
    "first_two": lambda f, c: map_distinct(lambda s: s[:2], f.first),
    "company_key": lambda f, c: f.company_key,
    "work_domain": lambda f, c: _work_domain(f),
    "postcode": lambda f, c: f.postcode,
    "first_initial": lambda f, c: _initials(f.first),
    "last_initial": lambda f, c: _initials(f.last_core),
    "city": lambda f, c: np.where(c("company") == "", f.city, "").astype(object),
}


def company_pairs(
    f: CompanyFeatures, *, max_block: int = 60, dirty: np.ndarray | None = None,
) -> tuple[np.ndarray, BlockingReport]:
    """Candidate pairs of companies: SIREN, domain, name key, name sound."""
    report = BlockingReport()
    n = len(f)
    short = np.array([len(k) < 3 for k in f.name_key])
    name_key = f.name_key.copy()
    name_key[short] = ""
    parts = [
        pairs_from_keys(f.siren, max_block=max_block, name="siren", report=report),
        pairs_from_keys(f.domain, max_block=max_block, name="domain", report=report),
        pairs_from_keys(name_key, max_block=max_block, name="name", report=report),
        pairs_from_keys(map_distinct(lambda s: phonetic(s)[:6], name_key), max_block=max_block,
                        name="name sound", report=report),
        # "St Gobain" and "Saint-Gobain", whose sounds differ too (see saints_shortened).
        pairs_from_keys(map_distinct(lambda s: saints_shortened(s) if "st" in s or "saint" in s
                                     else "", name_key),
                        max_block=max_block, name="name, saints shortened", report=report),
    ]
    pairs = unique_pairs(parts, n)
    if dirty is not None and len(pairs):
        pairs = pairs[dirty[pairs[:, 0]] | dirty[pairs[:, 1]]]
    return pairs, report
