"""Facts, ids and the rule that turns many facts into one current value.

Every value the pipeline knows is an :class:`Observation`: who it is about, which
field, the value, where it was seen, when, and how sure the source is. The
``people`` and ``companies`` tables are views derived from observations by
:func:`pick_best`, so a value can always be traced to the sources behind it and a
later, better source wins without anything being overwritten.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "COMPANY_FIELDS",
    "MULTI_FIELDS",
    "PERSON_FIELDS",
    "Fact",
    "Observation",
    "canonical_value",
    "company_name_key",
    "explode",
    "make_id",
    "pick_best",
    "pick_ranked",
    "statement_id",
]

# Single-valued fields of a person: the view holds the best value of each.
PERSON_FIELDS: tuple[str, ...] = (
    "first_name",
    "last_name",
    "full_name",
    "civility",
    "title",
    "seniority",
    "department",
    "linkedin_url",
    "address",
    "postcode",
    "city",
    "region",
    "country",
    "company_id",
)

# Single-valued fields of a company.
COMPANY_FIELDS: tuple[str, ...] = (
    "name",
    "legal_name",
    "domain",
    "website",
    "linkedin_url",
    "address",
    "postcode",
    "city",
    "region",
    "country",
    "industry",
    "naf",
    "siren",
    "siret",
    "vat",
    "headcount",
)

# Fields that keep every distinct value (ranked), on people and companies alike.
MULTI_FIELDS: frozenset[str] = frozenset({"email", "phone", "source_id"})

# Identifiers a company may carry; they all land in ``legal_ids``.
LEGAL_ID_FIELDS: tuple[str, ...] = (
    "siren",
    "siret",
    "vat",
    "rcs",
    "naf",
    "hrb",
    "uk_company_number",
    "ein",
)


@dataclass(frozen=True, slots=True)
class Observation:
    """One fact about one entity, as one source stated it."""

    entity_id: str
    field: str
    value: str
    source: str
    observed_at: str
    confidence: float
    run_id: str
    locator: str | None = None


Fact = tuple[str, str] | tuple[str, str, float]


def canonical_value(value: str) -> str:
    """The form two spellings of the same fact share: NFC, case-folded, one space."""
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    return " ".join(value.split()).casefold()


def statement_id(entity_id: str, source: str, facts: Iterable[Fact]) -> int:
    """A 63-bit integer from the sha1 of who, which source and which facts.

    Restating the same facts from the same source yields the same id, so
    ``INSERT OR IGNORE`` writes nothing the second time. An integer id is the table's
    own rowid: one B-tree instead of a table plus a unique text index.
    """
    canon = sorted(f"{f[0]}\x1e{canonical_value(f[1])}" for f in facts)
    digest = hashlib.sha1(
        "\x1f".join([entity_id, source, *canon]).encode(), usedforsecurity=False
    ).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def explode(
    entity_id: str, source: str, locator: str | None, observed_at: str, confidence: float,
    run_id: str, facts_json: str,
) -> list[Observation]:
    """The observations one stored statement holds."""
    return [
        Observation(
            entity_id, fact[0], fact[1], source, observed_at,
            fact[2] if len(fact) > 2 else confidence, run_id, locator,
        )
        for fact in json.loads(facts_json)
    ]


def make_id(kind: str, natural_key: str) -> str:
    """A stable id from the first natural key an entity has (SIREN, domain, email…).

    The key is compared case- and space-insensitively, so ``ACME.example`` and
    ``acme.example `` give the same company. ``hash()`` is never used: it changes
    between processes.
    """
    prefix = {"person": "p_", "company": "c_"}[kind]
    digest = hashlib.sha1(
        f"{kind}\x1f{canonical_value(natural_key)}".encode(), usedforsecurity=False
    ).hexdigest()
    return prefix + digest[:20]


def _rank_key(obs: Observation, source_rank: dict[str, int]) -> tuple[float, str, int, str]:
    # Greatest wins: higher confidence, then newer (ISO timestamps sort as text), then the
    # better-ranked source (lower rank), then the value itself so ties always break alike.
    family = obs.source.split(":", 1)[0]
    return (obs.confidence, obs.observed_at, -source_rank.get(family, 100), obs.value)


def pick_best(
    observations: Iterable[Observation], source_rank: dict[str, int] | None = None
) -> dict[str, str]:
    """The current value of each single-valued field: confidence, then recency, then source.

    ``source_rank`` maps a source family (``csv``, ``connector``, ``crawl``, an
    enricher's name) to a rank, lower first; unknown families rank last.
    """
    rank = source_rank or {}
    best: dict[str, tuple[tuple[float, str, int, str], str]] = {}
    for obs in observations:
        if obs.field in MULTI_FIELDS:
            continue
        key = _rank_key(obs, rank)
        held = best.get(obs.field)
        if held is None or key > held[0]:
            best[obs.field] = (key, obs.value)
    return {field: value for field, (_, value) in best.items()}


def pick_ranked(
    observations: Iterable[Observation], field: str, source_rank: dict[str, int] | None = None
) -> list[tuple[str, list[str]]]:
    """Every distinct value of a multi-valued field, best first, with the sources behind it."""
    rank = source_rank or {}
    grouped: dict[str, list[Observation]] = {}
    for obs in observations:
        if obs.field == field:
            grouped.setdefault(canonical_value(obs.value), []).append(obs)
    heads = [max(group, key=lambda o: _rank_key(o, rank)) for group in grouped.values()]
    order = sorted(
        zip(heads, grouped.values(), strict=True),
        key=lambda pair: _rank_key(pair[0], rank),
        reverse=True,
    )
    return [(head.value, sorted({o.source for o in group})) for head, group in order]


# Legal forms stripped from a company name to build its match key. Longest first so
# that "SASU" is removed before "SAS" could match part of it.
_LEGAL_FORMS: Sequence[str] = sorted(
    {
        "sas",
        "sasu",
        "sarl",
        "eurl",
        "sa",
        "sci",
        "snc",
        "scop",
        "sca",
        "scs",
        "selarl",
        "ets",
        "etablissements",
        "societe",
        "ste",
        "groupe",
        "gmbh",
        "ug",
        "ag",
        "kg",
        "ohg",
        "gbr",
        "ev",
        "ltd",
        "limited",
        "plc",
        "llp",
        "lp",
        "llc",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "pllc",
        "bv",
        "nv",
        "srl",
        "spa",
        "sl",
        "oy",
        "ab",
        "as",
        "aps",
    },
    key=len,
    reverse=True,
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def company_name_key(name: str) -> str:
    """A match key for a company name: no accents, case, punctuation or legal form.

    ``SAS Dupont & Fils``, ``Dupont et Fils SARL`` and ``DUPONT ET FILS`` share one key.
    An empty result means the name carries nothing to match on.
    """
    words = _NON_ALNUM.sub(" ", strip_accents(name).casefold().replace("&", " et ")).split()
    kept = [w for w in words if w not in _LEGAL_FORMS]
    return " ".join(kept or words)
