"""Comparison levels: how far two records agree, field by field.

Each comparison turns a batch of candidate pairs into one small integer per pair:
0 when either side has no value (no evidence either way, DD-3: an empty field is
never compared), then levels from the strongest agreement to disagreement. The
Fellegi-Sunter model (model.py) turns each level into a weight. String similarity
is rapidfuzz ``process.cpdist`` over the whole batch (element-wise, on one thread:
see ``_CPDIST_WORKERS``).
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz import distance, fuzz, process

from .features import (
    INITIALS_TOGETHER,
    KINDS_OF_BUSINESS,
    PersonFeatures,
    _company_forms,
    _name_groups,
    feminine_forms,
    free_mail,
    gender_of,
    gendered_names,
    given_names,
    map_distinct,
    nickname_groups,
    other_sex,
    phonetic,
    saints_shortened,
    share_nickname_group,
    share_nickname_groups,
    surnames,
)

# Threads per rapidfuzz ``cpdist`` call. Large sets of pairs are compared by two
# processes at once (dedupe.parallel), where more threads only contend for the same two
# cores; and a batch's calls are short enough that starting threads costs more than
# they save in one process too (30,000 people, all pairs' levels: 0.44 s on one thread
# against 0.50 s on all cores; 3,000 people, one process: 0.16 s against 0.18 s).
_CPDIST_WORKERS = 1

__all__ = ["COMPARISONS", "SHARED_PHONE", "Comparison", "code_columns", "person_levels",
           "personal_addresses", "same_person_name", "shared_phones", "work_domains"]


@dataclass(frozen=True)
class Comparison:
    """One field's levels, named for the reasons shown per pair."""

    name: str
    levels: tuple[str, ...]  # level 1.. names; level 0 is "missing"

    @property
    def size(self) -> int:
        return len(self.levels) + 1


COMPARISONS: tuple[Comparison, ...] = (
    Comparison("first_name", ("exact", "nickname", "similar", "initials", "loose", "different")),
    Comparison("last_name", ("exact", "compound or particles", "similar", "loose",
                             "different")),
    Comparison("email", ("same address", "same local part", "same company domain, "
                         "consistent names", "same company domain, other person",
                         "different")),
    Comparison("phone", ("same number", "same shared number", "different")),
    Comparison("linkedin", ("same profile", "different profile")),
    Comparison("company", ("same company", "same name or domain", "similar name",
                           "different")),
    Comparison("city", ("same", "similar", "different")),
    Comparison("postcode", ("same", "same area", "different")),
    Comparison("address", ("same", "similar", "different")),
    Comparison("title", ("similar", "different", "far apart in seniority",
                         "another department")),
)


_JW = distance.JaroWinkler.normalized_similarity
# Records on one number from which it is a line several people share (a switchboard).
SHARED_PHONE = 4
_TOKEN_SET = fuzz.token_set_ratio
# Columns that share one table of codes, so that one can be compared with another (a
# given name read as a surname).
_VOCABULARY = {"first": "names", "first_nospace": "names", "last": "names",
               "last_core": "names", "company_key": "companies",
               "company_initials": "companies", "company_core": "companies",
               "email_label": "companies"}
# Columns kept in ``PersonFeatures.extra``, derived from the others.
_DERIVED = frozenset({"first_nospace", "first_word", "postcode_area", "email_label"})
# Codes in the companies' vocabulary of the key and the core of the name each record's
# company site spells (see _site_forms), coded from the domains' codes.
_SITE_FORMS = {"site_key": 0, "site_core": 1}


def _value_codes(f: PersonFeatures, name: str) -> np.ndarray:
    """A string column as int32 codes into its vocabulary (0: empty), once per run."""
    key = "values:" + name
    codes = f.extra.get(key)
    if codes is None and name in _SITE_FORMS:
        return _site_form_codes(f, name)
    if codes is None:
        vocabulary = _VOCABULARY.get(name, name)
        # Only a shared vocabulary's table is kept (for its next column): a column of
        # addresses or profiles can hold a million distinct values.
        table = (f.extra.setdefault("table:" + vocabulary, {"": 0}) if vocabulary != name
                 else {"": 0})
        column = f.extra[name] if name in _DERIVED else getattr(f, name)
        codes = f.extra[key] = _codes_into(table, column.tolist())
        # Each vocabulary's values by code, for the similarity of distinct pairs.
        f.extra["strings:" + vocabulary] = _column(list(table))
    return codes


def _codes_into(table: dict[str, int], values: list[str]) -> np.ndarray:
    """``values`` as int32 codes in ``table``, a value not there yet given the next code
    in the order values first appear: ``table.setdefault(v, len(table))`` of each, with
    the loop over every value in C (a look-up each), over the distinct ones in Python."""
    for value in dict.fromkeys(values):
        if value not in table:
            table[value] = len(table)
    return np.fromiter(map(table.__getitem__, values), dtype=np.int32, count=len(values))


def _similarity(f: PersonFeatures, name_a: str, name_b: str, a: np.ndarray, b: np.ndarray,
                scorer: object) -> np.ndarray:
    """``scorer`` of column ``name_a`` of ``a`` against column ``name_b`` of ``b``.

    Computed once per distinct pair of values: a million candidate pairs hold a few
    thousand distinct pairs of given names or cities, and comparing codes (integers) to
    find them costs far less than comparing the strings again.
    """
    if not len(a):
        return np.zeros(0, dtype=np.float32)
    xa = _value_codes(f, name_a)[a].astype(np.int64)
    xb = _value_codes(f, name_b)[b].astype(np.int64)
    strings = f.extra["strings:" + _VOCABULARY.get(name_a, name_a)]
    size = len(strings)
    if size * size <= 1 << 20:
        # A small vocabulary (cities, titles): every possible pair has its own slot.
        key = xa * size + xb
        seen = np.zeros(size * size, dtype=bool)
        seen[key] = True
        distinct = np.flatnonzero(seen)
        slot = np.zeros(size * size, dtype=np.int64)
        slot[distinct] = np.arange(len(distinct))
        left, right, inverse = distinct // size, distinct % size, slot[key]
    else:
        left, right, inverse = _distinct_pairs(xa, xb, size)
    xs, ys = list(strings[left]), list(strings[right])
    if scorer is _address_ratios:
        values = _address_ratios(xs, ys)
    else:
        values = process.cpdist(xs, ys, scorer=scorer, workers=_CPDIST_WORKERS)
    if scorer is _JW:
        short = None
        if _VOCABULARY.get(name_a) == "names":  # a person's names, not a town's or firm's
            lengths = _name_marks(f, "name lengths", len, np.int64)
            short = np.minimum(lengths[left], lengths[right]) <= 4
        values = _typos_similar(values, xs, ys, short)
    return values[inverse.reshape(-1)]


def _similarity_at(f: PersonFeatures, name_a: str, name_b: str, a: np.ndarray,
                   b: np.ndarray, rows: np.ndarray, scorer: object = _JW) -> np.ndarray:
    """:func:`_similarity` at ``rows`` of the pairs, 0 elsewhere: for comparisons that
    read it only there (both sides have a value, and not the same one)."""
    if len(rows) == len(a):
        return _similarity(f, name_a, name_b, a, b, scorer)
    found = _similarity(f, name_a, name_b, a[rows], b[rows], scorer)
    out = np.zeros(len(a), dtype=found.dtype)
    out[rows] = found
    return out


def _distinct_pairs(xa: np.ndarray, xb: np.ndarray, size: int) -> tuple[
    np.ndarray, np.ndarray, np.ndarray
]:
    """The distinct pairs of codes (``left``, ``right``) and each pair's place among
    them (``inverse``), codes below ``size``.

    Pairs of one value (namesakes, a name two sources agree on: over half of the
    candidate pairs' given names and surnames) are told apart by one slot per value,
    without sorting; only the others are sorted (``np.unique``), the bulk of the cost
    at a million records.
    """
    same = xa == xb
    other = ~same
    seen = np.zeros(size, dtype=bool)
    seen[xa[same]] = True
    selves = np.flatnonzero(seen)
    slot = np.zeros(size, dtype=np.int64)
    slot[selves] = np.arange(len(selves))
    distinct, found = np.unique((xa[other] << 32) | xb[other], return_inverse=True)
    inverse = np.empty(len(xa), dtype=np.int64)
    inverse[same] = slot[xa[same]]
    inverse[other] = len(selves) + found.reshape(-1)
    return (np.concatenate([selves, distinct >> 32]),
            np.concatenate([selves, distinct & 0xFFFFFFFF]), inverse)


def _once_per_pair(xa: np.ndarray, xb: np.ndarray,
                   compute: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """A value per pair of codes (``xa``, ``xb``), computed once per distinct pair:
    ``compute(first)`` gives one for each, ``first`` the place where it first stands.
    For tests in Python that blocking puts before the same two values many times."""
    _, first, inverse = np.unique((xa.astype(np.int64) << 32) | xb.astype(np.int64),
                                  return_index=True, return_inverse=True)
    return compute(first)[inverse.reshape(-1)]


def _slip_from_head(x: str, y: str) -> bool:
    """Whether the shorter of two company keys (six letters or more) is one typing slip
    (a letter dropped, added, changed, two swapped) from the other's head, the longer
    not merely the shorter spelt right ("delforrge", "delforgeinformatique")."""
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    if len(short) < 6 or long_.startswith(short):
        return False
    # The head ends as the short key does: "orange" is no slip from "orangina" (its
    # last letter changed is another name, not a slip inside one).
    return any(long_[n - 1] == short[-1]
               and distance.OSA.distance(short, long_[:n], score_cutoff=1) <= 1
               for n in (len(short) - 1, len(short), len(short) + 1) if n <= len(long_))


# Letters of each company string kept for _maybe_mistyped: the first this many.
_LETTERS_KEPT = 48


def _company_letters(f: PersonFeatures) -> tuple[np.ndarray, np.ndarray]:
    """Length and first ``_LETTERS_KEPT`` letters of each string of the companies'
    vocabulary (by code), each letter as its code point's low byte (two letters whose
    bytes differ differ; two whose bytes are alike may not, which only sends a pair on
    to the test in Python); kept on ``f``, built again if the vocabulary has grown."""
    strings = f.extra["strings:companies"]
    kept = f.extra.get("company letters")
    if kept is not None and len(kept[0]) == len(strings):
        return kept
    texts = strings.tolist()
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    heads = [t[:_LETTERS_KEPT] for t in texts]
    flat = np.frombuffer("".join(heads).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    sizes = np.minimum(lengths, _LETTERS_KEPT)
    letters = np.zeros((len(texts), _LETTERS_KEPT), dtype=np.uint8)
    rows = np.repeat(np.arange(len(texts)), sizes)
    starts = np.cumsum(sizes) - sizes
    letters[rows, np.arange(len(flat)) - np.repeat(starts, sizes)] = flat & 0xFF
    kept = f.extra["company letters"] = (lengths, letters)
    return kept


def _maybe_mistyped(f: PersonFeatures, x: np.ndarray, y: np.ndarray, cx: np.ndarray,
                    cy: np.ndarray) -> np.ndarray:
    """False where neither :func:`_slip_from_head` of the company strings ``x``, ``y``
    nor :func:`_mistyped_kind` of either against the other's core (``cx``, ``cy``; 0
    for none) can hold, from their lengths and letters alone; True where one may."""
    lengths, letters = _company_letters(f)
    width = letters.shape[1]

    def same(c: np.ndarray, i: np.ndarray | int, d: np.ndarray, j: np.ndarray | int,
             ) -> np.ndarray:
        # Letter i of c is letter j of d, or one of them is not kept.
        return ((letters[c, np.clip(i, 0, width - 1)] == letters[d, np.clip(j, 0, width - 1)])
                | (np.asarray(i) >= width) | (np.asarray(j) >= width))

    lx, ly = lengths[x], lengths[y]
    short, long_ = np.where(lx <= ly, x, y), np.where(lx <= ly, y, x)
    ls, ll = np.minimum(lx, ly), np.maximum(lx, ly)
    # _slip_from_head: a shorter string of six letters or more; the longer's letter at
    # one of three places (its head one shorter, as long, one longer) the shorter's last;
    # and the two opening alike but for one slip (a letter changed, dropped, added or
    # two swapped at the start leaves one of these letters in place).
    ends = np.zeros(len(x), dtype=bool)
    for n in (ls - 1, ls, ls + 1):
        ends |= (n <= ll) & same(long_, n - 1, short, ls - 1)
    opens = (same(short, 0, long_, 0) | same(short, 1, long_, 1) | same(short, 2, long_, 2)
             | same(short, 1, long_, 0) | same(short, 0, long_, 1))
    slip = (ls >= 6) & ends & opens

    def kind(key: np.ndarray, lk: np.ndarray, other: np.ndarray, lo: np.ndarray,
             core: np.ndarray) -> np.ndarray:
        # _mistyped_kind: a core of three letters or more, five at least shorter than the
        # key; both strings end as it does and open on the same three letters.
        lc = lengths[core]
        return ((core != 0) & (lc >= 3) & (lk >= lc + 5) & same(key, lk - 1, core, lc - 1)
                & same(other, lo - 1, core, lc - 1) & same(key, lk - lc, core, 0)
                & same(other, lo - lc, core, 0) & (lo >= lc + 3) & same(key, 0, other, 0)
                & same(key, 1, other, 1) & same(key, 2, other, 2))

    return slip | kind(x, lx, y, ly, cy) | kind(y, ly, x, lx, cx)


def _mistyped_kind(key: str, other: str, core: str) -> bool:
    """Whether a company ``key`` is the ``other`` key's ``core`` (its name less the word
    for its kind of business, three letters or more) after that word mistyped by one
    slip: "laboatoiresdupuy" for "labodupuy" (Labo Dupuy, core "dupuy"). Another kind of
    business, spelt right, is another company ("Studio Luberon", "Clinique du
    Luberon")."""
    if len(core) < 3 or len(key) < len(core) + 5 or not key.endswith(core):
        return False
    head = key[:-len(core)]
    kind = other[:-len(core)] if other.endswith(core) else ""
    if head in KINDS_OF_BUSINESS or kind[:3] != head[:3]:
        return False
    return any(abs(len(word) - len(head)) <= 1 and word[:3] == head[:3]
               and distance.OSA.distance(head, word, score_cutoff=1) <= 1
               for word in _KIND_WORDS)


def _keys_alike(f: PersonFeatures, ka: np.ndarray, kb: np.ndarray,
                sim: np.ndarray) -> np.ndarray:
    """Whether company keys of similarity ``sim`` name one company: from 0.9, unless all
    they share is a word for a kind of business (:func:`company_keys_alike`); below, when
    one is the other with a word shortened (:func:`company_key_shortened`). Once per
    distinct pair of keys."""
    strings = f.extra["strings:companies"]
    return _once_per_pair(ka, kb, lambda first: np.fromiter(
        (_company_keys_match(strings[x], strings[y], s) for x, y, s in zip(
            ka[first].tolist(), kb[first].tolist(), sim[first].tolist(), strict=True)),
        dtype=bool, count=len(first)))


def _company_keys_match(x: str, y: str, sim: float) -> bool:
    """See :func:`_keys_alike`; "St" and "Saint" are one word ("stgobain", "saintgobain")."""
    if saints_shortened(x) == saints_shortened(y) or _name_head(x, y):
        return True
    return company_keys_alike(x, y) if sim >= 0.9 else company_key_shortened(x, y)


def _name_head(x: str, y: str) -> bool:
    """Whether one company key is the other's beginning, a name of its own (three
    letters or more, not a word for a kind of business) before four letters or more:
    "BNP" for BNP Paribas, "LVMH" for LVMH Moët Hennessy Louis Vuitton. (Not "Orange"
    for Orangina: three letters follow.)"""
    short, long_ = (x, y) if len(x) < len(y) else (y, x)
    return (len(short) >= 3 and len(long_) >= len(short) + 4 and long_.startswith(short)
            and short not in _BUSINESS_WORDS)


# Below 0.9, the Jaro-Winkler similarity from which a shortened word is looked for:
# "laboblanchard" / "laboratoiresblanchard" 0.86, "ingdurand" / "ingenieriedurand" 0.85.
_SHORTENED = 0.8


def company_key_shortened(x: str, y: str) -> bool:
    """One company key is the other with a word cut short ("Labo Blanchard" for
    "Laboratoires Blanchard", "Eiger Tech." for "Eiger Technik"): the shorter one is a
    start of at least three letters shared with the longer, then the longer's end."""
    short, long = (x, y) if len(x) <= len(y) else (y, x)
    if len(short) < 6 or len(short) == len(long):
        return False
    start = 0
    while start < len(short) and short[start] == long[start]:
        start += 1
    if start < 3:
        return False
    end = 0
    while end < len(short) - start and short[-1 - end] == long[-1 - end]:
        end += 1
    return start + end == len(short)


def company_keys_alike(x: str, y: str) -> bool:
    """Two company keys (spaces removed) that Jaro-Winkler finds similar, unless all
    they share is a word naming a kind of business ("studiovendee" and "studiocedre",
    "cabinetdupont" and "cabinetdurand"): what follows it must then be alike too."""
    for word in _BUSINESS_WORDS:
        if x.startswith(word) and y.startswith(word):
            rx, ry = x[len(word):], y[len(word):]
            if not rx or not ry or rx.startswith(ry) or ry.startswith(rx):
                return True  # "groupebrunet" and "groupe", a word added
            return _JW(rx, ry) >= 0.9 or distance.OSA.distance(rx, ry) <= 1
    return not _ends_apart(x, y)


def _ends_apart(x: str, y: str) -> bool:
    """Whether two company keys share a long beginning (six letters or more) and then
    go on with wholly different words of four letters or more: "Société Lyonnaise de
    Négoce" and "Société Lyonnaise de Mécanique" are two names, however much of them
    Jaro-Winkler finds alike (0.91). A typo leaves the rest alike ("valdeloire",
    "vldeloire"), a word added or cut short is a beginning (see :func:`_name_head`)."""
    n = int(distance.Prefix.similarity(x, y))  # the length of the shared beginning
    rx, ry = x[n:], y[n:]
    return n >= 6 and len(rx) >= 4 and len(ry) >= 4 and _JW(rx, ry) < 0.7


# Words that open company names and say what kind of business it is, not which one
# (and articles): two names sharing one are alike only if what follows is. Longest
# first.
_BUSINESS_WORDS = tuple(sorted(
    KINDS_OF_BUSINESS | {"the", "le", "la", "les", "der", "die", "das"}, key=len,
    reverse=True))
# Those of five letters or more, which one slip does not make another word.
_KIND_WORDS = tuple(w for w in KINDS_OF_BUSINESS if len(w) >= 5 and " " not in w)

_TYPO = 0.92  # what one typo in a name of five letters or more scores (a "similar" level)


def _typos_similar(values: np.ndarray, xs: list[str], ys: list[str],
                   short: np.ndarray | None = None) -> np.ndarray:
    """Jaro-Winkler, raised to ``_TYPO`` where the two differ by one typo (one letter
    added, dropped, changed or two swapped) and both have five letters or more:
    Jaro-Winkler weighs a typo near the start heavily ("mrshall" for "marshall" 0.88,
    "uabert" for "aubert" 0.89). In a shorter name (three or four letters, ``short``)
    one letter makes another name as often as a typo (Marc and Mary, Roux and Rous,
    Léa and Léo): a typo only where one of the two is no name the lists know ("Wplf"
    for Wolf 0.85, "Zéo" for Zoé 0.56)."""
    # One typo in five letters or more never scores below 0.75 (about 0.756 at worst):
    # most pairs of different names need no second look. Two letters swapped in three
    # score 0.56.
    near = values >= 0.75
    if short is not None:
        near |= short & (values >= 0.5)
    low = np.flatnonzero((values < _TYPO) & near)
    if not len(low):
        return values
    lx = [xs[k] for k in low.tolist()]
    ly = [ys[k] for k in low.tolist()]
    typos = process.cpdist(lx, ly, scorer=distance.OSA.distance,
                            workers=_CPDIST_WORKERS)
    sizes = [min(len(x), len(y)) for x, y in zip(lx, ly, strict=True)]
    typo = np.fromiter((size >= 5 for size in sizes), dtype=bool, count=len(lx))
    one = np.flatnonzero((typos <= 1) & ~typo)
    if len(one):
        known = _known_names()
        typo[one] = [sizes[k] >= 3 and not (lx[k] in known and ly[k] in known)
                     for k in one.tolist()]
    values = values.copy()
    values[low[(typos <= 1) & typo]] = _TYPO
    return values


@functools.lru_cache(maxsize=1)
def _known_names() -> frozenset[str]:
    """Every given name and surname of the lists, folded."""
    return given_names() | surnames()


def _levels_first(fa, fb, initials, inia, inib, ga, gb, wa, wb, jw, names,
                  compound=None) -> np.ndarray:
    """Given-name levels from codes (``fa``/``fb``, first words ``wa``/``wb``; 0: empty)
    and the similarity ``jw``; ``initials(rows)`` gives both sides' initials there,
    ``names(rows)`` both sides' names, ``compound`` whether either side's name is a
    compound written partly as initials (see :func:`_partly_initials`)."""
    n = len(fa)
    out = np.full(n, 6, dtype=np.int8)
    missing = (fa == 0) | (fb == 0)
    # Two records giving the same initials alone ("B." and "B") agree on a letter, not on
    # a given name: similar (by their similarity, 1.0), never exact.
    exact = (fa == fb) & ~missing & ~(inia & inib)
    g = share_nickname_groups(ga, gb)
    # "jean pierre" vs "jean", "jean marc louis" (a registry's given names) vs "jean
    # marc": the shorter's words begin the longer. "jean pierre" vs "jean paul" (two
    # brothers' names) differ: the same first word, then two names, not a typo; so do
    # "thomas a" and "thomas k" (middle initials, see features._with_middle_initial).
    begins = (wa == wb) & ~missing & ~exact
    apart = np.zeros(n, dtype=bool)
    check = np.flatnonzero(begins)
    if len(check):
        readings = _once_per_pair(fa[check], fb[check], lambda first: np.array(
            [_compound_reading(x, y) for x, y in zip(*names(check[first]), strict=True)],
            dtype=np.int8))
        begins[check] = readings == 2
        apart[check] = readings == 6
    # A middle initial told apart too: "thomas a" and "thomas k" (both Thomas's group).
    nick = (g | begins) & ~apart & ~missing & ~exact
    inits = (inia | inib) & ~missing
    check = np.flatnonzero(inits)
    ia, ib = initials(check)
    # The initials of a name, or of its first words ("J." for Jean-Luc); not more than
    # the other name has: "J.-L." says a second given name "Jean" does not have.
    inits[check] = [
        (x.startswith(y) or y.startswith(x))
        and not (len(x) > len(y) and pa and not pb)
        and not (len(y) > len(x) and pb and not pa)
        for x, y, pa, pb in zip(ia, ib, inia[check].tolist(), inib[check].tolist(),
                                strict=True)]
    # "A." for Tony: the initial of a name the nickname's group holds (Anthony).
    other = check[~inits[check]]
    if len(other):
        inits[other] = [
            _initial_in_groups(x, gb[k]) if inia[k] else _initial_in_groups(y, ga[k])
            for k, x, y in zip(other.tolist(), *initials(other), strict=True)
        ]
    # "M-Laure" for Marie-Laure, "Marie-C." for Marie-Christine: a compound given name
    # with one of its words as an initial (where both sides have two words or more and
    # one writes a word as a letter).
    partly = np.flatnonzero(~inits & ~nick & ~exact & ~missing & (jw < 0.9)
                            & compound) if compound is not None else ()
    if len(partly):
        inits[partly] = [_initial_words(x, y) for x, y in zip(*names(partly), strict=True)]
    # Loose from 0.75: below, two names sharing a few letters (Brandon / Raymond 0.74,
    # Hortense / Océane 0.72), which the model weighed as next to no evidence.
    out[jw >= 0.75] = 5
    out[inits] = 4
    out[jw >= 0.9] = 3
    # Two given names of the lists more than a slip apart (Valérie / Valentine 0.91,
    # Frédéric / Frédérique): two names, not one mistyped. Loose, as names sharing a
    # few letters are (person_levels then reads two such names as two people's). Not two
    # spellings of one name, which sound alike (Aleksander / Alexander).
    check = np.flatnonzero((out == 3) & ~nick & ~exact & ~inits & ~missing)
    if len(check):
        known = given_names()
        out[check[[x in known and y in known and distance.OSA.distance(x, y) > 1
                   and phonetic(x) != phonetic(y)
                   for x, y in zip(*names(check), strict=True)]]] = 5
    out[apart] = 6
    out[nick] = 2
    out[exact] = 1
    out[missing] = 0
    return out


def _written_out(f: PersonFeatures, a: np.ndarray, b: np.ndarray, first: np.ndarray,
                 last: np.ndarray) -> None:
    """Names the same once umlauts are written out (``juergen`` for Jürgen, ``mueller``
    for Müller) compare exact, in place: the few pairs where a record has any."""
    for name, column, written, levels in (("first", f.first, f.first_de, first),
                                          ("last", f.last, f.last_de, last)):
        has = f.extra.get("written out:" + name)
        if has is None:
            has = f.extra["written out:" + name] = written.astype(bool)
        rows = np.flatnonzero((has[a] | has[b]) & (levels > 1))
        if not len(rows):
            continue
        xa, xb = a[rows].tolist(), b[rows].tolist()
        same = np.fromiter(
            ((written[x] or column[x]) == (written[y] or column[y]) for x, y in zip(
                xa, xb, strict=True)), dtype=bool, count=len(rows))
        levels[rows[same]] = 1


def _first_surname_read_as_given(f: PersonFeatures, a: np.ndarray, b: np.ndarray,
                                 first: np.ndarray, last: np.ndarray,
                                 same_head: np.ndarray) -> None:
    """A full name's middle word read as a given name that the other record gives as
    its (first) surname: "Lucía Pascual Dávila" split as Lucía Pascual / Dávila beside
    Lucía / Pascual, or Lucía / Pascual Dávila. Pascual is a given name too, but the
    other record says whose surname it is here: the given names the same (exact), the
    surnames one (exact) or the first of two (compound), in place. A compound given name
    of the nickname table ("Jean Pierre" / Martin beside Jean / Pierre) stays one.
    ``same_head``: whether the two given names open on one word, as one that begins the
    other does (a nickname, Bob for Robert, does not: no string is read for it)."""
    rows = np.flatnonzero((first == 2) & (last >= 2) & same_head)
    if not len(rows):
        return
    compounds = _compound_given_names()
    for k, x, y in zip(rows.tolist(), a[rows].tolist(), b[rows].tolist(), strict=True):
        fx, fy = f.first[x], f.first[y]
        if len(fx) < len(fy):
            x, y, fx, fy = y, x, fy, fx
        if not fx.startswith(fy + " ") or fx.replace(" ", "") in compounds:
            continue
        extra = fx[len(fy) + 1:].replace(" ", "")
        lx, ly = f.last[x], f.last[y]
        if not lx or not ly:
            continue
        if ly == extra + lx:
            first[k], last[k] = 1, 1
        elif ly == extra:
            first[k], last[k] = 1, 2


def _site_codes(f: PersonFeatures) -> np.ndarray:
    """Each record's company domain as a code of the email domains (``_coded``), 0 when
    it has none or no address in the data is at it: comparable with the codes of
    :func:`work_domains`."""
    got = f.extra.get("site codes")
    if got is None:
        got = np.zeros(len(f.company_domain), dtype=np.int32)
        has = np.flatnonzero(f.company_domain != "")
        if len(has):
            codes = _coded(f, "email_domains").reshape(-1)
            # _coded numbers values in order of first appearance: where the running
            # maximum of the codes grows, a value appears for the first time.
            peak = np.maximum.accumulate(codes)
            first = np.flatnonzero(np.diff(peak, prepend=0) > 0)
            table = dict(zip(f.email_domains.reshape(-1)[first].tolist(),
                             codes[first].tolist(), strict=True))
            got[has] = [table.get(x, 0) for x in f.company_domain[has].tolist()]
        f.extra["site codes"] = got
    return got


def _partly_initials(f: PersonFeatures) -> np.ndarray:
    """Whether each record's given name has two words or more, one of them a letter and
    another not (``m laure``, ``marie c``); read once per distinct name."""
    marks = f.extra.get("partly initials")
    if marks is None:
        codes = _value_codes(f, "first")
        strings = f.extra["strings:" + _VOCABULARY["first"]]
        top = int(codes.max(initial=0)) + 1
        by_code = np.fromiter(
            ((len(words := s.split()) > 1 and any(len(w) == 1 for w in words)
              and any(len(w) > 1 for w in words)) for s in strings[:top].tolist()),
            dtype=bool, count=top)
        marks = f.extra["partly initials"] = by_code[codes]
    return marks


def _initial_words(x: str, y: str) -> bool:
    """Whether two folded given names have as many words, each the same or a letter that
    begins the other's (``m laure`` and ``marie laure``), one word at least the same."""
    wx, wy = x.split(), y.split()
    return len(wx) == len(wy) > 1 and all(
        _same_or_initial(u, v) for u, v in zip(wx, wy, strict=True)) and any(
        u == v and len(u) > 1 for u, v in zip(wx, wy, strict=True))


def _compound_reading(x: str, y: str) -> int:
    """Two folded given names with the same first word: 2 when one's words begin the
    other's ("jean", "jean pierre"), 6 when each goes on with another name ("jean
    pierre", "jean paul"; not "jean piere", a typo, nor "marie chr", cut short), 0
    otherwise."""
    if x.startswith(y + " ") or y.startswith(x + " "):
        return 2
    rest_x, rest_y = x.partition(" ")[2], y.partition(" ")[2]
    if rest_x and rest_y and _JW(rest_x, rest_y) < 0.9 and not (
            rest_x.startswith(rest_y) or rest_y.startswith(rest_x)):
        return 6
    return 0


def _levels_last(la, lb, ca, cb, jw, *, cores=None,
                 candidates: np.ndarray | None = None) -> np.ndarray:
    """Surname levels from codes (``la``/``lb``, cores ``ca``/``cb``; 0: empty) and the
    similarity ``jw``; with ``cores(rows)`` (both sides' core strings there), a surname
    inside the other counts as a compound."""
    out = np.full(len(la), 5, dtype=np.int8)
    missing = (la == 0) | (lb == 0)
    exact = la == lb
    core = (ca == cb) & ~missing
    if cores is not None:
        # "garnier" in "garnierroux": only where nothing better holds already.
        maybe = ~core & ~exact & ~missing
        if candidates is not None:
            maybe &= candidates
        check = np.flatnonzero(maybe)
        if len(check):
            # Tested once per distinct pair of cores: blocking on surname sounds brings
            # the same two surnames together many times.
            core[check] = _once_per_pair(ca[check], cb[check], lambda first: np.fromiter(
                (len(x) >= 3 and len(y) >= 3 and (x.startswith(y) or y.startswith(x)
                                                  or x.endswith(y) or y.endswith(x))
                 for x, y in zip(*cores(check[first]), strict=True)), dtype=bool,
                count=len(first)))
    out[jw >= 0.8] = 4
    out[jw >= 0.92] = 3
    out[core] = 2
    out[exact] = 1
    out[missing] = 0
    return out


def _coded(f: PersonFeatures, name: str) -> np.ndarray:
    """A two-slot string column as int32 codes (0: empty), computed once per run.

    Comparing integers is many times faster than comparing Python strings in object
    arrays, and a million pairs compare each column four ways.
    """
    key = "codes:" + name
    codes = f.extra.get(key)
    if codes is None:
        column = getattr(f, name)
        codes = _codes_into({"": 0}, column.reshape(-1).tolist()).reshape(column.shape)
        f.extra[key] = codes
    return codes


def work_domains(f: PersonFeatures) -> tuple[np.ndarray, np.ndarray]:
    """The email domains' codes (see ``_coded``) with those of mail providers the
    free-mail list lacks set to 0, and whether each record holds such an address.

    A provider's domain is read from the data: addresses at it are given by
    ``_PROVIDER_COMPANIES`` company names or more, no four letters opening more than
    ``_PROVIDER_SHARE`` of its records' names (a regional ISP, a file's made-up
    ``mail.example``: people of hundreds of firms). A company's own domain, however many
    spellings of its name the sources give (Capgemini, Capgemini France, Capgemini
    Technology Services), is not one.
    """
    domains, providers = f.extra.get("work domains"), f.extra.get("provider addresses")
    if domains is None or providers is None:
        codes = _coded(f, "email_domains")
        keys = _value_codes(f, "company_key")
        flags = np.zeros(int(codes.max(initial=0)) + 1, dtype=bool)
        slots = [(codes[:, s].astype(np.int64) << 32) | keys for s in (0, 1)]
        joined = np.concatenate([x[(x >> 32 != 0) & (x & 0xFFFFFFFF != 0)] for x in slots])
        pairs, counts = np.unique(joined, return_counts=True)
        domain = pairs >> 32
        many = np.flatnonzero(np.bincount(domain, minlength=len(flags))
                              >= _PROVIDER_COMPANIES)
        if len(many):
            strings = f.extra["strings:" + _VOCABULARY["company_key"]]
            starts = np.searchsorted(domain, many)
            ends = np.searchsorted(domain, many, side="right")
            for code, start, end in zip(many.tolist(), starts.tolist(), ends.tolist(),
                                        strict=True):
                heads: dict[str, int] = {}
                for key, count in zip((pairs[start:end] & 0xFFFFFFFF).tolist(),
                                      counts[start:end].tolist(), strict=True):
                    head = strings[key][:4]
                    heads[head] = heads.get(head, 0) + count
                flags[code] = max(heads.values()) < _PROVIDER_SHARE * sum(heads.values())
        held = flags[codes]
        domains = f.extra["work domains"] = np.where(held, 0, codes)
        providers = f.extra["provider addresses"] = held.any(axis=1)
    return domains, providers


def personal_addresses(f: PersonFeatures) -> np.ndarray:
    """Whether each record holds a personal address: at a domain of the free-mail list,
    or at a mail provider read from the data (see :func:`work_domains`)."""
    return free_mail(f) | work_domains(f)[1]


# See work_domains.
_PROVIDER_COMPANIES = 8
_PROVIDER_SHARE = 0.3


def _equal_slots(xa: np.ndarray, xb: np.ndarray) -> Iterator[tuple[int, int, np.ndarray]]:
    """For two-slot code columns, each slot of ``xa`` and of ``xb`` with where the two
    hold one value (not none)."""
    for i in range(2):
        for j in range(2):
            yield i, j, (xa[:, i] == xb[:, j]) & (xa[:, i] != 0)


def _any_equal(xa: np.ndarray, xb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(some value equal, both sides have a value) for two-slot code columns."""
    eq = np.zeros(len(xa), dtype=bool)
    for _, _, same in _equal_slots(xa, xb):
        eq |= same
    return eq, (xa[:, 0] != 0) & (xb[:, 0] != 0)


def _mobile_shared(pa: np.ndarray, pb: np.ndarray, ma: np.ndarray,
                   mb: np.ndarray, *, maybe: bool = False) -> np.ndarray:
    """Whether two records (phone codes ``pa``/``pb``, mobile marks ``ma``/``mb``, see
    ``PersonFeatures.mobiles``) share a number that either calls a mobile (with
    ``maybe``, or may be one: a North American number)."""
    ma, mb = ma.astype(np.int64), mb.astype(np.int64)
    if maybe:
        ma, mb = ma | (ma >> 2), mb | (mb >> 2)
    out = np.zeros(len(pa), dtype=bool)
    for s, t, same in _equal_slots(pa, pb):
        out |= same & ((((ma >> s) | (mb >> t)) & 1) == 1)
    return out


def one_name_levels(levels: np.ndarray) -> np.ndarray:
    """Which pairs' name levels (columns 0 and 1 of ``levels``) give one name as a
    person's two jobs do: both names there and alike, one of them possibly a nickname
    or mistyped, the other then exact (Penelope "Heebrt", "Barndon" Lee)."""
    first, last = levels[:, 0], levels[:, 1]
    return ((last >= 1) & (last <= 3) & (first >= 1) & (first <= 3)
            & ((last == 1) | (first <= 2)))


def personal_address_shared(f: PersonFeatures, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether records ``a`` and ``b`` share an address at a mail provider (a personal
    one: no work domain, see ``PersonFeatures.email_domains``)."""
    codes = _coded(f, "emails")
    xa, xb = codes[a], codes[b]
    out = np.zeros(len(a), dtype=bool)
    for s, _, same in _equal_slots(xa, xb):
        out |= same & (f.email_domains[a, s] == "")
    return out


def person_levels(
    f: PersonFeatures, pairs: np.ndarray, phone_counts: dict[str, int] | None = None,
) -> np.ndarray:
    """Levels of every comparison for each pair: an (m, len(COMPARISONS)) int8 array.

    First and last names are compared both ways round and the better reading kept,
    so a record with given and family name swapped still agrees.
    """
    a, b = pairs[:, 0], pairs[:, 1]
    m = len(pairs)
    out = np.zeros((m, len(COMPARISONS)), dtype=np.int8)
    if not m:
        return out
    _derive_columns(f)
    code = functools.partial(_value_codes, f)

    def pick(column: np.ndarray) -> Callable[[np.ndarray], tuple[list[str], list[str]]]:
        return lambda rows: (column[a[rows]].tolist(), column[b[rows]].tolist())

    given_a, given_b = code("first")[a], code("first")[b]
    head_a, head_b = code("first_word")[a], code("first_word")[b]
    partly = _partly_initials(f)
    first = _levels_first(given_a, given_b, pick(f.first_initials),
                          f.first_is_initials[a], f.first_is_initials[b],
                          f.first_groups[a], f.first_groups[b], head_a, head_b,
                          _similarity(f, "first", "first", a, b, _JW),
                          pick(f.first), partly[a] | partly[b])
    ends = _core_ends(f)
    # A surname inside another starts or ends with the same letter: only those pairs
    # need the string test.
    ends_meet = (ends[a, 0] == ends[b, 0]) | (ends[a, 1] == ends[b, 1])
    la, lb = code("last")[a], code("last")[b]
    ca, cb = code("last_core")[a], code("last_core")[b]
    last = _levels_last(la, lb, ca, cb, _similarity(f, "last", "last", a, b, _JW),
                        cores=pick(f.last_core), candidates=ends_meet)
    # Jürgen Müller and Juergen Mueller: one name, its umlauts written out in one record.
    _written_out(f, a, b, first, last)
    _first_surname_read_as_given(f, a, b, first, last, head_a == head_b)
    # Swapped reading: a's first against b's last and the other way (one vocabulary).
    # Where both names already agree (levels 3 or better), only an exact swap counts
    # (below), which the codes tell: the similarity is needed only elsewhere.
    ja, jb = code("first_nospace")[a], code("first_nospace")[b]
    # A surname given as its initial ("Jean D.", or "WEBER A." with the given name and
    # surname swapped in both records) beside the surname it begins: a loose match, not
    # another surname. (Read once the names' vocabulary is whole.)
    heads = _name_marks(f, "initial marks", _initial_mark, np.int32)
    ha, hb = heads[la], heads[lb]
    lead = _name_marks(f, "first letters", _first_letter, np.int32)
    initial = (last == 5) & (la != 0) & (lb != 0) & (
        ((ha > 0) & (ha == lead[lb])) | ((hb > 0) & (hb == lead[la])))
    last[initial] = 4
    # Sergio Stevens Sr. and Sergio Stevens Jr.: a surname a letter apart ("similar"),
    # two generations of one family, two people. (Read once the vocabulary is whole.)
    generations = _name_marks(f, "generation marks", _generation_mark, np.int8)
    ga, gb = generations[la], generations[lb]
    last[(ga > 0) & (gb > 0) & (ga != gb)] = 5
    loose = np.flatnonzero((first > 3) | (last > 3))
    swap_first = _levels_last(ja, lb, ja, cb,
                              _similarity_at(f, "first_nospace", "last", a, b, loose))
    swap_last = _levels_last(la, jb, ca, jb,
                             _similarity_at(f, "last", "first_nospace", a, b, loose))
    # Swapped, where one record's surname has words the other's given-name field leaves
    # out ("ALBEROLA" / "Adrián" beside Adrián / Alberola Bustos), or the other way
    # ("PRADA CABALLERO" / "Ignacio" beside Ignacio Prada): one inside the other, a
    # compound, where the other way round agrees.
    nospace = f.extra["first_nospace"]
    for levels, other, given_rows, surname_rows in ((swap_first, swap_last, a, b),
                                                    (swap_last, swap_first, b, a)):
        at = np.flatnonzero((levels > 3) & (other > 0) & (other <= 3))
        if len(at):
            inside = np.fromiter(
                (len(x) >= 3 and len(y) >= 3 and x != y and (
                    y.startswith(x) or y.endswith(x) or x.startswith(y) or x.endswith(y))
                 for x, y in zip(nospace[given_rows[at]].tolist(),
                                 f.last_core[surname_rows[at]].tolist(), strict=True)),
                dtype=bool, count=len(at))
            levels[at[inside]] = 2
    swapped = (swap_first == 1) & (swap_last == 1) & ~((first == 1) & (last == 1))
    # Swapped and misspelt ("masno madeline" for "madeline mason"): similar both ways.
    near = (swap_first <= 3) & (swap_last <= 3) & (swap_first > 0) & (swap_last > 0) & (
        (first > 3) | (last > 3)) & ~swapped
    # Given names of one sex each, read before the swapped readings change the levels
    # (see below); the names' vocabulary is whole once the swapped readings are coded.
    sexes = _sex_marks(f)
    two_names = ((first == 3) | (first == 5)) & (sexes[given_a] > 0) & (
        sexes[given_b] > 0) & (sexes[given_a] != sexes[given_b])
    if two_names.any():
        at = np.flatnonzero(two_names)
        two_names[at] = [not _transposed(x, y) for x, y in zip(
            f.first[a[at]].tolist(), f.first[b[at]].tolist(), strict=True)]
    # Two names of their own, one the other's beginning (Yann and Yannick, Marc and
    # Marcel, Paul and Paulin): two people's, as a man's and a woman's names are.
    known = _known_marks(f)
    prefixed = ((first == 3) | (first == 5)) & known[given_a] & known[given_b]
    if prefixed.any():
        at = np.flatnonzero(prefixed)
        names = given_names()
        prefixed[at] = [_names_of_their_own(x, y, names) for x, y in zip(
            f.first[a[at]].tolist(), f.first[b[at]].tolist(), strict=True)]
        two_names |= prefixed
    # Two names of their own only loosely alike (Céline and Élodie, 0.78; below 0.9):
    # two people's too, not a typo, which makes a name no list holds ("Nathalei") or
    # one a letter from the other (similar). Not two spellings of one name, which sound
    # alike (Carl and Karl, Sofia and Sophia) or share a nickname group (Sean, Shaun).
    loose = (first == 5) & known[given_a] & known[given_b] & ~two_names
    if loose.any():
        at = np.flatnonzero(loose)
        two_names[at] = [
            not _transposed(x, y) and not share_nickname_group(x, y)
            and phonetic(x) != phonetic(y)
            for x, y in zip(f.first[a[at]].tolist(), f.first[b[at]].tolist(), strict=True)]
    read_swapped = swapped | near
    first = np.where(swapped, 1, np.where(near, 3, first))
    last = np.where(swapped, 1, np.where(near, 3, last))
    # Swapped, the given name written as an initial or a nickname ("Leclerc, S." for
    # Stéphane Leclerc, "Phillips, Sue" for Susan Phillips).
    # The surname read the other way may be misspelt too ("Huubert, J-M" for Jean-Michel
    # Hubert): similar then, not exact.
    agree_first = (swap_first > 0) & (swap_first <= 3)
    agree_last = (swap_last > 0) & (swap_last <= 3)
    half = np.flatnonzero((agree_first ^ agree_last) & (first > 3) & (last > 3))
    if len(half):
        rows_a, rows_b = a[half], b[half]
        on_a = agree_first[half].tolist()  # a's given name is b's surname
        given = np.array([
            _given_level(f.last[x], f.first[y]) if left else _given_level(f.last[y], f.first[x])
            for left, x, y in zip(on_a, rows_a.tolist(), rows_b.tolist(), strict=True)
        ], dtype=np.int8)
        fits = given > 0
        first[half[fits]] = given[fits]
        read_swapped[half[fits]] = True
        last[half[fits]] = np.where(agree_first[half[fits]], swap_first[half[fits]],
                                    swap_last[half[fits]])
    # A typo in a nickname ("Bceky" for Rebecca, "Robrt" for Bob): one edit from a name
    # of the other's nickname group, where the surnames agree.
    odd = np.flatnonzero((first >= 5) & (last <= 3) & (last > 0))
    if len(odd):
        near_name = np.fromiter(
            (_typo_of_variant(x, y) for x, y in zip(
                f.first[a[odd]].tolist(), f.first[b[odd]].tolist(), strict=True)),
            dtype=bool, count=len(odd))
        first[odd[near_name]] = 3
    # A man's given name and its feminine form (Jean and Jeanne, Louis and Louise) are two
    # people's however alike they are written, even where a nickname joins them
    # (Emmanuel and Emmanuelle, "Manu"): co-managers of a family firm share its surname,
    # its number and often its address pattern.
    forms = _feminine_marks(f)
    pair = np.flatnonzero((first >= 2) & (first <= 5) & forms[given_a] & forms[given_b])
    if len(pair):
        hit = np.fromiter((gendered_names(x, y) for x, y in zip(
            f.first[a[pair]].tolist(), f.first[b[pair]].tolist(), strict=True)),
            dtype=bool, count=len(pair))
        first[pair[hit]] = 6
    # Names written alike but worn by one sex each (Julien and Julie, Nathan and Nathalie,
    # Samir and Samira), and two names of their own (above), are two people's too, where
    # the given names were the ones compared (not a swapped reading); a nickname's group
    # is left alone (Chris for Christine as for Christopher), and so are two letters
    # swapped ("Jena-François" is Jean-François mistyped, though Jena is a name).
    first[np.flatnonzero(two_names & ~read_swapped)] = 6
    out[:, 0] = first
    out[:, 1] = last

    same, both = _any_equal(_coded(f, "emails")[a], _coded(f, "emails")[b])
    same_local, _ = _any_equal(_coded(f, "email_locals")[a], _coded(f, "email_locals")[b])
    # The same local part at two company domains is a naming pattern (francoisg@ at two
    # firms), not a person; it counts when one side is a personal address.
    domains, _ = work_domains(f)
    free = personal_addresses(f)
    free_a, free_b = free[a], free[b]
    same_local &= free_a | free_b
    same_domain, _ = _any_equal(domains[a], domains[b])
    # One firm's two sites: its name under two suffixes (dupont.fr, dupont.com), where
    # it moved its addresses, or a source wrote one for the other. An address under
    # each is read as at one domain; two company names are still two employers.
    # Codes of their own: coded here in the companies' vocabulary (_VOCABULARY), the
    # labels would enter it in another order than where columns are coded in two
    # processes.
    label = f.extra.get("email site codes")
    if label is None:
        label = f.extra["email site codes"] = _codes_into(
            {"": 0}, f.extra["email_label"].tolist())
    same_site = same_domain | ((label[a] == label[b]) & (label[a] != 0)
                               & (domains[a, 0] != 0) & (domains[b, 0] != 0))
    email = np.where(both, 5, 0)
    check = np.flatnonzero(both & same_site & ~same & ~same_local)
    if len(check):
        consistent = np.ones(m, dtype=bool)
        # Each record's address at the domain they share, the first where both have one
        # there (a personal address may come first: jdupont2@gmail.com, then
        # j.dupont@acme.example); the first addresses at one firm's two sites.
        slot_a = np.zeros(len(check), dtype=np.int64)
        slot_b = np.zeros(len(check), dtype=np.int64)
        da, db = domains[a[check]], domains[b[check]]
        for i, j in ((1, 1), (1, 0), (0, 1), (0, 0)):  # the first pair found wins
            at = (da[:, i] == db[:, j]) & (da[:, i] != 0)
            slot_a[at], slot_b[at] = i, j
        xs = f.email_locals[a[check], slot_a].tolist()
        ys = f.email_locals[b[check], slot_b].tolist()
        found = np.fromiter((_locals_consistent(x, y) for x, y in zip(xs, ys, strict=True)),
                            dtype=bool, count=len(check))
        # Or each the form of the other record's name (pharris@ and peterh@ for Peter and
        # Pete Harris): only where the names themselves may be one person's. Where one
        # record mistypes a name (Benjamin Coper, Cedrc Salmon), an address may spell it
        # as the other record writes it (bcooper@, cedricsalmon@).
        maybe = np.flatnonzero(~found & (first[check] < 6) & (last[check] < 5))
        if len(maybe):
            ia, ib = a[check[maybe]], b[check[maybe]]
            typo_first = (first[check[maybe]] == 3).tolist()
            typo_last = (last[check[maybe]] == 3).tolist()
            # A surname inside the other and a letter shorter (level 2, as compounds are)
            # is one mistyped at its end: "mahie" for Mahieu.
            cut = (last[check[maybe]] == 2).tolist()
            # One name written alike on both records (or a nickname of it), and one
            # address a letter off the other's: a typing slip in the address
            # (carolinebasseur@ beside carolinevasseur@, chritelle.allain@ beside
            # christelle.allain@), not two addresses a company gave two namesakes.
            alike = ((first[check[maybe]] <= 2) & (last[check[maybe]] == 1)).tolist()
            # A surname of several words may give an address its first alone (jraya@
            # for Javier Raya Iglesias). Where the names were read swapped, either record
            # may be the one whose fields are swapped ("bernier" / "j.-b." at
            # jeanbaptiste@): its name is also read the right way round.
            found[maybe] = [
                _told_apart(xs[k], ys[k]) is None and ((same_k and (
                    _one_slip(xs[k], ys[k]) or _slipped_forms(xs[k], ys[k], fa, la)))
                                                        or any(
                    _each_fits(xs[k], ys[k], fa, la, fb, lb, tf,
                               tl or (c and abs(len(la) - len(lb)) == 1), ha, hb)
                    for fa, la, fb, lb, ha, hb in (
                        ((fa, la, fb, lb, ha, hb), (_as_given(la, fb), fa, fb, lb, "", hb),
                         (fa, la, _as_given(lb, fa), fb, ha, "")) if swapped_k
                        else ((fa, la, fb, lb, ha, hb),))))
                for k, fa, la, fb, lb, tf, tl, c, ha, hb, swapped_k, same_k in zip(
                    maybe.tolist(), f.first[ia].tolist(), f.last[ia].tolist(),
                    f.first[ib].tolist(), f.last[ib].tolist(), typo_first, typo_last, cut,
                    f.last_head[ia].tolist(), f.last_head[ib].tolist(),
                    read_swapped[check[maybe]].tolist(), alike, strict=True)
            ]
        consistent[check] = found
        email = np.where(both & same_site, np.where(consistent, 3, 4), email)
        # A role mailbox (contact@, info@) on either side is the company's, not a
        # person's: it tells neither one person nor two (Nicolas Petit as contact@ in
        # one file, nicolas.petit@ in another).
        role = _role_locals(xs, ys)
        email[check[role]] = 0
    email = np.where(both & same_local, 2, email)
    # The same local part that only spells the name (hannah.evans@ at a free-mail
    # address and at a company) says nothing the names do not: two namesakes have it.
    plain = np.flatnonzero(both & same_local & ~same)
    if len(plain):
        rows = a[plain]
        spelled = np.array([
            _local_fits(x, given, surname) for x, given, surname in zip(
                f.email_locals[rows, 0].tolist(), f.first[rows].tolist(),
                f.last[rows].tolist(), strict=True)
        ], dtype=bool)
        email[plain[spelled]] = 0
    email = np.where(same, 1, email)
    out[:, 2] = email
    # One given name and one address that spells it with one record's surname and not
    # with the other's ("dame" beside Alexander Van Damme, both alexander.vandamme@; a
    # married name beside the maiden one the address keeps): the other surname is that
    # one mistyped or changed, not a second person's (two people sharing a mailbox share
    # one the names both fit: laure@, contact@).
    spelt = np.flatnonzero((email == 1) & (last == 5) & (first == 1))
    if len(spelt):
        fits = np.fromiter(
            (_local_fits(x, fa, la) != _local_fits(x, fb, lb) for x, fa, la, fb, lb in zip(
                _shared_locals(f, a[spelt], b[spelt]), f.first[a[spelt]].tolist(),
                f.last[a[spelt]].tolist(), f.first[b[spelt]].tolist(),
                f.last[b[spelt]].tolist(), strict=True)),
            dtype=bool, count=len(spelt))
        out[spelt[fits], 1] = 4

    codes = _coded(f, "phones")
    phones_a, phones_b = codes[a], codes[b]
    same, both = _any_equal(phones_a, phones_b)
    phone = np.where(both, 3, 0)
    phone = np.where(same, 2, phone)
    if phone_counts:
        # Which numbers are shared, which shared_phones (that gave the counts) keeps on
        # ``f``: a pair sharing another number than those (Sophie Lambert's mobile, her
        # old firm's switchboard beside it) shares one person's.
        if "shared_number" not in f.extra:
            shared_phones(f)
        shared = f.extra["shared_number"]
        own = np.zeros(m, dtype=bool)
        for s, _, equal in _equal_slots(phones_a, phones_b):
            own |= equal & ~shared[phones_a[:, s]]
        phone = np.where(own, 1, phone)
    else:
        phone = np.where(same, 1, phone)
    out[:, 3] = phone
    # One name at one company, two addresses that are no forms of one person's (e.hubert@
    # and mhubert@, one mistyped) and a mobile no one else carries in common: one
    # person's two addresses. (Namesakes a company told apart share its line, not a
    # mobile.)
    typo = np.flatnonzero((out[:, 2] == 4) & (phone == 1) & (out[:, 0] >= 1)
                          & (out[:, 0] <= 2) & (out[:, 1] == 1))
    if len(typo):
        typo = typo[_mobile_shared(phones_a[typo], phones_b[typo], f.mobiles[a[typo]],
                                   f.mobiles[b[typo]])]
        out[typo, 2] = 3

    # A role mailbox (contact@, info@…) shared by two records whose given names differ
    # is a small company's shared contact, not one person's: another person at the same
    # domain, and the number that goes with it a shared line (Catherine and Paul Moreau,
    # both contact@boulangerie-moreau.fr and the shop's number). Where either record gives
    # no given name (a list of the firms' mailboxes), it tells neither one person nor
    # two. Rare: looked at one by one.
    clash = np.flatnonzero((out[:, 2] == 1) & ((out[:, 0] == 6) | (out[:, 0] == 0)))
    if len(clash):
        emails = f.emails
        hit = clash[np.fromiter(
            (_only_role_shared(emails[a[k]].tolist(), emails[b[k]].tolist())
             for k in clash.tolist()), dtype=bool, count=len(clash))]
        if len(hit):
            named = out[hit, 0] == 6
            out[hit, 2] = np.where(named, 4, 0)
            hit = hit[named]
            out[hit, 3] = np.where(out[hit, 3] == 1, 2, out[hit, 3])

    la, lb = code("linkedin")[a], code("linkedin")[b]
    out[:, 4] = np.where((la == 0) | (lb == 0), 0, np.where(la == lb, 1, 2))
    # One profile's two addresses tell nothing either way: its public address with and
    # without the suffix LinkedIn gives (in/james-barker, in/james-barker-5f81ac40), or
    # the member id a Sales Navigator export gives (in/acwaaa…) beside its name.
    # _one_profile of each pair, read from each address's forms (built once per run,
    # whether or not a pair needs them, as in the processes that code columns).
    any_profile, own, bare = _profile_forms(f)
    other = np.flatnonzero(out[:, 4] == 2)
    if len(other):
        x, y = la[other], lb[other]
        out[other[any_profile[x] | any_profile[y] | (own[x] == bare[y])
                  | (own[y] == bare[x])], 4] = 0

    ca, cb = code("company_id")[a], code("company_id")[b]
    ka, kb = code("company_key")[a], code("company_key")[b]
    da, db = code("company_domain")[a], code("company_domain")[b]
    has = ((ca != 0) | (ka != 0)) & ((cb != 0) | (kb != 0))
    company = np.where(has, 4, 0)
    # Read only for two company names both sides have, and not the same one.
    sim = _similarity_at(f, "company_key", "company_key", a, b,
                         np.flatnonzero((ka != 0) & (kb != 0) & (ka != kb)))
    similar = has & (sim >= _SHORTENED) & (ka != 0) & (kb != 0) & (ka != kb)
    if similar.any():
        similar[similar] = _keys_alike(f, ka[similar], kb[similar], sim[similar])
    company = np.where(similar, 3, company)
    # An acronym of the other's name ("CLG" for Cabinet Le Goff), both ways.
    ia, ib = code("company_initials")[a], code("company_initials")[b]
    acronym = has & (((ka == ib) & (ka != 0)) | ((kb == ia) & (kb != 0)))
    company = np.where(acronym & (company == 4), 3, company)
    # A word for a kind of business added or moved: "Garage Blanchard Auto" and
    # "BLANCHARD AUTO", "Transports Lefèvre" and "Lefevre Transports" (not "Boulangerie
    # Martin" and "Boucherie Martin": the same core, two kinds of business).
    ra, rb = code("company_core")[a], code("company_core")[b]
    added = ((ra == kb) & (ra != 0)) | ((rb == ka) & (rb != 0))
    moved = np.flatnonzero((company == 4) & (ra == rb) & (ra != 0) & ~added)
    if len(moved):
        strings = f.extra["strings:companies"]
        added[moved] = [sorted(strings[x]) == sorted(strings[y])
                        for x, y in zip(ka[moved].tolist(), kb[moved].tolist(), strict=True)]
    company = np.where(has & added & (company == 4), 3, company)
    # A short name a badge scan or a hand-typed list gives, mistyped ("BATIEN",
    # "Solnae", "DELFORRGE"), against the full name it begins (Bastien Emballages, Solane
    # Emballages, Delforge Informatique): one slip from its head, six letters or more;
    # only where the people's names agree.
    typed = np.flatnonzero((company == 4) & (ka != 0) & (kb != 0)
                           & (out[:, 0] >= 1) & (out[:, 0] <= 3) & (out[:, 1] >= 1)
                           & (out[:, 1] <= 3))
    if len(typed):
        strings = f.extra["strings:companies"]
        xa, xb = ka[typed], kb[typed]
        # Or a word for a kind of business mistyped before the other's name ("Laboatoires
        # Dupuy" for Laboratoires Dupuy, whose core is "dupuy").
        pa, pb = ra[typed], rb[typed]

        def mistyped(first: np.ndarray) -> np.ndarray:
            # Most pairs fail a test on lengths and letters alone (namesakes at two
            # companies): only the others are read in Python.
            at = first[_maybe_mistyped(f, xa[first], xb[first], pa[first], pb[first])]
            found = np.zeros(len(xa), dtype=bool)
            found[at] = np.fromiter(
                (_slip_from_head(strings[x], strings[y])
                 or _mistyped_kind(strings[x], strings[y], strings[cy] if cy else "")
                 or _mistyped_kind(strings[y], strings[x], strings[cx] if cx else "")
                 for x, y, cx, cy in zip(xa[at].tolist(), xb[at].tolist(),
                                         pa[at].tolist(), pb[at].tolist(), strict=True)),
                dtype=bool, count=len(at))
            return found[first]

        company[typed[_once_per_pair(xa, xb, mistyped)]] = 3
    company = np.where(has & (((ka == kb) & (ka != 0)) | ((da == db) & (da != 0))), 2,
                       company)
    company = np.where((ca == cb) & (ca != 0), 1, company)
    # One name, two company records told apart by their sites, each person writing from
    # their own (Debbie Miller @meridian-systems.co.uk of Meridian Systems LLP, and
    # Debbie Miller @meridian-systems.io of Meridian Systems Inc): two employers that
    # share a name, as two names are. (One person's two jobs share a mobile, below.)
    sites = _site_codes(f)
    own_sites = f.extra.get("own sites")
    if own_sites is None:
        own_sites = f.extra["own sites"] = np.where(
            sites != 0, sites, np.where(domains[:, 0] != 0, domains[:, 0], domains[:, 1]))
    two_sites = np.flatnonzero(company == 2)  # a few pairs in a hundred: read those alone
    site_a, site_b = own_sites[a[two_sites]], own_sites[b[two_sites]]
    two_sites = two_sites[(ca[two_sites] != cb[two_sites]) & (site_a != site_b)
                          & (site_a != 0) & (site_b != 0)]
    if len(two_sites):
        ia, ib = a[two_sites], b[two_sites]
        own = ((domains[ia] == own_sites[ia][:, None]).any(axis=1)
               & (domains[ib] == own_sites[ib][:, None]).any(axis=1))
        company[two_sites[own]] = 4
    # No company named on one side, but a work address there at a domain that is the
    # other's company name ("gerald.brunet@oliviernettoyage.fr", Olivier Nettoyage).
    la, lb = code("email_label")[a], code("email_label")[b]
    named = (ka != 0) & (cb == 0) & (kb == 0) & (lb == ka)
    named |= (kb != 0) & (ca == 0) & (ka == 0) & (la == kb)
    company = np.where(named, 2, company)
    # A company known only by its site on one side (a team page's "zephix.com",
    # "groupe-arcon.fr") and by a name on the other (ZEPHIX, Arcon): one employer where
    # the site spells the name, as its key (2) or its core, the name less a word for a
    # kind of business (3).
    sa, sb = code("site_key")[a], code("site_key")[b]
    oa, ob = code("site_core")[a], code("site_core")[b]
    site_b = (company == 4) & (ka != 0) & (kb == 0) & (sb != 0)
    site_a = (company == 4) & (kb != 0) & (ka == 0) & (sa != 0)
    company = np.where((site_b & (sb == ka)) | (site_a & (sa == kb)), 2, company)
    core_b = site_b & (((ob == ka) & (ob != 0)) | ((sb == ra) & (ra != 0))
                       | ((ob == ra) & (ob != 0)))
    core_a = site_a & (((oa == kb) & (oa != 0)) | ((sa == rb) & (rb != 0))
                       | ((oa == rb) & (oa != 0)))
    company = np.where((company == 4) & (core_a | core_b), 3, company)
    # A site that leaves out a word joining the name's ("societefrancaisemecanique.fr"
    # for Société Française de Mécanique, "munozollivier.fr" for Munoz et Ollivier).
    left = np.flatnonzero((company == 4) & (site_a | site_b))
    if len(left):
        strings = f.extra["strings:companies"]
        on_b = site_b[left]
        names = np.where(on_b, ka[left], kb[left]).tolist()
        spelt = np.where(on_b, sb[left], sa[left]).tolist()
        company[left[np.fromiter(
            (_without_a_joining_word(strings[n], strings[x]) for n, x in zip(
                names, spelt, strict=True)), dtype=bool, count=len(left))]] = 3
    # Two work addresses at one domain are one employer's, whatever each file calls it
    # ("Lefèvre Menuiserie" and "Menuiserie Lefevre", both @lefevre-menuiserie.fr).
    company = np.where((company == 4) & same_domain, 2, company)
    # A company known by its site on one side (a team page's "transports-michel.fr") and
    # a work address at that domain on the other (a CRM's TRANSPORTS MICHEL, or "Capea"
    # for Capea Health, at @transports-michel.fr, @capeahealth.co.uk): one employer.
    rows = np.flatnonzero(((company == 4) | (company == 0))
                          & ((sites[a] != 0) | (sites[b] != 0)))
    if len(rows):
        sa, sb = sites[a[rows]][:, None], sites[b[rows]][:, None]
        hit = (((sa == domains[b[rows]]) & (sa != 0)).any(axis=1)
               | ((sb == domains[a[rows]]) & (sb != 0)).any(axis=1))
        company[rows[hit]] = 2
    # No company named on a side, but work addresses on both at two domains (Sönke
    # Köhler @claesholzbau.de and Sönke Köhler of Gruber Elektro @gruberelektro.de): two
    # employers, as two company names are.
    work = f.extra.get("work address")
    if work is None:
        work = f.extra["work address"] = (domains != 0).any(axis=1)
    company = np.where((company == 0) & work[a] & work[b] & ~same_site, 4, company)
    # One person's own mobile at two companies: a job change, or a founder of two firms
    # (Sophie Lambert at Biocéane, then at Maison Duval with the same 06 number); or at
    # a company and where a record names none, another street and town (a home, the
    # next office). Where both names agree, one of them possibly mistyped (Penelope
    # "Heebrt", "Barndon" Lee) or the given name an initial beside the same surname
    # ("G. Cousin", Géraldine Cousin), and the two share a mobile no one else carries (or a
    # North American number, which may be one), what a new job or a move changes is no
    # evidence against: the company, the work address, the town, the postcode, the
    # street address and the title are read as none (below).
    # One name, at another company than the other record's or none named.
    two_jobs = ((one_name_levels(out) | ((out[:, 1] == 1) & (out[:, 0] == 4)))
                & ((company == 4) | (company == 0)))
    moved = np.flatnonzero(two_jobs & (out[:, 3] == 1))
    if len(moved):
        moved = moved[_mobile_shared(phones_a[moved], phones_b[moved], f.mobiles[a[moved]],
                                     f.mobiles[b[moved]], maybe=True)]
    # The same for one LinkedIn profile, which follows its owner from job to job as a
    # mobile does; the office lines of the two jobs differ too.
    profile = np.flatnonzero(two_jobs & (out[:, 4] == 1))
    if len(profile):
        out[profile, 3] = np.where(out[profile, 3] >= 3, 0, out[profile, 3])
        moved = np.union1d(moved, profile)
    if len(moved):
        company[moved] = 0
    out[:, 5] = company

    xa, xb = code("city")[a], code("city")[b]
    city_sim = _similarity(f, "city", "city", a, b, _JW)
    out[:, 6] = np.where((xa == 0) | (xb == 0), 0,
                         np.where(xa == xb, 1, np.where(city_sim >= 0.9, 2, 3)))
    pa, pb = code("postcode")[a], code("postcode")[b]
    _postcode_areas(f)
    area = code("postcode_area")[a] == code("postcode_area")[b]
    out[:, 7] = np.where((pa == 0) | (pb == 0), 0,
                         np.where(pa == pb, 1, np.where(area, 2, 3)))
    missing = (code("address")[a] == 0) | (code("address")[b] == 0)
    score = _similarity_at(f, "address", "address", a, b, np.flatnonzero(~missing),
                           _address_ratios)
    out[:, 8] = np.where(missing, 0, np.where(score >= 95, 1, np.where(score >= 75, 2, 3)))
    ta, tb = code("title")[a], code("title")[b]
    missing = (ta == 0) | (tb == 0)
    score = _similarity_at(f, "title", "title", a, b, np.flatnonzero(~missing), _TOKEN_SET)
    ranks, families = _title_classes(f)
    far = np.abs(ranks[ta] - ranks[tb]) >= _FAR_APART
    far &= (ranks[ta] >= 0) & (ranks[tb] >= 0)
    elsewhere = (families[ta] != families[tb]) & (families[ta] >= 0) & (families[tb] >= 0)
    out[:, 9] = np.where(missing, 0, np.where(score >= 80, 1, np.where(
        elsewhere, 4, np.where(far, 3, 2))))
    if len(moved):
        for k, different in _CHANGED_BY_A_JOB:
            out[moved, k] = np.where(out[moved, k] >= different, 0, out[moved, k])
    return out


# What a new job changes, and the level from which each says "different": the work
# address (another person's, 4, stays), the town, the postcode, the street address,
# the title (another, far apart in seniority, in another department).
_CHANGED_BY_A_JOB = ((2, 5), (6, 3), (7, 3), (8, 3), (9, 2))


# Seniority ranks (enrichers.titles): four apart is a chief executive and an assistant,
# a vice-president and a junior, a director and an intern; one person's titles in two
# sources (a promotion, a registry's "Gérant" for a "Directeur") are seldom that far.
_RANKS = {"owner": 0, "c_suite": 0, "vp": 1, "head": 2, "director": 2, "manager": 3,
          "senior": 4, "entry": 5, "intern": 6}
_FAR_APART = 4


# A profession partners and owners practise too: "Avocat" or "Expert-comptable" in one
# source and "Associée" in another are one partner's titles, not a junior's and an
# owner's. Such a title alone says no seniority here (folded titles).
_PROFESSION = re.compile(
    r"\b(avocate?|notaire|expert comptable|architecte?|commissaire aux comptes|huissier"
    r"|medecin|pharmacienne?|veterinaire|dentiste|chirurgien(ne)?|lawyer|attorney"
    r"|solicitor|barrister|physician|dentist|pharmacist|veterinarian|cpa"
    r"|chartered accountant)\b")
_RANKLESS = frozenset({"entry", "senior"})


# Departments (enrichers.titles) grouped where one person's titles in two sources may
# land in either ("CTO" and "DSI", "Account manager" and "Customer success"); a title
# that names no department, or the executive one ("Gérant", "CEO", "Assistante de
# direction"), is in none. Two titles in two of these are two jobs: a sales director and
# an accountant of one company with one name are namesakes, not one person's sources.
_FAMILIES = {"sales": 0, "customer_success": 0, "marketing": 1, "engineering": 2,
             "product": 2, "it": 2, "data": 2, "design": 2, "finance": 3, "hr": 4,
             "legal": 5, "operations": 6, "procurement": 6}


def _core_ends(f: PersonFeatures) -> np.ndarray:
    """The first and last letter (code points) of each record's surname core."""
    ends = f.extra.get("core_ends")
    if ends is None:
        ends = f.extra["core_ends"] = np.array(
            [(ord(x[0]), ord(x[-1])) if x else (0, 0) for x in f.last_core.tolist()],
            dtype=np.int32).reshape(-1, 2)
    return ends


def _title_classes(f: PersonFeatures) -> tuple[np.ndarray, np.ndarray]:
    """Seniority rank and department family of each title in the title vocabulary
    (-1: none or unknown)."""
    ranks, families = f.extra.get("title_ranks"), f.extra.get("title_families")
    if ranks is None or families is None:
        from enrichers.titles import classify_title

        strings = f.extra["strings:" + _VOCABULARY.get("title", "title")].tolist()
        known = [classify_title(t) if t else None for t in strings]
        ranks = f.extra["title_ranks"] = np.array(
            [-1 if k is None or (_PROFESSION.search(t) and k.seniority in _RANKLESS)
             else _RANKS.get(k.seniority or "", -1) for t, k in zip(strings, known,
                                                                    strict=True)],
            dtype=np.int8)
        families = f.extra["title_families"] = np.array(
            [_FAMILIES.get(k.department or "", -1) if k else -1 for k in known],
            dtype=np.int8)
    return ranks, families


def _role_locals(xs: list[str], ys: list[str]) -> np.ndarray:
    """Whether either local part of each pair is a role mailbox's."""
    from enrichers.lists import is_role

    seen: dict[str, bool] = {}

    def role(local: str) -> bool:
        found = seen.get(local)
        if found is None:
            found = seen[local] = bool(local) and is_role(local)
        return found

    return np.fromiter((role(x) or role(y) for x, y in zip(xs, ys, strict=True)),
                       dtype=bool, count=len(xs))


def _only_role_shared(xs: list[str], ys: list[str]) -> bool:
    """Whether the addresses two records share are all role mailboxes."""
    from enrichers.lists import is_role

    shared = {x for x in xs if x} & {y for y in ys if y}
    return bool(shared) and all(is_role(x.rpartition("@")[0]) for x in shared)


def _address_ratios(xs: list[str], ys: list[str]) -> np.ndarray:
    """Token-set similarity of each pair of addresses, or of their letters and digits
    alone when that is under 95 and higher: "eaglemont retreat" and "eaglemontretreat"
    are one street. Both scores in rapidfuzz's own loops (a scorer written in Python is
    called once per pair); :func:`_similarity` calls it for the distinct pairs."""
    values = process.cpdist(xs, ys, scorer=fuzz.token_set_ratio, workers=_CPDIST_WORKERS)
    low = np.flatnonzero(values < 95).tolist()
    if low:
        compact = process.cpdist([_compact(xs[i]) for i in low], [_compact(ys[i]) for i in low],
                                 scorer=fuzz.ratio, workers=_CPDIST_WORKERS)
        values[low] = np.maximum(values[low], compact)
    return values


@functools.lru_cache(maxsize=1 << 16)
def _compact(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


_SEPARATORS = str.maketrans("._-+", "    ", "0123456789")


@functools.lru_cache(maxsize=1 << 18)
def _locals_consistent(x: str, y: str) -> bool:
    """Two local parts at one company domain that could be one person's two addresses.

    ``bob@`` and ``robert@`` (a nickname), ``kate.oneill@`` and ``katherine.oneill@``,
    ``j.martin@`` and ``jean.martin@`` are, and ``antoine.leory@`` for ``antoine.leroy@``
    (two letters swapped: a typing slip, not an address another person was given),
    ``emilie.girard@`` and ``emilie.girard-blanc@`` (a surname made compound);
    ``christopher@`` and ``charlotte@`` are not.
    """
    tx, ty = x.translate(_SEPARATORS).split(), y.translate(_SEPARATORS).split()
    if len(tx) == len(ty) > 1 and not _same_or_initial(tx[-1], ty[-1]):
        # As many words, the last two apart (jean.martin@, marie.dupont@: two colleagues,
        # most pairs at one firm): two people's unless one slip or the words' order
        # makes them one address, whatever else the tests below would tell.
        return (sorted(tx) == sorted(ty) or _swapped_letters(x, y)
                or _letter_doubled(x, y)) and _told_apart(x, y) is None
    if _told_apart(x, y) is not None:
        return False
    if _swapped_letters(x, y) or _letter_doubled(x, y):
        return True
    short, long_ = (tx, ty) if len(tx) <= len(ty) else (ty, tx)
    if 1 < len(short) < len(long_) and _same_or_initial(long_[0], short[0]) and (
            long_[1:len(short)] == short[1:]) and all(
            len(w) > 1 and w.isalpha() for w in long_[len(short):]):
        # emilie.girard@ and emilie.girard-blanc@ (or e.girard-blanc@): a surname that
        # became a compound one (a married name added), the words of one address all the
        # other's first.
        return True
    if sorted(tx) == sorted(ty):
        # clifford.pemberton@ and clifford_pemberton@, dasilva.jeanphilippe@ and
        # jeanphilippe.dasilva@
        return True
    one, many = (tx, ty) if len(tx) <= len(ty) else (ty, tx)
    if len(one) == 1 and len(many) > 1:
        if len(many) > 2 and _compound_given(many[:-1]):
            # jpmartin@ and jeanpierre_martin@ for jean-pierre.martin@, not jeanmartin@;
            # jp@ and jpm@ too, as eric@ and ericd@ for eric.delacroix@.
            given, last = "".join(many[:-1]), many[-1]
            initials = "".join(w[0] for w in many[:-1])
            return one[0] in _compact_forms(given, last) | {
                initials + last, last + initials, initials, initials + last[0]}
        # brooks.valerie@ (surname first) and vbrooks@: either word may be the given name.
        return one[0] in _compact_forms(many[0], many[-1]) | _compact_forms(many[-1], many[0])
    if len(one) > 1 and not _same_or_initial(tx[-1], ty[-1]):
        return False  # emmanuelle.rousseau@ and emmanuelle.roussel@
    compound = _compound_given(tx[:-1]) or _compound_given(ty[:-1])
    if len(one) > 1 and compound:
        # A compound given name is one name: jp.martin@ and jean-pierre.martin@ are one
        # person's, jean.martin@ and jean-pierre.martin@ two people's.
        gx, gy = "".join(tx[:-1]), "".join(ty[:-1])
        if gx == gy or share_nickname_group(gx, gy):
            return True  # jeanpierre.martin@, jp.martin@
        for short, full in ((tx[:-1], ty[:-1]), (ty[:-1], tx[:-1])):
            if all(len(w) == 1 for w in short):  # j.p.martin@, j.martin@
                initials = [w[0] for w in full]
                return short == initials or short == initials[:1]
        return False
    fx, fy = tx[0], ty[0]
    if _same_or_initial(fx, fy):
        return True
    if gendered_names(fx, fy):
        return False  # jean.martin@ and jeanne.martin@: two people at one firm
    groups = nickname_groups()
    return bool(set(groups.get(fx, ())) & set(groups.get(fy, ())))


def _swapped_letters(x: str, y: str) -> bool:
    """Whether ``y`` is ``x`` with two neighbouring letters swapped, away from the first
    letter, in a local part of six characters or more."""
    i = _transposition(x, y) if len(x) >= 6 else -1
    return i > 0 and x[i].isalpha() and x[i + 1].isalpha()


def _slipped_forms(x: str, y: str, first: str, last: str) -> bool:
    """Whether, of two local parts under one name, one is a form of the name and the
    other one such form with a letter mistyped, dropped, added or two swapped
    (``mark_mooer@`` beside ``m.moore@`` for Mark Moore, from ``mark_moore@``;
    ``nathalie.lanchard@`` beside ``n.blanchard@``): two addresses of one person, one
    mistyped, not two a company gave two namesakes (it numbers them)."""
    return (_slip_of_name(x, first, last) and _local_fits(y, first, last)) or (
        _slip_of_name(y, first, last) and _local_fits(x, first, last))


@functools.lru_cache(maxsize=1 << 14)
def _slip_of_name(local: str, first: str, last: str) -> bool:
    """Whether ``local`` is, but for one slip away from its first letter, a form of this
    given name and surname of six letters or more (first and last, either way round,
    or one of them as an initial) that it does not spell as it is."""
    joined = _joined(local)
    first, last = first.replace(" ", "").replace("-", ""), last.replace(" ", "").replace(
        "-", "")
    if len(joined) < 6 or not joined.isalpha() or not first or not last:
        return False
    forms = {first + last, first[0] + last, last + first, last + first[0], first + last[0]}
    return joined not in forms and any(
        len(form) >= 6 and form[0] == joined[0]
        and distance.OSA.distance(joined, form, score_cutoff=1) <= 1 for form in forms)


def _one_slip(x: str, y: str) -> bool:
    """Whether one local part is the other with one letter mistyped, dropped or added,
    away from the first letter, in six characters or more (``carolinebasseur@`` for
    ``carolinevasseur@``, ``chritelle.allain@`` for ``christelle.allain@``); or, in eight
    or more, two such slips apart, the first two letters and the separators alike
    (``lucy.ferrnandes@`` and ``lucy.fernnades@``, each mistyped from
    ``lucy.fernandes@``)."""
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    if len(short) < 6 or len(long_) - len(short) > 2 or x == y:
        return False
    i = _first_difference(short, long_)
    if i == 0 or not long_[i].isalpha():
        return False
    if len(short) == len(long_) and short[i].isalpha() and short[i + 1:] == long_[i + 1:]:
        return True
    if len(long_) == len(short) + 1 and short[i:] == long_[i + 1:]:
        return True
    return (len(short) >= 8 and i > 1 and _separators(x) == _separators(y)
            and distance.OSA.distance(x, y, score_cutoff=2) <= 2)


_PROFILE_SUFFIX = re.compile(r"-[0-9a-f]{4,}$")


@functools.lru_cache(maxsize=1 << 14)
def _one_profile(x: str, y: str) -> bool:
    """Whether two LinkedIn keys (see ``features.linkedin_key``) may be one profile's
    two addresses: one with the suffix LinkedIn adds, the other without (two suffixes
    are two profiles: in/sabine-morin-cd3b0529, in/sabine-morin-94f38d67), or a member
    id on either side."""
    sx, sy = _profile_address(x), _profile_address(y)
    if sx is None or sy is None:
        return True  # no telling
    return sx == _PROFILE_SUFFIX.sub("", sy) or sy == _PROFILE_SUFFIX.sub("", sx)


def _profile_address(key: str) -> str | None:
    """A LinkedIn key's public profile address (after ``in/``), or None where it may be
    any profile's: a link that is no profile's public address, or a member id."""
    if not key.startswith("in/"):
        return None
    address = key[3:]
    return None if address.startswith(("acw", "aco")) and len(address) >= 20 else address


def _profile_forms(f: PersonFeatures) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per code of the LinkedIn column, what :func:`_one_profile` reads of its address:
    whether it may be any profile's (no public profile address, or a member id), and, as
    codes of one table, the address and the address without the suffix LinkedIn adds.
    Two addresses may be one profile's when either may be any, or when one is the
    other without its suffix. Read once per distinct address, rather than once per pair
    as the test ran: an export that gives every contact a profile has most of its
    candidate pairs on two of them."""
    forms = f.extra.get("profile forms")
    if forms is None:
        _value_codes(f, "linkedin")
        strings = f.extra["strings:linkedin"].tolist()
        any_profile = np.ones(len(strings), dtype=bool)
        own = np.zeros(len(strings), dtype=np.int64)
        bare = np.zeros(len(strings), dtype=np.int64)
        table: dict[str, int] = {}
        for code, key in enumerate(strings):
            address = _profile_address(key)
            if address is None:
                continue
            any_profile[code] = False
            own[code] = table.setdefault(address, len(table) + 1)
            short = _PROFILE_SUFFIX.sub("", address)
            bare[code] = table.setdefault(short, len(table) + 1)
        forms = f.extra["profile forms"] = np.stack([any_profile.astype(np.int64), own, bare])
    return forms[0].astype(bool), forms[1], forms[2]


def _first_difference(short: str, long_: str) -> int:
    """Where two strings first differ (``len(short)`` where one begins the other)."""
    return next((k for k in range(len(short)) if short[k] != long_[k]), len(short))


def _separators(local: str) -> str:
    return "".join(c for c in local if not c.isalpha())


def _letter_doubled(x: str, y: str) -> bool:
    """Whether one local part is the other with a letter doubled, away from the first
    letter, in six characters or more (``olivier.perot@`` for ``olivier.perrot@``,
    ``philipe.roy@`` for ``philippe.roy@``): a typing slip."""
    short, long_ = (x, y) if len(x) < len(y) else (y, x)
    if len(long_) != len(short) + 1 or len(short) < 6:
        return False
    i = _first_difference(short, long_)
    return (i > 1 and long_[i].isalpha() and long_[i] == long_[i - 1]
            and short[i:] == long_[i + 1:])


def _transposed(x: str, y: str) -> bool:
    """Whether ``y`` is ``x`` with two neighbouring characters swapped."""
    return _transposition(x, y) >= 0


def _transposition(x: str, y: str) -> int:
    """Where ``y`` is ``x`` with the characters at ``i`` and ``i + 1`` swapped: ``i``,
    else -1."""
    if len(x) != len(y) or x == y:
        return -1
    i = _first_difference(x, y)
    swapped = (i < len(x) - 1 and x[i] == y[i + 1] and x[i + 1] == y[i]
               and x[i + 2:] == y[i + 2:])
    return i if swapped else -1


def _compound_given(words: list[str]) -> bool:
    """Whether the given-name words of a local part (``jean``, ``pierre`` of
    ``jean-pierre.martin``) make one compound given name the nickname table knows."""
    return len(words) > 1 and " ".join(words) in nickname_groups()


@functools.lru_cache(maxsize=1)
def _group_names() -> dict[int, tuple[str, ...]]:
    """Nickname group → the names it holds (folded, no spaces)."""
    names: dict[int, set[str]] = {}
    for name, groups in nickname_groups().items():
        for group in groups:
            names.setdefault(group, set()).add(name.replace(" ", ""))
    return {group: tuple(sorted(found)) for group, found in names.items()}


@functools.lru_cache(maxsize=1 << 16)
def _typo_of_variant(x: str, y: str) -> bool:
    """Whether one given name is one typo from a variant of the other (both five letters
    or more: "joan" is not John's typo): "bceky" and Rebecca (Becky), "sadny" and
    Alexander (Sandy). Not a name of its own: Willie is no typo of Millie (Emily)."""
    x, y = x.replace(" ", ""), y.replace(" ", "")
    if max(len(x), len(y)) < 5 or min(len(x), len(y)) < 3:  # either may be the typo
        return False
    names = _group_names()
    own = given_names()
    for written, other in ((x, y), (y, x)):
        if written in own:
            continue
        for group in set(_name_groups(other)) - {0}:
            if len(written) >= 5 and any(
                    len(v) >= 5 and abs(len(v) - len(written)) <= 1
                    and distance.OSA.distance(written, v, score_cutoff=1) <= 1
                    for v in names.get(group, ())):
                return True
    return False


@functools.lru_cache(maxsize=1)
def _group_letters() -> dict[int, frozenset[str]]:
    """Nickname group → the initials of the names it holds."""
    return {group: frozenset(name[0] for name in names)
            for group, names in _group_names().items()}


def _nickname_initial_fits(local: str, first: str, last: str) -> bool:
    """Whether ``local`` is the initial of a nickname of ``first`` and the surname
    (``bmorales`` for Robert Morales, who goes by Bob)."""
    joined, last = _joined(local), last.replace("-", "").replace(" ", "")
    return (len(joined) == len(last) + 1 and bool(last) and joined.endswith(last)
            and joined[0] in _nickname_initials(first))


@functools.lru_cache(maxsize=1 << 14)
def _nickname_initials(first: str) -> frozenset[str]:
    """The initials of the names a given name's nickname groups hold (b and r for
    Robert: Bob, Rob)."""
    letters = _group_letters()
    return frozenset().union(*(letters.get(g, ()) for g in _name_groups(first) if g))


def _initial_in_groups(initial: str, groups: np.ndarray) -> bool:
    """Whether one letter is the initial of a name in either nickname group."""
    if len(initial) != 1:
        return False
    letters = _group_letters()
    return any(initial in letters.get(int(g), ()) for g in groups.tolist() if g)


# The columns person_levels codes, in two shares for two processes (see
# dedupe.parallel.coded_in_two). The first holds every column of a shared vocabulary
# (names, company names), in the order person_levels first codes them, so the codes come
# out the same; the other columns have a vocabulary of their own, shared out so that
# both take about as long, the second share's process also counting the shared phone
# numbers (4.0 and 3.6 s at a million records).
_FIRST_SHARE = ("first", "first_word", "last", "last_core", "first_nospace", "company_key",
                "company_initials", "company_core", "email_label", "company_id",
                "company_domain", "site_key", "site_core")
_FIRST_SHARE_CODED = ("emails",)
_SECOND_SHARE = ("linkedin", "city", "postcode", "postcode_area", "address", "title")
_SECOND_SHARE_CODED = ("email_locals", "email_domains", "phones")


def _derive_columns(f: PersonFeatures) -> None:
    """The derived columns coded with the names and company names (see ``_DERIVED``)."""
    if "first_nospace" not in f.extra:
        f.extra["first_nospace"] = _nospace(f.first)
    if "first_word" not in f.extra:
        _first_word(f)
    if "email_label" not in f.extra:
        f.extra["email_label"] = _email_labels(f.email_domains[:, 0])


def _feminine_marks(f: PersonFeatures) -> np.ndarray:
    """Per code of the given names' vocabulary: whether the name has a feminine form or
    is one (see ``feminine_forms``)."""
    return _name_marks(f, "feminine marks", _feminine_names().__contains__, bool)


@functools.lru_cache(maxsize=1)
def _feminine_names() -> frozenset[str]:
    return frozenset(x for x, _ in feminine_forms())


def _sex_marks(f: PersonFeatures) -> np.ndarray:
    """Per code of the given names' vocabulary: whose name it is (see ``gender_of``: 0
    unknown or both, ``MAN``, ``WOMAN``)."""
    return _name_marks(f, "sex marks", gender_of, np.int8)


def _names_of_their_own(x: str, y: str, names: frozenset[str]) -> bool:
    """Whether two folded given names are two names, one the other's beginning two
    letters or more short (Yann and Yannick, Marc and Marcel, Louis and Louison), both in
    ``names``: not a shortening (Math for Mathieu), a spelling (Hanna, Hannah) or a
    nickname's group (Nico, Nicolas)."""
    short, long_ = (x, y) if len(x) < len(y) else (y, x)
    return (len(long_) >= len(short) + 2 and long_.startswith(short) and short in names
            and long_ in names and not share_nickname_group(short, long_))


def _known_marks(f: PersonFeatures) -> np.ndarray:
    """Per code of the given names' vocabulary: whether it is a name of its own (see
    ``given_names``)."""
    return _name_marks(f, "known marks", given_names().__contains__, bool)


def _name_marks(f: PersonFeatures, key: str, mark: Callable[[str], Any],
                dtype: Any) -> np.ndarray:
    """``mark`` of each string of the given names' vocabulary, by code, kept on ``f``
    under ``key`` (built again if the vocabulary has grown since)."""
    strings = f.extra["strings:" + _VOCABULARY["first"]]
    marks = f.extra.get(key)
    if marks is None or len(marks) != len(strings):
        marks = f.extra[key] = np.fromiter(map(mark, strings.tolist()), dtype=dtype,
                                           count=len(strings))
    return marks


def _initial_mark(name: str) -> int:
    """The code point of a name written as one letter ("d"), else 0."""
    return ord(name) if len(name) == 1 and name.isalpha() else 0


def _generation_mark(name: str) -> int:
    """1 for a surname that ends on Jr or Junior ("stevensjr", as the surname is held:
    no spaces), 2 on Sr or Senior, else 0."""
    for suffix, mark in _GENERATION_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 3:
            return mark
    return 0


_GENERATION_SUFFIXES = (("junior", 1), ("jr", 1), ("senior", 2), ("sr", 2))


def _first_letter(name: str) -> int:
    return ord(name[0]) if name else 0


def _postcode_areas(f: PersonFeatures) -> None:
    """Each record's postcode area (its first three characters), a derived column."""
    if "postcode_area" not in f.extra:
        f.extra["postcode_area"] = _column([x[:3] for x in f.postcode.tolist()])


def code_columns(f: PersonFeatures, share: int) -> None:
    """Build the codes (and derived columns) of one share of the columns on ``f``, as
    person_levels would the first time; the two shares have nothing in common."""
    if share == 0:
        _derive_columns(f)
        for name in _FIRST_SHARE:
            _value_codes(f, name)
        for name in _FIRST_SHARE_CODED:
            _coded(f, name)
        return
    for name in _SECOND_SHARE_CODED:
        _coded(f, name)
    _postcode_areas(f)
    for name in _SECOND_SHARE:
        _value_codes(f, name)
    _profile_forms(f)
    # And what the first comparison would build on its own, on one core, before the
    # pairs are shared out (at a million records, 0.6-0.75 s).
    _title_classes(f)
    free_mail(f)
    _core_ends(f)


def shared_phones(f: PersonFeatures) -> dict[str, int]:
    """The numbers that prove nothing: those that records of two people carry (names no
    reading reconciles: Joe and Niamh Bailey, Dominique Chevalier and Dominique Perrin)
    however few, those ``SHARED_PHONE`` records or more carry where one of them has no
    name, and those twice as many carry: a switchboard, a shop's line. Number -> records
    carrying it (``SHARED_PHONE`` for the first kind).

    Counted on the column's codes (``_coded``, kept for the comparisons): hashing each
    of millions of number strings again costs seconds. Whether each number (by its code)
    is shared is kept for :func:`person_levels`.
    """
    codes = _coded(f, "phones")
    flat = codes.reshape(-1)
    width = codes.shape[1]
    counts = np.bincount(flat)
    counts[0] = 0  # no number
    # From SHARED_PHONE records on, a number is shared unless every record carrying it
    # names one person (one man's mobile in four files); from twice as many, whatever
    # the names.
    many = counts >= SHARED_PHONE
    shared = counts >= 2 * SHARED_PHONE
    few = (counts > 1) & ~shared
    # A surname alone names someone too ("M. Noel", Monsieur Noel, on a team page).
    named = np.repeat((f.first != "") | (f.last != ""), width)
    # The named records carrying each number few carry, number by number (in record
    # order within one).
    held = np.flatnonzero(few[flat] & named)
    held = held[np.argsort(flat[held], kind="stable")]
    # A record with no name among those many carry: no telling whose the number is.
    shared |= many & (np.bincount(flat[held], minlength=len(counts)) < counts)
    first, last = f.first.tolist(), f.last.tolist()
    cells = zip(flat[held].tolist(), held.tolist(), strict=True)
    for code, group in itertools.groupby(cells, key=operator.itemgetter(0)):
        names = [(first[k // width], last[k // width]) for _, k in group]
        if len(names) > 1 and _two_people(names):
            shared[code] = True
    # Each shared number's text, from one of its cells (they all hold the same).
    where = np.zeros(len(counts), dtype=np.int64)
    where[flat] = np.arange(len(flat))
    numbers = np.flatnonzero(shared)
    texts = f.phones.reshape(-1)[where[numbers]].tolist()
    f.extra["shared_number"] = shared
    return {text: int(max(counts[c], SHARED_PHONE))
            for text, c in zip(texts, numbers.tolist(), strict=True)}


def _two_people(names: list[tuple[str, str]]) -> bool:
    # A name always may name the one person it names: the distinct names alone are
    # compared (most numbers several records carry are one person's, written alike).
    distinct = list(dict.fromkeys(names))
    return any(not same_person_name(x, y)
               for i, x in enumerate(distinct) for y in distinct[i + 1:])


def same_person_name(x: tuple[str, str], y: tuple[str, str]) -> bool:
    """Whether two records' (folded given name, surname) may name one person: given
    names equal, an initial of each other, of one nickname group or a typo apart, and
    surnames equal, one inside the other or a typo apart; or the two swapped."""
    (first_x, last_x), (first_y, last_y) = x, y
    if _given_fits(first_x, first_y) and _surname_fits(last_x, last_y):
        return True
    # Swapped: a name against the other's, not only an empty field against one (Michel
    # and Kim, surnames alone, are two people, not one with the names swapped).
    return bool(last_x) and bool(last_y) and bool(first_x or first_y) and _given_fits(
        first_x, last_y) and _given_fits(last_x, first_y)


def _surname_fits(u: str, v: str) -> bool:
    if not u or not v or u == v or u in v or v in u:
        return True
    return _JW(u, v) >= 0.9 or distance.OSA.distance(u, v, score_cutoff=1) <= 1


def _given_fits(u: str, v: str) -> bool:
    folded_u, folded_v = u, v
    u, v = u.replace(" ", ""), v.replace(" ", "")
    if not u or not v or u == v:
        return True
    if len(u) <= 2 or len(v) <= 2:  # initials
        return u[0] == v[0]
    # A man's name and a woman's (Jean and Jeanne, Julien and Julie) are two people's, as
    # person_levels reads them: a family firm's line is shared.
    if gendered_names(folded_u, folded_v):
        return False
    if folded_u.partition(" ")[0] == folded_v.partition(" ")[0] and _compound_reading(
            folded_u, folded_v) == 6:
        return False  # Jean-Pierre and Jean-Paul, Thomas A. and Thomas K.
    if share_nickname_group(u, v):
        return True
    if other_sex(folded_u, folded_v) and not _transposed(folded_u, folded_v):
        return False
    return _JW(u, v) >= 0.8


def _given_level(written: str, given: str) -> int:
    """How a surname field holding ``written`` reads as the given name ``given`` in a
    swapped record: 2 a nickname ("sue" for Susan), 4 its initial ("s"), 0 neither."""
    if not written or not given:
        return 0
    if len(written) == 1 or len(given) == 1:  # "Leclerc, S."; "P. Muller" / "Muller, Philippe"
        return 4 if given[0] == written[0] else 0
    if share_nickname_group(written, given):
        return 2
    # Initials of a compound given name: "Bonnaud, Jean-Pierre" and "J.-P. Bonnaud" (a
    # surname field is folded without spaces: known compounds get theirs back).
    ws = _compound_given_names().get(written, written).split()
    if len(ws) == 1 and INITIALS_TOGETHER.fullmatch(written):
        ws = list(written)  # initials written together: "jm" for "J-M"
    gs = given.split()
    for short, long in ((ws, gs), (gs, ws)):
        if len(short) == len(long) > 1 and all(len(w) == 1 for w in short) and all(
                w[0] == x for w, x in zip(long, short, strict=True)):
            return 4
    # Written partly as initials: "Latour, Marie-Laure" and "M-Laure Latour", or
    # "Latour, M-Laure" (folded "mlaure") and Marie-Laure Latour.
    if _initial_words(" ".join(ws), given) or (len(ws) == 1 and len(gs) > 1 and any(
            written == "".join(w[0] if k == i else w for k, w in enumerate(gs))
            for i in range(len(gs)))):
        return 4
    return 0


@functools.lru_cache(maxsize=1)
def _compound_given_names() -> dict[str, str]:
    """Compound given names of the nickname table without their spaces ("jeanpierre"
    → "jean pierre")."""
    return {name.replace(" ", ""): name for name in nickname_groups() if " " in name}


@functools.lru_cache(maxsize=1 << 16)
def _told_apart(x: str, y: str) -> str | None:
    """Why two local parts at one domain are two people's, if they say so: other digits
    (marie.durand@ and marie.durand2@, s.bohm2@: the company told two namesakes apart),
    no letters on one side, a generation word on one side only (f.roy@, f.roy.jr@), a
    middle initial (mohammed.c.whitaker@) or, the rest alike, two given names that are no
    nickname of one another (luca.rossi@, lucia.rossi@)."""
    tx, ty = x.translate(_SEPARATORS).split(), y.translate(_SEPARATORS).split()
    if _DIGITS.findall(x) != _DIGITS.findall(y):
        return "numbered"  # marie.durand@ and marie.durand2@, sonke.bohm@ and s.bohm2@
    if not tx or not ty:
        return "no name"
    if _GENERATIONS & (set(tx) ^ set(ty)) or _glued_generation(tx, ty):
        return "generations"
    if _middle_initial(tx, ty) or _middle_initial(ty, tx):
        # mohammed.whitaker@ and mohammed.c.whitaker@ (or whitaker.mohammed@)
        return "middle initial"
    if _named_middle_initial(tx) != _named_middle_initial(ty) and _one_surname(tx, ty):
        # jeanpierre.b.hamon@ beside jhamon@: a middle initial in one address only,
        # after a given name written out.
        return "middle initial"
    if len(tx) == len(ty) > 1:
        # luca.rossi@ and lucia.rossi@: one word apart, two given names of their own.
        apart = [(u, v) for u, v in zip(tx, ty, strict=True) if u != v]
        if len(apart) == 1:
            u, v = apart[0]
            names = given_names()
            if (u in names and v in names and not share_nickname_group(u, v)
                    and not _swapped_letters(u, v) and not _letter_doubled(u, v)):
                return "two given names"
    return None


_DIGITS = re.compile(r"\d+")


def _glued_generation(tx: list[str], ty: list[str]) -> bool:
    """Whether one local part is the other's with a generation word glued to its last
    word (josh.stokesjr@ beside josh.stokes@, haydencostajr@ beside haydencosta@; see
    ``_generation_mark``)."""
    if len(tx) != len(ty) or tx[:-1] != ty[:-1]:
        return False
    x, y = tx[-1], ty[-1]
    if len(x) < len(y):
        x, y = y, x
    return len(y) >= 3 and x.startswith(y) and x[len(y):] in _GLUED_GENERATIONS


# The generation words a surname or an address glues on (see _generation_mark).
_GLUED_GENERATIONS = frozenset(suffix for suffix, _ in _GENERATION_SUFFIXES)


def _middle_initial(short: list[str], long: list[str]) -> bool:
    """Whether ``long`` is ``short`` with one initial added inside (john.a.smith), the
    words of ``short`` in either order (smith.john)."""
    return len(long) == len(short) + 1 and len(short) >= 2 and any(
        len(long[k]) == 1 and long[:k] + long[k + 1:] in (short, short[::-1])
        for k in range(1, len(long) - 1))


def _named_middle_initial(words: list[str]) -> bool:
    """Whether a local part's words put an initial between a given name written out and
    a surname (``jeanpierre.b.hamon``; not ``j.p.martin``, a compound's initials)."""
    return len(words) >= 3 and len(words[0]) >= 2 and len(words[-1]) >= 2 and any(
        len(w) == 1 for w in words[1:-1])


def _one_surname(tx: list[str], ty: list[str]) -> bool:
    """Whether two local parts end on one surname (``hamon``, ``jhamon``), three letters
    or more."""
    a, b = tx[-1], ty[-1]
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 3 and long_.endswith(short) and len(long_) - len(short) <= 1


def _same_or_initial(u: str, v: str) -> bool:
    return u == v or (len(u) == 1 and v.startswith(u)) or (len(v) == 1 and u.startswith(v))


def _each_fits(x: str, y: str, fa: str, la: str, fb: str, lb: str, typo_first: bool,
               typo_last: bool, ha: str = "", hb: str = "") -> bool:
    """Whether local parts ``x`` (of record a) and ``y`` (of b) are each a form of the
    other record's name. Where the two records' given names or surnames are a typo apart
    (``typo_*``; for surnames also one a letter short of the other, "Mahie" for Mahieu),
    a local part may also spell the name as its own record writes it
    (benjaminc@ for Benjamin Coper beside bcooper@ for Benjamin Cooper); not when each
    spells its own record's name in full: jennifer.lopes@ and jennifer.lopez@ are what a
    company makes of two people's names. ``ha``, ``hb``: the first word of a surname of
    several (see ``surname_head``), which an address may give alone."""
    if not (fa and fb):
        # No given name on a side: an address there fits the other's name, and the
        # other's address holds its surname (mpayne@ beside "M. Payne" at marvin@).
        return (_head_fits(x, fb, lb, hb) if fb else _surname_in(x, hb or lb)) and (
            _head_fits(y, fa, la, ha) if fa else _surname_in(y, ha or la))
    if not (typo_first or typo_last):
        # Where both write one given name, an address may also give the initial of a
        # nickname neither writes: bmorales@ beside robertmorales@, both Robert Morales
        # (not beside Bill Turner's bturner@ for a William Turner: each address spells
        # its own record's form).
        same = fa == fb
        return (_head_fits(x, fb, lb, hb) or (same and _nickname_initial_fits(x, fb, lb))) and (
            _head_fits(y, fa, la, ha) or (same and _nickname_initial_fits(y, fa, la)))
    jx, jy = _joined(x), _joined(y)
    for on, u, v in ((typo_first, fa, fb), (typo_last, la, lb)):
        u, v = _joined(u), _joined(v)
        # Each spells its own record's form, not the other's: "mahieu" holds "mahie" too,
        # and spells the other record's Mahieu.
        if on and u != v and u in jx and v in jy and v not in jx and u not in jy:
            return False
    # A surname's first word alone (``hb``, ``ha``) as in _head_fits.
    own_a, own_b = fa if typo_first else fb, fb if typo_first else fa
    x_fits = _fits_either(x, fb, lb, own_a, la if typo_last else lb) or (
        bool(hb) and _fits_either(x, fb, hb, own_a, hb))
    return x_fits and (_fits_either(y, fa, la, own_b, lb if typo_last else la) or (
        bool(ha) and _fits_either(y, fa, ha, own_b, ha)))


def _as_given(surname: str, other_given: str) -> str:
    """A surname field read as the given name it holds in a record whose names are
    swapped: a compound folded together there ("mariechristine" of "Marie-Christine",
    "jb" of "J.-B.") is spaced as a given name's is, where it is the other record's
    given names ("marie christine", "jean baptiste") or their initials."""
    words = other_given.split()
    if len(words) > 1 and surname == "".join(words):
        return other_given
    if 1 < len(words) == len(surname) and surname == "".join(w[0] for w in words):
        return " ".join(surname)
    return surname


def _head_fits(local: str, first: str, last: str, head: str) -> bool:
    """:func:`_local_fits` of the name, or of the given name and the first word of the
    surname (``head``, when it has several)."""
    return _local_fits(local, first, last) or (bool(head) and _local_fits(local, first, head))


def _surname_in(local: str, last: str) -> bool:
    """Whether a local part holds this surname (three letters or more)."""
    surname = _joined(last)
    return len(surname) >= 3 and surname in _joined(local)


def _joined(text: str) -> str:
    return "".join(text.translate(_SEPARATORS).split())


def _fits_either(local: str, first: str, last: str, own_first: str, own_last: str) -> bool:
    """:func:`_local_fits` of ``local`` to a name, or to it with its given name or its
    surname as the local part's own record writes them."""
    return any(_local_fits(local, given, surname)
               for given in dict.fromkeys((first, own_first))
               for surname in dict.fromkeys((last, own_last)))


def _shared_locals(f: PersonFeatures, a: np.ndarray, b: np.ndarray) -> list[str]:
    """The local part of an address records ``a`` and ``b`` (pairwise) both hold."""
    emails, locals_ = f.emails, f.email_locals
    return [str(locals_[x, 0] if emails[x, 0] and emails[x, 0] in (emails[y, 0], emails[y, 1])
                else locals_[x, 1]) for x, y in zip(a.tolist(), b.tolist(), strict=True)]


@functools.lru_cache(maxsize=1 << 16)
def _local_fits(local: str, first: str, last: str) -> bool:
    """Whether ``local`` is an address a company makes of this given name and surname
    (folded), either way round: first.last, flast, f.last, firstl, first, last,
    last.first…, the given name possibly in full where the record shortens it
    (mathieul@ for "Math" Le Bihan) or as its nickname's formal name (peterh@ for Pete);
    umlauts written out or not (juergen.mueller@ for Jürgen Müller, folded "jurgen
    muller")."""
    joined = _joined(local)
    if _fits(joined, first, last):
        return True
    short = _UMLAUTS_WRITTEN.sub(r"\1", joined)
    return short != joined and _fits(short, _UMLAUTS_WRITTEN.sub(r"\1", first),
                                     _UMLAUTS_WRITTEN.sub(r"\1", last))


# ae, oe, ue: ä, ö, ü written out.
_UMLAUTS_WRITTEN = re.compile(r"([aou])e")


def _fits(joined: str, first: str, last: str) -> bool:
    """:func:`_local_fits` for a local part without separators."""
    names = given_names()
    words = first.replace("-", " ").split()
    # A compound given name's initials: jp.martin@ for Jean-Pierre Martin.
    initials = "".join(w[0] for w in words) if len(words) > 1 else None
    first, last = first.replace(" ", "").replace("-", ""), last.replace("-", "")
    if not joined or not first or not last:
        return False

    def given(part: str) -> bool:
        if len(first) == 1:
            # The record gives an initial: wouter@ for "W. Schröder", or jesus@ for "C.
            # Herrera", the initial of Chus, his nickname.
            return len(part) >= 3 and (part[0] == first or first in _nickname_initials(part))
        if part == initials:
            return True
        if initials == first:
            # A compound given name's initials ("L.-M."): louismarie@ for it, a compound
            # the nickname table knows whose initials they are.
            return _initials_of_compound(part) == initials
        # The full name of a shortened one (mathieu for "Math"), at most three letters
        # longer: emmanuelleroussel is no given name, and julien@ is not Julie's, nor
        # yannick@ Yann's (two names of their own, not a nickname's group).
        return part == first or (len(part) >= 3 and len(first) >= 3 and (
            (((part.startswith(first) and len(part) <= len(first) + 3)
              or first.startswith(part)) and not other_sex(part, first)
             and not _names_of_their_own(part, first, names))
            or share_nickname_group(part, first)))

    for one, other in ((first, last), (last, first)):
        if joined in (one + other, one[0] + other, other, one):
            return True
    if given(joined) or joined == last:
        return True
    for k in range(1, len(joined)):
        head, tail = joined[:k], joined[k:]
        if (given(head) and tail in (last, last[0])) or (head in (last, last[0]) and (
                given(tail) or tail == first[0])):
            return True
    return False


@functools.lru_cache(maxsize=1 << 14)
def _initials_of_compound(joined: str) -> str | None:
    """The initials of a compound given name written without its spaces or hyphens, as
    the nickname table knows it (``jp`` for "jeanpierre"); None for any other."""
    words = _compound_given_names().get(joined, "").split()
    return "".join(w[0] for w in words) if len(words) > 1 else None


# Words a company adds to tell a parent and a child, or two namesakes, apart.
_GENERATIONS = frozenset({"jr", "junior", "sr", "senior", "fils", "pere", "père", "ii", "iii",
                          "iv", "bis"})


def _compact_forms(first: str, last: str) -> set[str]:
    """One-word local parts a company makes of a given name and a surname
    (``eric.delacroix`` → ``edelacroix``, ``ericdelacroix``, ``ericd``, ``delacroixe``,
    ``delacroix``, ``eric``…): ``edelacroix@`` and ``eric.delacroix@`` can be one
    person's two addresses."""
    return {first + last, first[0] + last, first + last[0], last + first, last + first[0],
            last, first}


def _column(values: list[str]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _first_word(f: PersonFeatures) -> np.ndarray:
    words = f.extra.get("first_word")
    if words is None:
        words = f.extra["first_word"] = _column([x.split(" ")[0] for x in f.first.tolist()])
    return words


def _email_labels(domains: np.ndarray) -> np.ndarray:
    """The name part of each work address's domain ("olivier-nettoyage.fr" and
    "mail.oliviernettoyage.co.uk" → ``oliviernettoyage``), as company keys are written;
    "" for none."""
    return map_distinct(_label, domains)


def _label(domain: str, joined: bool = True) -> str:
    parts = domain.split(".")
    # The label before the suffix: one part (acme.fr) or two short ones (acme.co.uk).
    k = len(parts) - 3 if len(parts) >= 3 and len(parts[-2]) <= 3 else len(parts) - 2
    if k < 0:
        return ""
    return parts[k].replace("-", "") if joined else parts[k]


def _site_form_codes(f: PersonFeatures, name: str) -> np.ndarray:
    """:func:`_value_codes` of ``site_key`` or ``site_core``: the form of each distinct
    company domain, coded in the companies' vocabulary, then spread over the records by
    the domains' codes (no string column of a million records). Only the sites of
    records that name no company are read (the only ones compared): 0 elsewhere."""
    domains = _value_codes(f, "company_domain")
    strings = f.extra["strings:company_domain"].tolist()
    table = f.extra.setdefault("table:companies", {"": 0})
    which = _SITE_FORMS[name]
    wanted = np.unique(domains[_value_codes(f, "company_key") == 0])
    by_domain = np.zeros(len(strings), dtype=np.int32)
    by_domain[wanted] = np.fromiter(
        (table.setdefault(_site_forms(strings[d])[which], len(table))
         for d in wanted.tolist()), dtype=np.int32, count=len(wanted))
    codes = f.extra["values:" + name] = by_domain[domains]
    f.extra["strings:companies"] = _column(list(table))
    return codes


# Words a site's name leaves out of a company's (as company keys write them).
_JOINING_LEFT_OUT = ("de", "du", "des", "d", "la", "le", "les", "l", "et", "and", "und",
                     "of", "the", "y", "e", "di", "del", "della")


def _without_a_joining_word(key: str, site: str) -> bool:
    """Whether ``site`` is the company key ``key`` with one joining word left out
    (``munozollivier`` of ``munozetollivier``), the site possibly opening on a word the
    key leaves out with legal forms (``societefrancaisemecanique`` of
    ``francaisedemecanique``, Société Française de Mécanique); six letters or more."""
    forms = [site, *(site[len(w):] for w in _site_prefixes() if site.startswith(w))]
    for form in forms:
        if len(form) < 6:
            continue
        if form == key and form != site:
            return True
        for word in _JOINING_LEFT_OUT:
            if len(key) - len(form) != len(word):
                continue
            at = key.find(word, 1)
            while at > 0:
                if key[:at] + key[at + len(word):] == form:
                    return True
                at = key.find(word, at + 1)
    return False


@functools.lru_cache(maxsize=1)
def _site_prefixes() -> tuple[str, ...]:
    """Words a company key leaves out with its legal form, that a site's name may open
    on (``societe``, ``groupe``, ``etablissements``…)."""
    from prospecting.models import LEGAL_FORM_WORDS

    return tuple(sorted(w for w in LEGAL_FORM_WORDS if len(w) >= 4))


@functools.lru_cache(maxsize=1 << 17)
def _site_forms(domain: str) -> tuple[str, str]:
    """The company key and core of the name a company site spells, its hyphens as
    spaces ("groupe-arcon.fr" → ``groupearcon``, core ``arcon``), as company names are
    keyed; "" for none."""
    if not domain:
        return "", ""
    key, _, core = _company_forms(_label(domain, joined=False).replace("-", " "))
    return key, core


def _nospace(column: np.ndarray) -> np.ndarray:
    out = np.empty(len(column), dtype=object)
    out[:] = [s.replace(" ", "") for s in column]
    return out
