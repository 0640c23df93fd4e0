"""What every public-data connector shares: records, queries, options, ids and ICP verdicts.

A connector turns the ICP into its own API queries (:meth:`Connector.plan`) and fetches
one page of one query at a time (:meth:`Connector.fetch`), returning :class:`Page`
objects: the companies found (with their people), the next cursor, and narrower queries
when the API cannot page through everything (recherche-entreprises stops at 10,000).
:mod:`prospecting.connectors.runner` stores pages and cursors; connectors never touch
the database.

Company ids follow the importer's rules (``importer._company_id``): SIREN first, then the
registered domain, so a company sourced here and one imported or crawled with the same
SIREN or domain are one entity. Without either, the registry's own number
(``uk_company_number:…``, ``cik:…``) keys it, and only then the name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, ClassVar

from ..errors import ConfigError
from ..http import HttpClient
from ..icp import Icp
from ..importer import registered_domain
from ..models import Fact, company_id_for, make_id, named_person_key, strip_accents
from ..privacy import normalize_email_key

__all__ = [
    "CONNECTOR_CONFIDENCE",
    "CompanyRecord",
    "Connector",
    "Page",
    "PersonRecord",
    "Query",
    "company_entity_id",
    "judge",
    "parse_cli_options",
    "person_entity_id",
    "split_list",
]

# A registry or public API states a fact about the company itself: above what a user's
# file says (0.8), below a value an enricher verified.
CONNECTOR_CONFIDENCE = 0.9


@dataclass
class PersonRecord:
    """Someone the source names at the company (dirigeant, officer, member)."""

    record_id: str
    facts: list[Fact]
    full_name: str | None = None
    email: str | None = None


@dataclass
class CompanyRecord:
    """One company as one API record describes it, with why it fits or not."""

    record_id: str
    locator: str
    facts: list[Fact]
    name: str | None = None
    siren: str | None = None
    domain: str | None = None
    registry_key: str | None = None
    people: list[PersonRecord] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # why it fits
    mismatches: list[str] = field(default_factory=list)  # ICP criteria it misses
    exclusions: list[str] = field(default_factory=list)  # closed, dissolved…
    text: str = ""  # activity labels and description, for ICP keywords

    def entity_id(self) -> str:
        return company_entity_id(self.siren, self.domain, self.registry_key, self.name)


@dataclass(frozen=True)
class Query:
    """One API query: parameters that fully define it (they are hashed into its cursor key)."""

    params: Mapping[str, Any]
    label: str = ""


@dataclass
class Page:
    """One fetched page: records, the cursor of the next page (None: finished), problems."""

    url: str
    records: list[CompanyRecord] = field(default_factory=list)
    next_cursor: str | None = None
    total: int | None = None
    split: list[Query] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (where, reason, raw)
    messages: list[str] = field(default_factory=list)


class Connector:
    """Base of the connectors: name, public default URL, documented limits, options."""

    name: ClassVar[str] = ""
    default_base_url: ClassVar[str] = ""
    # The source's own documented ceiling (requests per second) and burst size; the
    # effective rate is the lower of this and the configured one.
    max_rate: ClassVar[float] = 1.0
    burst: ClassVar[float] = 1.0
    options_help: ClassVar[dict[str, str]] = {}
    auth_hint: ClassVar[str] = ""
    summary: ClassVar[str] = ""

    def __init__(self, client: HttpClient, icp: Icp, options: Mapping[str, str]) -> None:
        unknown = sorted(set(options) - set(self.options_help))
        if unknown:
            known = ", ".join("--" + k.replace("_", "-") for k in sorted(self.options_help))
            raise ConfigError(
                f"{self.name}: unknown option --{unknown[0].replace('_', '-')}"
                f" (options: {known or 'none'})"
            )
        self.client = client
        self.icp = icp
        self.options = dict(options)
        self.messages: list[str] = []

    @classmethod
    def request_headers(cls, options: Mapping[str, str]) -> dict[str, str]:
        """Headers the source needs on every call (e.g. a token)."""
        return {}

    @classmethod
    def request_auth(cls, options: Mapping[str, str]) -> tuple[str, str] | None:
        return None

    @classmethod
    def rate(cls, options: Mapping[str, str]) -> tuple[float, float]:
        """(requests per second, burst) the source documents for these options."""
        return cls.max_rate, cls.burst

    def plan(self) -> list[Query]:
        raise NotImplementedError

    def fetch(self, query: Query, cursor: str | None) -> Page:
        raise NotImplementedError

    # -- helpers for subclasses --------------------------------------------------------

    def option(self, name: str, default: str | None = None) -> str | None:
        value = self.options.get(name)
        return default if value in (None, "") else value

    def int_option(self, name: str, default: int, low: int = 1, high: int = 10**9) -> int:
        value = self.option(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ConfigError(f"{self.name}: --{name.replace('_', '-')} expects a number, "
                              f"got {value!r}") from None
        if not low <= number <= high:
            raise ConfigError(f"{self.name}: --{name.replace('_', '-')} must be between "
                              f"{low} and {high}, got {number}")
        return number

    def industries(self, *schemes: str) -> list[tuple[str, str]]:
        return [(i.scheme, i.code) for i in self.icp.firmographics.industries
                if i.scheme in schemes]


def split_list(value: str | None) -> list[str]:
    """``"35, 75,  "`` → ``["35", "75"]``."""
    if not value:
        return []
    return [part.strip() for part in re.split(r"[,;]", value) if part.strip()]


def company_entity_id(
    siren: str | None, domain: str | None, registry_key: str | None, name: str | None
) -> str:
    """The company id by the importer's rules: SIREN, domain, then registry number, name."""
    return company_id_for(siren, domain, name, registry_key)


def person_entity_id(
    connector: str, company_id: str, person: PersonRecord
) -> str:
    """A stable person id by the importer's rules: a personal email, else name at company.

    A shared mailbox (contact@, compta@) is nobody's key, as in the importer: two people
    behind one role address stay two people.
    """
    from ..privacy import role_local_parts

    if person.email:
        key = normalize_email_key(person.email)
        if "@" in key and key.split("@", 1)[0] not in role_local_parts():
            return make_id("person", f"email:{key}")
    if person.full_name:
        return make_id("person", named_person_key(person.full_name, company_id))
    return make_id("person", f"connector:{connector}:{person.record_id}")


def domain_of(url: str | None) -> str | None:
    """The registered domain of a website field, or None (empty, not a URL)."""
    if not url or not url.strip():
        return None
    return registered_domain(url)


def judge(record: CompanyRecord, icp: Icp) -> tuple[str, list[str]]:
    """``("fit" | "excluded" | "no_fit", reasons)`` for one company record.

    Exclusions win over everything: a competitor or customer is never a prospect, whatever
    else fits. Then a record missing an ICP criterion the API could not filter on is
    ``no_fit``. The reasons name the rule and the value that decided.
    """
    ex = icp.exclusions
    excluded: list[str] = []
    if record.domain and record.domain in ex.competitor_domains:
        excluded.append(f"excluded: competitor domain {record.domain}")
    if record.domain and record.domain in ex.customer_domains:
        excluded.append(f"excluded: customer domain {record.domain}")
    if record.siren and record.siren in ex.customer_sirens:
        excluded.append(f"excluded: customer SIREN {record.siren}")
    if ex.students and record.name:
        word = _keyword_in(record.name, ex.school_keywords)
        if word:
            excluded.append(f"excluded: school keyword {word!r} in name {record.name!r}")
    excluded.extend(f"excluded: {reason}" for reason in record.exclusions)
    if excluded:
        return "excluded", excluded
    if record.mismatches:
        return "no_fit", [f"no fit: {m}" for m in record.mismatches]
    reasons = list(record.reasons)
    for keyword in _keywords_in(f"{record.name or ''} {record.text}",
                                icp.firmographics.keywords):
        reasons.append(f"keyword {keyword!r} in name or activity")
    return "fit", reasons


def _fold(text: str) -> str:
    return " ".join(re.split(r"\W+", strip_accents(text).casefold()))


@lru_cache(maxsize=4096)
def _folded_keyword(keyword: str) -> str:
    return f" {_fold(keyword).strip()} "


def _keyword_in(text: str, keywords: Iterable[str]) -> str | None:
    found = _keywords_in(text, keywords)
    return found[0] if found else None


def _keywords_in(text: str, keywords: Iterable[str]) -> list[str]:
    folded = f" {_fold(text)} "
    return [k for k in keywords if _folded_keyword(k) in folded]


# Options every connector run understands (the rest go to the connector).
RUN_OPTIONS = {
    "force": "Fetch finished queries again.",
    "max_pages": "Stop after this many pages in this run (the cursor keeps the place).",
    "no_cache": "Bypass the HTTP cache for this run.",
    "icp": "ICP file to use instead of the one stored by 'prospecting init'.",
}


def parse_cli_options(tokens: Sequence[str]) -> dict[str, str]:
    """``("--departement", "35,75", "--force", "--q=acme")`` → ``{"departement": "35,75",
    "force": "true", "q": "acme"}``; names take ``_`` for ``-``."""
    out: dict[str, str] = {}
    index = 0
    tokens = list(tokens)
    while index < len(tokens):
        token = tokens[index]
        if not token.startswith("--") or token == "--":  # noqa: S105 (not a password)
            raise ConfigError(f"source: unexpected argument {token!r} (options are --name value)")
        name, eq, value = token[2:].partition("=")
        name = name.replace("-", "_")
        if not name:
            raise ConfigError(f"source: bad option {token!r}")
        if not eq:
            if index + 1 < len(tokens) and not tokens[index + 1].startswith("--"):
                value = tokens[index + 1]
                index += 1
            else:
                value = "true"
        if name in out:
            out[name] = f"{out[name]},{value}"
        else:
            out[name] = value
        index += 1
    return out


def truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")
