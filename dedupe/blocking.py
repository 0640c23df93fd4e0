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

import numpy as np

from .features import CompanyFeatures, PersonFeatures, phonetic

__all__ = ["BlockingReport", "company_pairs", "pairs_from_keys", "person_pairs"]


@dataclass
class BlockingReport:
    """Per key: pairs generated, blocks skipped for size and the records in them."""

    pairs: dict[str, int] = field(default_factory=dict)
    skipped_blocks: dict[str, int] = field(default_factory=dict)
    skipped_records: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)

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


def pairs_from_keys(
    keys: np.ndarray, *, max_block: int, name: str, report: BlockingReport,
    rows: np.ndarray | None = None,
) -> np.ndarray:
    """Every pair of records sharing a non-empty key, as an (m, 2) int64 array (i < j).

    ``keys`` holds one key per record (empty string: none); ``rows`` maps positions to
    record numbers when ``keys`` covers several values per record.
    """
    if rows is None:
        rows = np.arange(len(keys), dtype=np.int64)
    present = keys != ""
    if not present.any():
        report.pairs[name] = 0
        return np.empty((0, 2), dtype=np.int64)
    keys, rows = keys[present], rows[present]
    # hash() is salted per process, which is fine for grouping within one run; 64 bits
    # make a collision between two different keys negligible.
    hashed = np.fromiter((hash(k) for k in keys), dtype=np.int64, count=len(keys))
    order = np.argsort(hashed, kind="stable")
    codes, rows, keys = hashed[order], rows[order], keys[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    sizes = np.diff(np.r_[starts, len(codes)])
    big = sizes > max_block
    report.skipped_blocks[name] = int(big.sum())
    report.skipped_records[name] = int(sizes[big].sum())
    if big.any():
        report.examples[name] = [
            f"{keys[s][:24]!r} ×{z}" for s, z in zip(starts[big][:3], sizes[big][:3],
                                                             strict=True)
        ]
    # Position of each element's group end, with skipped groups emptied.
    ends = np.repeat(starts + np.where(big, 0, sizes), sizes)
    position = np.arange(len(codes))
    ends = np.where(np.repeat(big, sizes), position, ends)
    out = []
    largest = int(sizes[~big].max()) if (~big).any() else 1
    for offset in range(1, largest):
        ok = np.flatnonzero(position + offset < ends)
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


# Keys sort as fixed-width numpy strings up to this length (a wider column would take
# that width for every record); longer ones are sorted by Python.
_NUMPY_SORT_WIDTH = 64


def _sorted_rows(keys: list[np.ndarray], rows: np.ndarray) -> np.ndarray:
    """``rows`` in the order of their keys (the first key first), ties by row: the
    order ``sorted(zip(*keys, rows))`` gives, a few times faster."""
    width = max((len(s) for k in keys for s in k), default=0)
    if width > _NUMPY_SORT_WIDTH or any("\0" in s for k in keys for s in k):
        joined = sorted(zip(*keys, rows.tolist(), strict=True))
        return np.array([r[-1] for r in joined], dtype=np.int64)
    # Strings of the same code points compare alike in numpy and Python.
    columns = [k.astype(f"<U{max(width, 1)}") for k in keys]
    return rows[np.lexsort((rows, *reversed(columns)))].astype(np.int64)


def _ordered(parts: list[np.ndarray]) -> np.ndarray:
    if not parts:
        return np.empty((0, 2), dtype=np.int64)
    found = np.concatenate(parts).astype(np.int64)
    found.sort(axis=1)
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
    codes = np.concatenate(chunks)
    del chunks
    codes.sort()
    codes = _distinct(codes)
    out = np.empty((len(codes), 2), dtype=np.int64)
    np.floor_divide(codes, n, out=out[:, 0])
    np.remainder(codes, n, out=out[:, 1])
    return out


def _join(*columns: np.ndarray) -> np.ndarray:
    """Row-wise "a|b" keys, empty when any part is empty."""
    out = np.empty(len(columns[0]), dtype=object)
    out[:] = ["|".join(parts) if all(parts) else "" for parts in zip(*columns, strict=True)]
    return out


def _map(func: Callable[[str], str], column: np.ndarray) -> np.ndarray:
    out = np.empty(len(column), dtype=object)
    out[:] = [func(v) if v else "" for v in column]
    return out


def _street_number(address: str) -> str:
    """The number an address starts with ("12" of "12 bis rue x"), or ""."""
    first = address.split(" ", 1)[0]
    return first if first[:1].isdigit() and len(first) <= 6 else ""


def _street_start(address: str) -> str:
    """The first four letters of the street, spaces left out ("wall" of "7 wallaby
    place"): a space typed in the wrong place changes nothing."""
    letters = "".join(c for c in address.split(",", 1)[0] if c.isalpha())
    return letters[:4] if len(letters) >= 4 else ""


def person_pairs(
    f: PersonFeatures, *, max_block: int = 60, window: int = 4,
    dirty: np.ndarray | None = None,
) -> tuple[np.ndarray, BlockingReport]:
    """Candidate pairs of people; with ``dirty`` only pairs touching a changed record."""
    n = len(f)
    report = BlockingReport()
    rows2 = np.repeat(np.arange(n, dtype=np.int64), 2)
    # Each key's pairs are kept as codes (see _codes) until all are joined.
    parts: list[np.ndarray] = []

    def add(pairs: np.ndarray) -> None:
        parts.append(_codes(pairs, n))

    add(pairs_from_keys(f.emails.reshape(-1), max_block=max_block, name="email",
                        report=report, rows=rows2))
    add(pairs_from_keys(f.phones.reshape(-1), max_block=max_block, name="phone",
                        report=report, rows=rows2))
    add(pairs_from_keys(f.linkedin, max_block=max_block, name="linkedin", report=report))
    last_sound = _map(phonetic, f.last_core)
    first_word = _map(lambda s: s.split(" ")[0], f.first)
    first_sound = _map(phonetic, first_word)
    group_or_first = np.where(f.first_groups[:, 0] > 0, f.first_groups[:, 0].astype(str),
                              first_word).astype(object)
    company = np.where(f.company_id != "", f.company_id, f.company_key).astype(object)
    add(pairs_from_keys(_join(company, last_sound), max_block=max_block,
                                 name="company+surname", report=report))
    add(pairs_from_keys(_join(company, group_or_first), max_block=max_block,
                                 name="company+given name", report=report))
    add(pairs_from_keys(_join(company, f.first_initials,
                                       _map(lambda s: s[:1], f.last_core)),
                                 max_block=max_block, name="company+initials", report=report))
    # Swap-proof: the two name sounds in sorted order.
    low = np.where(first_sound < last_sound, first_sound, last_sound)
    high = np.where(first_sound < last_sound, last_sound, first_sound)
    add(pairs_from_keys(_join(low, high), max_block=max_block, name="name sounds",
                                 report=report))
    add(pairs_from_keys(_join(group_or_first, last_sound), max_block=max_block,
                                 name="given name+surname", report=report))
    locals_ = f.email_locals.reshape(-1).copy()
    locals_[np.array([len(s) < 5 for s in locals_], dtype=bool)] = ""
    add(pairs_from_keys(locals_, max_block=max_block, name="email local part",
                                 report=report, rows=rows2))
    add(pairs_from_keys(_join(f.postcode, _map(lambda s: s[:2], f.last_core)),
                                 max_block=max_block, name="postcode+surname", report=report))
    add(pairs_from_keys(_join(f.postcode, _map(lambda s: s[:2], f.first)),
                                 max_block=max_block, name="postcode+given name",
                                 report=report))
    add(pairs_from_keys(f.address, max_block=max_block, name="address",
                                 report=report))
    # A typo anywhere in an address hides it from the key above: its street number with
    # the postcode, and with the start of the street's name, find it again.
    if (f.address != "").any():  # most B2B files hold no street address at all
        number = _map(_street_number, f.address)
        add(pairs_from_keys(_join(f.postcode, number), max_block=max_block,
                                     name="postcode+street number", report=report))
        add(pairs_from_keys(_join(number, _map(_street_start, f.address)),
                                     max_block=max_block, name="street number+street",
                                     report=report))
    # A city narrows little in a B2B file; only records without a company use it.
    city = np.where(company == "", f.city, "").astype(object)
    add(pairs_from_keys(_join(city, last_sound), max_block=max_block,
                                 name="city+surname", report=report))
    add(pairs_from_keys(_join(city, first_sound), max_block=max_block,
                                 name="city+given name", report=report))
    add(neighbourhood_pairs([f.last_core, f.first], window=window,
                                     name="sorted surname", report=report))
    add(neighbourhood_pairs([f.first, f.last_core], window=window,
                                     name="sorted given name", report=report))
    pairs = _from_codes(parts, n)
    if dirty is not None and len(pairs):
        pairs = pairs[dirty[pairs[:, 0]] | dirty[pairs[:, 1]]]
    return pairs, report


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
        pairs_from_keys(_map(lambda s: phonetic(s)[:6], name_key), max_block=max_block,
                        name="name sound", report=report),
    ]
    pairs = unique_pairs(parts, n)
    if dirty is not None and len(pairs):
        pairs = pairs[dirty[pairs[:, 0]] | dirty[pairs[:, 1]]]
    return pairs, report
