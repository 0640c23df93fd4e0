"""Facts, ids and the rule that turns many facts into one current value.

Every value the pipeline knows is an :class:`Observation`: who it is about, which
field, the value, where it was seen, when, and how sure the source is. The
``people`` and ``companies`` tables are views derived from observations by
:func:`pick_best`, so a value can always be traced to the sources behind it and a
later, better source wins without anything being overwritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

__all__ = [
    "COMPANY_FIELDS",
    "LEGAL_FORM_WORDS",
    "MULTI_FIELDS",
    "PACKED_SOURCE",
    "PERSON_FIELDS",
    "Fact",
    "Observation",
    "PendingStatement",
    "best_observation",
    "best_of",
    "canonical_value",
    "company_id_for",
    "company_name_key",
    "dumps",
    "email_identity",
    "explode",
    "facts_json",
    "group_fields",
    "make_id",
    "named_person_key",
    "object_json",
    "pending_observations",
    "pick_best",
    "pick_ranked",
    "rank_of",
    "ranked_of",
    "split_phone_extension",
    "statement_id",
    "tied_with_best",
    "usable_address",
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
    "legal_form",
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
    "hra",
    "register_court",
    "share_capital",
    "rna",
    "uk_company_number",
    "ein",
    "cik",
    "lei",
)


_ENCODER = json.JSONEncoder(ensure_ascii=False)
_encode = json.encoder.encode_basestring  # type: ignore[attr-defined]
# The C encoder ``JSONEncoder.encode`` builds anew on every call, built once with the same
# settings (no circular-reference check: values here are plain data, never cyclic).
_make_c_encoder = getattr(json.encoder, "c_make_encoder", None)
_C_ENCODER = (
    _make_c_encoder(None, _ENCODER.default, _encode, None, ": ", ", ", False, False, True)
    if _make_c_encoder is not None else None
)
_scan_once = json.decoder.JSONDecoder().scan_once


def dumps(value: object) -> str:
    """JSON text with non-ASCII kept as is (readable, and searchable with LIKE).

    The same text as ``json.dumps(value, ensure_ascii=False)``, without building an
    encoder per call, which shows on a million-row import.
    """
    if isinstance(value, str):
        return _encode(value)
    if _C_ENCODER is None:
        return _ENCODER.encode(value)
    return "".join(_C_ENCODER(value, 0))


def loads(text: str) -> Any:
    """``json.loads`` for the JSON this project stores (no surrounding whitespace): the
    scanner called directly; anything else, including malformed text, goes the usual
    way and raises as ``json.loads`` does."""
    try:
        value, end = _scan_once(text, 0)
    except (StopIteration, TypeError):
        return json.loads(text)
    return value if end == len(text) else json.loads(text)


def facts_json(facts: Iterable[Fact]) -> str:
    """``[[field, value], [field, value, confidence]…]`` as JSON, built without the encoder
    object's per-call overhead (one statement per imported row). A packed statement's
    facts also name their source: ``[field, value, confidence, source]``."""
    parts = []
    for fact in facts:
        if len(fact) == 2:
            parts.append(f"[{_encode(fact[0])}, {_encode(fact[1])}]")
        elif len(fact) > 3:
            # A packed fact: the same few fields, confidences and sources over and over.
            ends = _PACKED_ENDS.get((fact[0], fact[2], fact[3]))
            if ends is None:
                ends = (f"[{_encode(fact[0])}, ", f", {float(fact[2])!r}, {_encode(fact[3])}]")
                if fact[2] and len(_PACKED_ENDS) < 4096:  # never 0.0, equal to -0.0
                    _PACKED_ENDS[(fact[0], fact[2], fact[3])] = ends
            parts.append(ends[0] + _encode(fact[1]) + ends[1])
        else:
            # What surrounds the value depends only on the field and the confidence,
            # a few dozen pairs in a run: written once each.
            ends = _FACT_ENDS.get((fact[0], fact[2]))
            if ends is None:
                ends = (f"[{_encode(fact[0])}, ", f", {float(fact[2])!r}]")
                if fact[2] and len(_FACT_ENDS) < 4096:  # never 0.0, equal to -0.0
                    _FACT_ENDS[(fact[0], fact[2])] = ends
            parts.append(ends[0] + _encode(fact[1]) + ends[1])
    return f"[{', '.join(parts)}]"


_FACT_ENDS: dict[tuple[str, Any], tuple[str, str]] = {}
_PACKED_ENDS: dict[tuple[str, Any, str], tuple[str, str]] = {}


def object_json(pairs: Iterable[tuple[str, str]]) -> str:
    """A JSON object of string keys and values, in the given order."""
    return "{" + ", ".join(f"{_encode(k)}: {_encode(v)}" for k, v in pairs) + "}"


class Observation(NamedTuple):
    """One fact about one entity, as one source stated it.

    A named tuple rather than a dataclass: a bulk import builds millions of them.
    """

    entity_id: str
    field: str
    value: str
    source: str
    observed_at: str
    confidence: float
    run_id: str
    locator: str | None = None


Fact = tuple[str, str] | tuple[str, str, float] | tuple[str, str, float, str]
# The source of a statement whose facts each name their own (field, value, confidence,
# source): what several enrichers found about one person in one run, stored as one row
# instead of one per enricher. Nothing reads it as a source: every observation of such a
# statement carries its fact's.
PACKED_SOURCE = "enrichers"
# A statement just written, kept in memory so a bulk import derives new rows without
# reading its own writes back: (source, locator, observed_at, confidence, run_id, facts).
PendingStatement = tuple[str, str | None, str, float, str, list[Fact]]


# ``Observation(...)`` runs the named tuple's Python-level ``__new__``; building from a
# plain tuple skips that frame (millions of observations on a bulk run).
_new_tuple = tuple.__new__


def pending_observations(entity_id: str, statements: Iterable[PendingStatement]) -> list[
    Observation
]:
    """The observations held by statements kept in memory (see ``PendingStatement``)."""
    found: list[Observation] = []
    for source, locator, observed_at, confidence, run_id, facts in statements:
        found.extend(fact_observations(
            entity_id, source, locator, observed_at, confidence, run_id, facts
        ))
    return found


def fact_observations(
    entity_id: str, source: str, locator: str | None, observed_at: str, confidence: float,
    run_id: str, facts: Iterable[Fact],
) -> list[Observation]:
    """The observations of one statement's facts (kept in memory, or read by
    :func:`explode`). A fact of four elements names its own source (see
    ``PACKED_SOURCE``)."""
    if source == PACKED_SOURCE:
        return [
            _new_tuple(Observation, (
                entity_id, fact[0], fact[1], fact[3], observed_at, fact[2], run_id, locator,
            )) if len(fact) > 3 else _new_tuple(Observation, (
                entity_id, fact[0], fact[1], source, observed_at,
                fact[2] if len(fact) > 2 else confidence, run_id, locator,
            ))
            for fact in facts
        ]
    return [
        _new_tuple(Observation, (
            entity_id, fact[0], fact[1], source, observed_at,
            fact[2] if len(fact) > 2 else confidence, run_id, locator,
        ))
        for fact in facts
    ]


def canonical_value(value: str) -> str:
    """The form two spellings of the same fact share: NFC, case-folded, one space."""
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    return " ".join(value.split()).casefold()


def email_identity(value: str) -> str:
    """The form two spellings of one address share: ``canonical_value``, and for an
    address that is not ASCII, its compatibility forms folded (full-width ``ｊｅａｎ``)
    and its domain in IDNA ASCII (``jean@société.fr`` is ``jean@xn--socit-esab.fr``)."""
    if value.isascii():
        return canonical_value(value)
    return ascii_domain(" ".join(unicodedata.normalize("NFKC", value).split()).casefold())


def ascii_domain(address: str) -> str:
    """``address`` with its domain in IDNA ASCII, without a trailing dot; as given when
    it has no ``@`` or the domain cannot be encoded."""
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    domain = domain.rstrip(".")
    with contextlib.suppress(UnicodeError):
        domain = domain.encode("idna").decode("ascii")
    return f"{local}@{domain}"


def statement_id(entity_id: str, source: str, facts_json: str) -> int:
    """A 63-bit integer from the sha1 of who, which source and the facts as stored.

    The same statement made again yields the same id, so ``INSERT OR IGNORE`` writes
    nothing the second time (a restated fact spelled differently is caught earlier, by
    comparing canonical values before a statement is built). An integer id is the
    table's own rowid: one B-tree instead of a table plus a unique text index.
    """
    digest = hashlib.sha1(
        f"{entity_id}\x1f{source}\x1f{facts_json}".encode(), usedforsecurity=False
    ).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def explode(
    entity_id: str, source: str, locator: str | None, observed_at: str, confidence: float,
    run_id: str, facts_json: str,
) -> list[Observation]:
    """The observations one stored statement holds."""
    return fact_observations(
        entity_id, source, locator, observed_at, confidence, run_id, loads(facts_json)
    )


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


def rank_of(source: str, source_rank: dict[str, int]) -> int:
    """A source's rank (lower first): its own (``csv:crm``), else its family's (``csv``),
    else 100."""
    rank = source_rank.get(source)
    return rank if rank is not None else source_rank.get(source.split(":", 1)[0], 100)


def _rank_key(obs: Observation, source_rank: dict[str, int]) -> tuple[float, str, int, str]:
    # Greatest wins: higher confidence, then newer (ISO timestamps sort as text), then the
    # better-ranked source (lower rank), then the value itself so ties always break alike.
    return (obs.confidence, obs.observed_at, -rank_of(obs.source, source_rank), obs.value)


def group_fields(observations: Iterable[Observation]) -> dict[str, list[Observation]]:
    """Observations by field, in one pass, for the ``best_of``/``ranked_of`` helpers."""
    groups: dict[str, list[Observation]] = {}
    for obs in observations:
        group = groups.get(obs.field)
        if group is None:
            groups[obs.field] = [obs]
        else:
            group.append(obs)
    return groups


def best_of(group: list[Observation], source_rank: dict[str, int]) -> str:
    """The winning value among observations of one field."""
    value = group[0].value
    if len(group) == 1:
        return value
    for obs in group:
        if obs.value != value:
            return best_observation(group, source_rank).value
    return value  # all agree (the members of a merge, mostly): no ranking needed


def tied_with_best(group: list[Observation], source_rank: dict[str, int],
                   ) -> tuple[Observation, set[str]]:
    """``best_observation`` of ``group`` and the values tied with it on all but the value
    (one source, time and confidence: one file's rows), its own among them: where that
    set holds several, only the text orders them, and callers may know better."""
    top = best_observation(group, source_rank)
    top_rank = rank_of(top.source, source_rank)
    return top, {o.value for o in group
                 if o.confidence == top.confidence and o.observed_at == top.observed_at
                 and rank_of(o.source, source_rank) == top_rank}


def usable_address(entry: Mapping[str, Any]) -> bool:
    """Whether an entry of a person's ``emails`` can be written to: not known invalid,
    and not a guess no mail server confirmed (a guessed address is listed all the same)."""
    status = entry.get("status")
    return status != "invalid" and ("guessed" not in entry.get("flags", ()) or status == "valid")


def best_observation(group: list[Observation], source_rank: dict[str, int]) -> Observation:
    """The winning observation among observations of one field: ``max(group,
    key=_rank_key)`` without a Python call per observation (a merge of a million records
    ranks millions of them)."""
    get = source_rank.get
    best = group[0]
    best_key = _rank_key(best, source_rank)
    for obs in group[1:]:
        rank = get(obs.source)
        if rank is None:
            rank = get(obs.source.split(":", 1)[0], 100)
        key = (obs.confidence, obs.observed_at, -rank, obs.value)
        if key > best_key:
            best, best_key = obs, key
    return best


def ranked_of(group: list[Observation], source_rank: dict[str, int]) -> list[tuple[str, list[str]]]:
    """Distinct values of one field (spellings merged), best first, with their sources."""
    if len(group) == 1:
        return [(group[0].value, [group[0].source])]
    if not group:
        return []
    value = group[0].value
    if all(obs.value == value for obs in group):
        return [(value, sorted({obs.source for obs in group}))]
    grouped: dict[str, list[Observation]] = {}
    key = email_identity if group[0].field == "email" else canonical_value
    for obs in group:
        grouped.setdefault(key(obs.value), []).append(obs)
    heads = [best_observation(g, source_rank) for g in grouped.values()]
    order = sorted(
        zip(heads, grouped.values(), strict=True),
        key=lambda pair: _rank_key(pair[0], source_rank),
        reverse=True,
    )
    return [(head.value, sorted({o.source for o in g})) for head, g in order]


def pick_best(
    observations: Iterable[Observation], source_rank: dict[str, int] | None = None
) -> dict[str, str]:
    """The current value of each single-valued field: confidence, then recency, then source.

    ``source_rank`` maps a source (``csv:crm``) or a source family (``csv``,
    ``connector``, ``crawl``, ``enricher``) to a rank, lower first; unknown ones rank last.
    """
    rank = source_rank or {}
    return {
        field: best_of(group, rank)
        for field, group in group_fields(observations).items()
        if field not in MULTI_FIELDS
    }


def pick_ranked(
    observations: Iterable[Observation], field: str, source_rank: dict[str, int] | None = None
) -> list[tuple[str, list[str]]]:
    """Every distinct value of a multi-valued field, best first, with the sources behind it."""
    group = [o for o in observations if o.field == field]
    return ranked_of(group, source_rank or {}) if group else []


# Legal forms stripped, word by word, from a company name to build its match key.
LEGAL_FORM_WORDS: frozenset[str] = frozenset(
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
    }
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")

# An extension after a number: "poste 123", "p. 12", "ext. 4", "x12", "#3", "Durchwahl
# 7" (phonenumbers reads the letters of "poste" as keypad digits).
PHONE_EXTENSION = re.compile(
    r"""[\s,;(\-–]*
        (?:postes?|p\.|ext(?:ension|n)?\.?|extn|int\.|durchwahl|dw\.?|(?<=[\d\s)])x|\#)
        \s*[:.#°]?\s*(?P<ext>\d{1,7})\s*\)?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


# What a number written without an extension is made of: every extension's mark has a
# letter or a "#" (a million numbers keyed by dedupe skip the search).
_PLAIN_NUMBER = re.compile(r"[\d\s+().\-/]*")


def split_phone_extension(text: str) -> tuple[str, str | None]:
    """A written number and its extension apart (``PHONE_EXTENSION``): the number's
    text and the extension's digits, or ``text`` and None where none follows digits."""
    if _PLAIN_NUMBER.fullmatch(text):
        return text, None
    match = PHONE_EXTENSION.search(text)
    if not match or not any(c.isdigit() for c in text[: match.start()]):
        return text, None
    return text[: match.start()], match.group("ext")


# Letters no decomposition takes to a Latin letter and an accent (Søren, Łukasz, Đorđe),
# lower case, as ASCII writes them: :func:`strip_accents` leaves them as they are.
_LATIN_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "þ": "th", "ð": "d",
     "ı": "i", "ħ": "h", "ŋ": "n"}
)  # fmt: skip


def plain_letters(text: str) -> str:
    """:func:`strip_accents`, then the lower-case letters no decomposition reaches as
    ASCII writes them: ``søren`` → ``soren``, ``łukasz`` → ``lukasz``, ``æ`` → ``ae``
    (from a letter that decomposes to one too: ``ǿ`` → ``o``)."""
    return strip_accents(text).translate(_LATIN_LETTERS)


def strip_accents(text: str) -> str:
    """``text`` decomposed (NFKD) without its combining marks: ``Émilie`` → ``Emilie``."""
    if text.isascii():
        return text  # NFKD leaves ASCII as it is, and no ASCII character combines
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def company_name_key(name: str) -> str:
    """A match key for a company name: no accents, case, punctuation or legal form.

    ``SAS Dupont & Fils``, ``Dupont et Fils SARL`` and ``DUPONT ET FILS`` share one key.
    An empty result means the name carries nothing to match on.
    """
    words = _NON_ALNUM.sub(" ", strip_accents(name).casefold().replace("&", " et ")).split()
    kept = [w for w in words if w not in LEGAL_FORM_WORDS]
    return " ".join(kept or words)


def company_id_for(
    siren: str | None, domain: str | None, name: str | None, registry_key: str | None = None
) -> str:
    """A company's id from its best natural key: SIREN, domain, registry number, then name.

    Every source (import, crawl, connectors) keys companies by these rules, so the same
    company found twice is one entity.
    """
    if siren:
        return make_id("company", f"siren:{siren}")
    if domain:
        return make_id("company", f"domain:{domain}")
    if registry_key:
        return make_id("company", registry_key)
    return make_id("company", f"name:{company_name_key(name or '')}")


def named_person_key(full_name: str, company_id: str) -> str:
    """The natural key of a person known by name at a company (no personal email)."""
    return f"name:{canonical_value(strip_accents(full_name))}|{company_id}"
