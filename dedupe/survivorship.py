"""Survivorship: which value a golden record keeps when its members disagree.

A golden record is derived, like every row, from the facts of all its members
(``Store.refresh_people`` gathers them); emails, phones, source ids and sources are
the union, each value with the sources behind it. For single-valued fields one rule
per field decides, from ``[dedupe.survivorship]`` in the settings file::

    [dedupe.survivorship]
    first_name = "complete"   # the fullest spelling: "Jean-Pierre" over "J.-P.", accents kept
    title = "recent"          # the most recently observed value
    email = "verified"        # a work address before a personal (free-mail) one, then
                              # a verified address over an unverified one
    city = "best"             # confidence, then recency, then source priority (the default)
    phone = "source"          # source priority first, then confidence and recency

Every kept value stays traceable: the golden row's ``sources``/``source_ids`` list
every member, and ``observations`` hold each value's source, locator and time.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from enrichers.names import is_civility, is_degree_after
from prospecting.errors import ConfigError
from prospecting.models import (
    PERSON_FIELDS,
    Observation,
    group_fields,
    rank_of,
    strip_accents,
    tied_with_best,
    usable_address,
)
from prospecting.store import is_personal_address, untagged_twin

__all__ = ["DEFAULT_RULES", "RULES", "apply_person_rules", "check_rules"]

RULES = ("best", "recent", "complete", "source", "verified")
DEFAULT_RULES: dict[str, str] = {
    "first_name": "complete",
    "last_name": "complete",
    "full_name": "complete",
    "title": "recent",
    "seniority": "recent",
    "department": "recent",
    "email": "verified",
    "phone": "best",
}
_STATUS_ORDER = {"valid": 0, "risky": 1, "unknown": 2, "invalid": 3}


def check_rules(rules: Any) -> dict[str, str]:
    """The rules merged over the defaults; every bad key or value named at once."""
    if not isinstance(rules, dict):
        raise ConfigError("dedupe.survivorship: expected a table of field = rule")
    problems = []
    allowed = {*PERSON_FIELDS, "email", "phone"}
    for key, value in rules.items():
        if key not in allowed:
            problems.append(f"dedupe.survivorship.{key}: unknown field")
        elif value not in RULES or (value == "verified" and key != "email"):
            problems.append(
                f"dedupe.survivorship.{key}: rule must be one of {', '.join(RULES[:4])}"
                + (" or verified" if key == "email" else "") + f", not {value!r}"
            )
    if problems:
        raise ConfigError("; ".join(problems))
    return DEFAULT_RULES | dict(rules)


# A field :func:`apply_person_rules` may rewrite: (field, rule, the fields it follows,
# a name spelled in addresses, chosen by its own rule when it follows none).
_Step = tuple[str, str, tuple[str, ...] | None, bool, bool]


def _rules(rules: Any) -> tuple[dict[str, str], list[_Step]]:
    """The rules checked and merged over the defaults, and the fields they may rewrite
    in ``PERSON_FIELDS`` order (the others keep what ``best`` gave the row: a merge of
    a million people walks only these)."""
    key = tuple(sorted((rules or {}).items()))
    found = _CHECKED.get(key)
    if found is None:
        chosen = check_rules(dict(key))
        steps = []
        for field in PERSON_FIELDS:
            rule = chosen.get(field, "best")
            followed = _FOLLOWS.get(field)
            own = rule != "best" and field != "company_id"
            if followed or own:
                steps.append((field, rule, followed, field in _ADDRESS_SPELLED, own))
        found = _CHECKED[key] = (chosen, steps)
    return found


_CHECKED: dict[tuple[tuple[str, str], ...], tuple[dict[str, str], list[_Step]]] = {}


def _name_words(value: str) -> tuple[list[str], int]:
    """The words of a name (accents stripped) without a civility before it ("Dr. Paul",
    "Maître Éric", "M. Jean"; not "M.-P.", Marie-Pierre's initials) or a degree after
    it, and how many such words there were."""
    words = strip_accents(value).replace("-", " ").split()
    start, end = 0, len(words)
    if end > 1 and is_civility(words[0]) and (
            len(words[0].strip(".")) > 1 or len(words[1].strip(".")) > 1):
        start = 1
    # A degree after a name is no part of it ("Martin PhD"); a generation (Jr.) is.
    if end - start > 1 and is_degree_after(words[-1]):
        end -= 1
    return words[start:end], len(words) - (end - start)


@functools.lru_cache(maxsize=1 << 16)
def _completeness(value: str) -> tuple[int, int, int, int, int, int]:
    plain = strip_accents(value)
    words, extra = _name_words(value)
    # An umlaut counts as the two letters it is written out as: "Juergen" says no more
    # than "Jürgen", whose accents then make it the better written.
    letters = sum(c.isalpha() for w in words for c in w) + sum(
        value.count(c) for c in _UMLAUTS)
    initials = sum(1 for w in words if len(w.strip(".")) <= 1)
    shouted = sum(1 for w in words if w.isupper() and sum(c.isalpha() for c in w) >= 2)
    accents = sum(1 for a, b in zip(value, plain, strict=False) if a != b)
    mixed = int(value != value.upper() and value != value.lower())
    # The name's own letters, then no civility or degree ("Paul" over "Dr. Paul"), no
    # word in capitals ("Anne-Sophie O'Neil" over "O'NEIL Anne-Sophie"), then the
    # spelling that keeps the words apart: "de La Fontaine" says what "Delafontaine"
    # says, and where its words begin.
    return (-initials, letters, -extra, -shouted, accents + mixed, len(words))


_UMLAUTS = "äöüÄÖÜ"


def _records_of(group: list[Observation]) -> dict[str, set[str]]:
    """Each value and the records (members) stating it."""
    records: dict[str, set[str]] = {}
    for o in group:
        records.setdefault(o.value, set()).add(o.entity_id)
    return records


def _variants_of_leader(group: list[Observation],
                        records: dict[str, set[str]]) -> list[Observation]:
    """The observations whose value is a spelling of the value most records state (when
    one value leads): "J.-P." and "Jean-Pierre" are, "Masson" and "Nicolas" are not. A
    member whose given name and surname were swapped then never lends its surname as the
    fullest given name. ``records``: each value and the members stating it, over every
    member (``group`` may hold some members' only); none of ``group`` a spelling of the
    leader leaves ``group``."""
    if len(records) < 2:
        return group
    most = max(len(ids) for ids in records.values())
    leaders = [value for value, ids in records.items() if len(ids) == most]
    leader = _name_key(leaders[0])
    if len(leaders) > 1 or not leader:
        # No value leads, or the leading one has no letter or digit ("—", "?") to
        # compare spellings with: the fullest of all.
        return group
    return [o for o in group if _spelling_of(_name_key(o.value), leader)] or group


def _fullest(group: list[Observation], votes: list[Observation],
             rank: dict[str, int], addresses: Sequence[dict[str, Any]] = ()) -> str:
    """The "complete" rule: the fullest spelling of the leading value; among equally
    full ones, the one most records (of ``votes``) state, then the one whose words the
    record's ``addresses`` spell ("Jean" over a typed "Jnea" for jean.dubois@),
    confidence, source rank and the value itself. Never when each was observed: that
    is when a run read or enriched each member, and a run stopped and run again would
    keep another."""
    records = _records_of(votes)
    group = _variants_of_leader(group, records)
    top = max(_completeness(o.value) for o in group)
    group = [o for o in group if _completeness(o.value) == top]
    if all(o.value == group[0].value for o in group):
        return group[0].value
    # Read only here: members of one golden record seldom tie.
    spelled = [_words(str(e.get("value") or "").rpartition("@")[0]) for e in addresses]
    return max(group, key=lambda o: (len(records.get(o.value, ())),
                                     _spelled_by(o.value, spelled),
                                     o.confidence, -rank_of(o.source, rank), o.value)).value


def _spelled_by(value: str, spelled: list[tuple[str, ...]]) -> int:
    """How the addresses' local parts (``spelled``, each in words) spell ``value``: 2
    when one has its words (one at least) in their order ("anne.sophie.oneil" for "Anne
    Sophie ONeil", not "ONeil Anne Sophie"), 1 when they have them all, else 0."""
    words = _name_key(value)
    if not words:
        return 0
    for local in spelled:
        rest = iter(local)
        if all(w in rest for w in words):  # in order: each found after the last
            return 2
    every = {w for local in spelled for w in local}
    return int(all(w in every for w in words))


@functools.lru_cache(maxsize=1 << 16)
def _name_key(value: str) -> tuple[str, ...]:
    """:func:`_words` of a name without its civility or degree: "Dr. Paul" is a spelling
    of "Paul"."""
    return _words(" ".join(_name_words(value)[0]))


@functools.lru_cache(maxsize=1 << 16)
def _words(value: str) -> tuple[str, ...]:
    plain = strip_accents(value).casefold()
    return tuple("".join(c if c.isalnum() else " " for c in plain).split())


def _spelling_of(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two names split in words are spellings of one: the same letters ("de La
    Fontaine", "Delafontaine"), or word by word the same word or its initial, one name
    possibly shorter ("J.-P."/"Jean-Pierre", "N."/"Nicolas", "Jean"/"Jean Pierre")."""
    if not a or not b:
        return False
    if "".join(a) == "".join(b):
        return True
    return all(x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y))
               for x, y in zip(a, b, strict=False))


def _pick(group: list[Observation], rule: str, rank: dict[str, int],
          votes: list[Observation] | None = None,
          addresses: Sequence[dict[str, Any]] = ()) -> str:
    """``rule``'s value among ``group``; ``votes``, for "complete": the observations of
    every member (``group`` may hold some members' only, see :func:`_stated_with`);
    ``addresses``: the record's emails, for "complete" on names."""
    first = group[0].value
    if all(o.value == first for o in group):
        return first  # members agree (the usual case): every rule keeps that value
    voters = votes if votes is not None else group
    if rule == "recent":
        newest = max(o.observed_at for o in group)
        return _most_stated([o for o in group if o.observed_at == newest], rank, voters)
    if rule == "complete":
        return _fullest(group, voters, rank, addresses)
    if rule == "source":
        first = min(rank_of(o.source, rank) for o in group)
        return _most_stated([o for o in group if rank_of(o.source, rank) == first], rank,
                            voters)
    return _most_stated(group, rank, voters)


def _most_stated(group: list[Observation], rank: dict[str, int],
                 votes: list[Observation]) -> str:
    """``best_of``'s value; where several tie on all but the value (one file's rows:
    one source, time and confidence), the one most records (of ``votes``) state, then
    ``best_of``'s order. Two rows of three saying "CTO" keep it over the third's "Chief
    Technology Officer", which the text alone put first."""
    top, tied = tied_with_best(group, rank)
    if len(tied) < 2:
        return top.value
    records = _records_of(votes)
    return max(tied, key=lambda value: (len(records.get(value, ())), value))


# Fields that go with others (a seniority and a department with a title, a surname with
# a given name, a full name with both): when members disagree, the value comes from the
# members whose values of those fields the golden record kept. A seniority then matches
# the title kept, a member with given name and surname swapped never gives the golden
# record one of each, and the choice never rests on when each member was enriched.
_FOLLOWS: dict[str, tuple[str, ...]] = {
    "last_name": ("first_name",),
    "seniority": ("title",),
    "department": ("title",),
    "full_name": ("first_name", "last_name"),
}


# Names whose other spellings state the same name, for _stated_with.
_SPELLED = frozenset({"first_name", "last_name"})
# Names whose ties the record's addresses break (see _fullest): those and the full name.
_ADDRESS_SPELLED = _SPELLED | {"full_name"}


def _stated_with(group: list[Observation], groups: dict[str, list[Observation]],
                 row: dict[str, Any], followed: tuple[str, ...]) -> list[Observation] | None:
    """The observations of ``group`` by records that stated the kept value of every
    field in ``followed`` the golden ``row`` has; None when the members agree, when no
    such field has a value, or when none of those records states this field."""
    first = group[0].value
    if all(o.value == first for o in group):
        return None
    records: set[str] | None = None
    for name in followed:
        kept = row.get(name)
        if not kept:
            continue
        if name in _SPELLED:  # "J.-P." states the "Jean-Pierre" kept
            words = _name_key(kept)
            stating = {o.entity_id for o in groups.get(name, ())
                       if o.value == kept or _spelling_of(_name_key(o.value), words)}
        else:
            stating = {o.entity_id for o in groups.get(name, ()) if o.value == kept}
        records = stating if records is None else records & stating
    if not records:
        return None
    narrowed = [o for o in group if o.entity_id in records]
    return narrowed or None


def apply_person_rules(row: dict[str, Any], obs: list[Observation], rank: dict[str, int],
                       rules: Any, groups: dict[str, list[Observation]] | None = None) -> None:
    """Rewrite the single-valued fields and the best email/phone of a golden ``row``
    (``groups``: ``obs`` by field, when the caller has them)."""
    chosen, steps = _rules(rules)
    if groups is None:
        groups = group_fields(obs)
    kept_emails = row.get("_emails") or ()
    for field, rule, followed, spelled, own in steps:
        group = groups.get(field)
        if not group:
            continue
        addresses = kept_emails if spelled else ()
        if followed:
            narrowed = _stated_with(group, groups, row, followed)
            if narrowed is not None:
                row[field] = _pick(narrowed, rule, rank, group, addresses)
                continue
        if own:
            row[field] = _pick(group, rule, rank, addresses=addresses)
    first, last = row.get("first_name"), row.get("last_name")
    if first and last and row.get("full_name"):
        full = strip_accents(row["full_name"]).casefold()
        if strip_accents(first).casefold() not in full or strip_accents(
            last
        ).casefold() not in full:
            row["full_name"] = f"{first} {last}"
    emails = row["_emails"]
    if chosen["email"] == "verified" and emails:
        usable = [e for e in emails if usable_address(e)]
        # A work address before a personal one (see best_email), then verified before
        # unverified; stable: the rank decides the rest.
        usable.sort(key=lambda e: (is_personal_address(e), _STATUS_ORDER.get(e["status"], 2)))
        row["email"] = untagged_twin(usable[0]["value"], usable) if usable else None
    # Each writing of a number apart, with its own observations (the row's entries
    # give a number written twice once, see store.one_per_number).
    phones = row.get("_phone_writings") or row["_phones"]
    if chosen["phone"] == "recent" and phones:
        newest: dict[str, str] = {}
        for o in groups.get("phone", []):
            newest[o.value] = max(newest.get(o.value, ""), o.observed_at)
        usable_phones = [p for p in phones if p["e164"] and p["valid"] is not False]
        usable_phones.sort(key=lambda p: newest.get(p["raw"], ""), reverse=True)
        row["phone"] = usable_phones[0]["e164"] if usable_phones else None
