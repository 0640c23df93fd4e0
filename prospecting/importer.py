"""Import people or companies from the user's own CSV and JSONL files.

Each usable row becomes statements (what the file says about a person and their
company), every other row a quarantine row with its file, row number and reason:
rows stored + rows quarantined + rows suppressed = data rows read, always. The file
is streamed and committed in batches, so a million-row export never sits in memory
and a killed import re-run converges to the same database.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import json
import operator
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .connectors.csv_file import Record, open_tabular
from .connectors.fr_codes import TRANCHES
from .errors import ConfigError, InputError
from .forked import Child, QueuedSender, can_fork, fast_pickle
from .headers import (
    COMPANY_FROM_PERSON,
    LOCATION_FIELDS,
    address_groups,
    company_location,
    field_rank,
    map_headers,
    normalize_header,
    shown_columns,
)
from .icp import normalize_country, parse_location
from .models import (
    Fact,
    Observation,
    PendingStatement,
    canonical_value,
    company_id_for,
    company_name_key,
    dumps,
    loads,
    make_id,
    named_person_key,
)
from .privacy import (
    SuppressionMatcher,
    clean_emails,
    email_hash,
    normalize_email_key,
    role_local_parts,
)
from .runs import Progress, RunState
from .store import (
    DirectPerson,
    PreparedFacts,
    Store,
    _direct_company_row,
    bounce_fact,
    direct_person_entry,
    free_mail_domains,
    prepare_facts,
    utc_now,
    verdict_fact,
)

__all__ = ["import_path"]

# The longest value a field of its own (a name, a title, an email, a company's name, an
# address, a URL…) may hold. A longer cell is not what its header says (a note pasted into
# the wrong column, a runaway quote swallowing the lines after it) and its row is
# quarantined. Free text kept as an extra column (notes, descriptions) has only the file
# reader's limit (``FIELD_LIMIT``).
FIELD_MAX = 1000
# Cells that stand for "no value" in CRM exports and spreadsheets ("N/A", "-", "#N/A",
# "null", "Non renseigné", and "[not provided]", which Salesforce writes in a lead's
# required Last Name and Company when a form or a HubSpot sync gave none): read as empty
# cells, never as a company named "N/A", a town "-", an address "n/a" or a surname
# "[not provided]". ("NA" and "NC" are left alone: Namibia, New Caledonia, North
# Carolina.)
PLACEHOLDER_CELLS = frozenset({
    "n/a", "n.a.", "n.a", "#n/a", "n/d", "-", "--", "---", "—", "–", ".", "?", "??", "???",
    "null", "(null)", "<null>", "none", "(none)", "nil", "undefined", "unknown", "(unknown)",
    "inconnu", "inconnue", "non renseigné", "non renseigne", "non renseignée",
    "non renseignee", "non communiqué", "non communique", "n.c.", "n/c", "#value!", "#ref!",
    "#name?", "#div/0!", "#null!", "#num!", "[not provided]", "(not provided)",
    "not provided", "[unknown]", "[[unknown]]", "[none]", "[blank]", "(blank)", "[empty]",
    "(empty)", "non précisé", "non precise", "non indiqué", "non indique",
})
_PLACEHOLDER_LONGEST = max(map(len, PLACEHOLDER_CELLS))


def _is_placeholder(value: str) -> bool:
    """Whether a stripped cell stands for "no value" (see :data:`PLACEHOLDER_CELLS`)."""
    return len(value) <= _PLACEHOLDER_LONGEST and value.casefold() in PLACEHOLDER_CELLS


def _filled(cell: str) -> str:
    """``cell`` stripped, or "" for a placeholder."""
    value = cell.strip()
    return "" if _is_placeholder(value) else value

FILE_CONFIDENCE = 0.8  # what the user's own file says: good, below a verified fact
SECONDARY_CONFIDENCE = 0.7  # a second column for the same field (Secondary Email…)

_PERSON_FIELDS = {
    "first_name", "last_name", "full_name", "civility", "title", "seniority", "department",
    "linkedin_url", "address", "postcode", "city", "region", "country",
}
_ADDRESS_PARTS = frozenset({"street_number", "street_type"})
# Full-name headers that put the surname first.
_SURNAME_FIRST = frozenset({"nom prenom", "last name first name", "surname forename",
                            "surname first name", "name vorname", "nachname vorname"})


# A "website" on these is a profile or a page, not the company's own domain.
# fmt: off
PLATFORM_DOMAINS = frozenset(
    {"linkedin.com", "facebook.com", "fb.com", "fb.me", "instagram.com", "twitter.com",
     "x.com", "youtube.com", "youtu.be", "tiktok.com", "pinterest.com", "pinterest.fr",
     "google.com", "google.fr", "goo.gl", "g.page", "bit.ly", "wixsite.com", "wix.com",
     "wordpress.com", "blogspot.com", "blogspot.fr", "blogger.com", "jimdo.com",
     "jimdofree.com", "webnode.fr", "webnode.com", "e-monsite.com", "over-blog.com",
     "overblog.com", "pagesjaunes.fr", "societe.com", "pappers.fr", "infogreffe.fr",
     "verif.com", "manageo.fr", "linktr.ee", "github.com", "gitlab.com", "medium.com",
     "notion.site", "canva.site", "myshopify.com", "square.site", "calendly.com",
     "doctolib.fr", "yelp.com", "yelp.fr", "tripadvisor.com", "tripadvisor.fr",
     "booking.com", "welcometothejungle.com", "indeed.com", "indeed.fr", "glassdoor.com",
     "crunchbase.com", "annuaire-entreprises.data.gouv.fr", "data.gouv.fr", "sites.google.com",
     "business.site", "placeholder.com", "example.com", "example.fr", "example.org"}
)
# fmt: on


_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")
_HOST_END = re.compile(r"[/?#:]")


def site_host(url: str) -> str | None:
    """The host of a link, lower case, without ``www.``: ``sites.google.com`` from
    ``https://sites.google.com/view/acme``."""
    text = _SCHEME.sub("", url.strip().lower())
    host = _HOST_END.split(text, maxsplit=1)[0].strip(".")
    return host.removeprefix("www.") or None


def on_platform(domain: str, host: str | None) -> bool:
    """Whether a link at ``host`` (registered domain ``domain``) is on a platform
    (:data:`PLATFORM_DOMAINS`) rather than a company's own site."""
    return domain in PLATFORM_DOMAINS or (host is not None and host in PLATFORM_DOMAINS)


def platform_link(value: str) -> str | None:
    """What a link in a website column is when it is on a platform rather than the
    company's own site: ``"person"`` for a LinkedIn profile (``/in/…``; LinkedIn's own
    export calls it "URL"), ``"company"`` for a LinkedIn company page, ``"other"`` for
    any other platform page (Facebook, a directory, a site builder's subdomain); None
    for the company's own site."""
    text = value.strip().lower()
    domain = registered_domain(text)
    if domain is None or not on_platform(domain, site_host(text)):
        return None
    if domain == "linkedin.com":
        path = text.split("linkedin.com", 1)[1]
        if path.startswith(("/in/", "/pub/")):
            return "person"
        if path.startswith(("/company/", "/school/", "/showcase/")):
            return "company"
    return "other"


@lru_cache(maxsize=65536)
def _site(value: str) -> tuple[str | None, str | None]:
    """(:func:`platform_link`, :func:`registered_domain`) of a website cell: a file
    repeats its companies' sites row after row (at 45,000 rows, 0.15 s read each time)."""
    return platform_link(value), registered_domain(value)


def registered_domain(url_or_domain: str) -> str | None:
    """``acme.co.uk`` from ``https://www.acme.co.uk/contact``; None when there is none.

    Uses tldextract's bundled public suffix list, never the network.
    """
    text = url_or_domain.strip().lower()
    if not text:
        return None
    if "@" in text and "/" not in text:
        text = text.rpartition("@")[2]
    # The host part of a URL, a bare domain or "www.acme.example/contact", by hand:
    # urlsplit costs more than the suffix lookup that follows.
    if "://" in text:
        text = text.split("://", 1)[1]
    elif text.startswith("//"):
        text = text[2:]
    for mark in "/?#":
        text = text.split(mark, 1)[0]
    return _registered_host(text.rpartition("@")[2].split(":", 1)[0].strip("."))


@lru_cache(maxsize=65536)
def _registered_host(host: str) -> str | None:
    """:func:`registered_domain` of a host name: asked once per host, where a file's
    addresses and websites share a few thousand (every address is new, its host not)."""
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    parts = _extractor()(host)
    if parts.domain and parts.suffix:
        return f"{parts.domain}.{parts.suffix}"
    # A TLD outside the public suffix list (.test, .example, .internal, a new gTLD the
    # bundled list predates): treat its last label as the suffix.
    labels = [label for label in host.split(".") if label]
    if len(labels) >= 2 and not labels[-1].isdigit():
        return ".".join(labels[-2:])
    return None


# A company name written as its site: "acme.fr", "www.acme.fr", "https://acme.fr/".
_SITE_AS_NAME = re.compile(
    r"(?P<scheme>https?://)?(?P<www>www\d?\.)?"
    r"(?P<host>[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)/?",
    re.IGNORECASE,
)


@lru_cache(maxsize=65536)
def site_as_name(name: str) -> tuple[str, bool] | None:
    """The registered domain a company name is written as, and whether it is written as
    an address (lower case, or with ``https://`` or ``www.``); None for a name.

    ``acme.fr``, ``www.acme.fr``, ``https://acme.fr/`` (``acme.fr``, True);
    ``Booking.com`` (``booking.com``, False): a brand written as its site. The suffix
    must be one of the public suffix list and the site name two characters or more:
    ``Mr.Bricolage``, ``E.Leclerc``, ``S.A.``, ``J.P. Morgan`` are names, and a free
    mail provider's or a platform's domain (``gmail.com``, ``linkedin.com``) is no
    employer's site.
    """
    text = name.strip()
    found = _SITE_AS_NAME.fullmatch(text) if "." in text else None
    if found is None:
        return None
    host = found.group("host").lower()
    parts = _extractor()(host)
    if not parts.suffix or len(parts.domain) < 2:
        return None
    domain = f"{parts.domain}.{parts.suffix}"
    if on_platform(domain, host) or domain in free_mail_domains():
        return None  # "gmail.com", "linkedin.com": no employer's site
    address = bool(found.group("scheme") or found.group("www")) or text == text.lower()
    return domain, address


@lru_cache(maxsize=1)
def _extractor() -> Any:
    import tldextract

    # suffix_list_urls=() keeps tldextract on its bundled snapshot: no network, no cache dir.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _linkedin_key(url: str) -> str:
    parts = urlsplit(url.strip().lower() if "//" in url else "//" + url.strip().lower())
    host = (parts.hostname or "").removeprefix("www.")
    return host + parts.path.rstrip("/")


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


@dataclass
class _Tally:
    """What the rows of one batch add to the run's counts, applied once it commits."""

    run_id: str
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, key: str, amount: int = 1) -> None:
        self.counts[key] += amount


@dataclass
class _Batch:
    """The statements and quarantine rows of consecutive file rows, ready to write.

    :meth:`prepare` computes everything that needs no database (statement JSON and ids,
    the derived row of an entity stated once in the batch), so it can run in the process
    that reads the file while the previous batch is being written.
    """

    run_id: str
    items: list[tuple[str, str, str, str, float, str, list[Fact]]] = field(default_factory=list)
    pending_people: dict[str, list[PendingStatement]] = field(default_factory=dict)
    pending_companies: dict[str, list[PendingStatement]] = field(default_factory=dict)
    quarantine: list[dict[str, Any]] = field(default_factory=list)
    # Addresses (normalised) of rows whose opt-out column is set: suppressed on write.
    opt_outs: list[str] = field(default_factory=list)
    prepared: list[PreparedFacts] = field(default_factory=list)
    direct_people: dict[str, DirectPerson | None] = field(default_factory=dict)
    direct_companies: dict[str, tuple[Any, ...] | None] = field(default_factory=dict)
    # The people's direct rows were left to the writer (see prepare).
    people_left: bool = False
    tally: _Tally | None = None
    rows: int = 0
    # (entity_id, source, locator, facts JSON, statement id) of a batch unpickled and
    # not yet materialized (see materialize).
    compact: list[tuple[str, str, str, str, int]] | None = None
    # Statement rows of new entities stated once, their row ready (see materialize).
    ready: list[tuple[Any, ...]] = field(default_factory=list)
    # One timestamp per batch: its rows are observed together, and it saves a clock
    # read and a format per row.
    now: str = field(default_factory=utc_now)

    def __post_init__(self) -> None:
        if self.tally is None:
            self.tally = _Tally(self.run_id)

    def add(
        self, pending: dict[str, list[PendingStatement]], entity_id: str, source: str,
        locator: str, now: str, run_id: str, facts: list[Fact],
    ) -> None:
        self.items.append((entity_id, source, locator, now, FILE_CONFIDENCE, run_id, facts))
        statement = (source, locator, now, FILE_CONFIDENCE, run_id, facts)
        held = pending.get(entity_id)
        if held is None:
            pending[entity_id] = [statement]
        else:
            held.append(statement)

    def __getstate__(self) -> tuple[Any, ...]:
        # What crosses the pipe from the reading process, without what the writer
        # rebuilds faster than it unpickles: the pending maps (from the items), the facts
        # as tuples (their JSON is sent) and the facts' canonical keys (only needed for
        # entities stated before).
        compact = [
            (item[0], item[1], item[2], prepared[1], prepared[2])
            for item, prepared in zip(self.items, self.prepared, strict=True)
        ]
        return (self.run_id, self.now, self.rows, dict(self.tally.counts), self.quarantine,
                compact, self.direct_people, self.direct_companies, self.opt_outs,
                self.people_left)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        (run_id, now, rows, counts, quarantine, compact, direct_people,
         direct_companies, opt_outs, people_left) = state
        self.__init__(run_id, now=now, rows=rows, quarantine=quarantine,
                      direct_people=direct_people, direct_companies=direct_companies,
                      opt_outs=opt_outs, people_left=people_left)
        self.tally.counts.update(counts)
        self.compact = compact

    def materialize(self, known: set[str]) -> None:
        """Rebuild the items and pending maps of a batch that crossed the pipe.

        The facts travel only as their JSON: they are decoded for the entities whose
        row is derived from them here (``known`` ones, those stated twice in the batch,
        those the reader could not derive). The bulk of a first import, new entities
        stated once whose row the reader built, needs no comparison either: their
        statement rows go to ``ready`` as they are, to be added without one.
        """
        compact, self.compact = self.compact, None
        if compact is None:
            return
        run_id, now = self.run_id, self.now
        people, companies = self.pending_people, self.pending_companies
        direct_people, direct_companies = self.direct_people, self.direct_companies
        prepared, ready = self.prepared, self.ready
        # Facts decoded below for a direct row the reader left here, kept for the general
        # way should that row not be plain.
        decoded: dict[str, list[Fact]] = {}
        if self.people_left:
            # The reader left the direct rows of new people stated once to this process:
            # derived here, from the same facts, as the reader derives them.
            stated = Counter(item[0] for item in compact if not item[0].startswith("c_"))
            for entity_id, source, locator, payload, _sid in compact:
                if stated[entity_id] == 1 and entity_id not in known:
                    facts = decoded[entity_id] = [tuple(f) for f in loads(payload)]
                    direct_people[entity_id] = direct_person_entry(
                        entity_id, (source, locator, now, FILE_CONFIDENCE, run_id, facts), now)
        for entity_id, source, locator, payload, sid in compact:
            if entity_id.startswith("c_"):
                pending, direct = companies, direct_companies
            else:
                pending, direct = people, direct_people
            if entity_id not in known and direct.get(entity_id) is not None:
                # A direct row exists only for an entity stated once in the batch.
                ready.append((sid, entity_id, source, locator, now, FILE_CONFIDENCE, run_id,
                              payload))
                pending[entity_id] = [(source, locator, now, FILE_CONFIDENCE, run_id, None)]
                continue
            facts = decoded.get(entity_id)
            self.add(pending, entity_id, source, locator, now, run_id,
                     [tuple(f) for f in loads(payload)] if facts is None else facts)
            prepared.append((None, payload, sid))

    def prepare(self, people: bool = True) -> None:
        """``people=False`` leaves the people's direct rows to the writer (see
        :meth:`materialize`), when it is the one waiting."""
        # The facts' canonical keys are left to the writer, which needs them only for
        # entities stated before (a re-import), not for the bulk of a first one.
        self.prepared = [prepare_facts(item[0], item[1], item[6], keys=False)
                         for item in self.items]
        if not people:
            self.people_left = True
        for pid, statements in self.pending_people.items() if people else ():
            if len(statements) == 1:
                self.direct_people[pid] = direct_person_entry(pid, statements[0], self.now)
        for cid, statements in self.pending_companies.items():
            if len(statements) == 1:
                self.direct_companies[cid] = _direct_company_row(cid, statements[0], self.now)


@dataclass
class _End:
    """What the reader knows once the whole file is read."""

    blank: int
    repeated_headers: int
    message: str | None


class _RowMapper:
    """Turns one file's cells into facts, with the per-column work decided once."""

    def __init__(self, headers: Sequence[str], kind: str, id_column: str | None, path: Path,
                 *, line: bool = False):
        """``line``: the keys of one JSONL line, which may lack the id column (the row
        then gets the lineage of a row without an id)."""
        self.headers = list(headers)
        self.kind = kind
        fields = map_headers(self.headers, kind)
        ranks = field_rank(fields, self.headers, kind)
        # Street numbers and second lines are written into the address they belong to.
        self.compose = address_groups(self.headers, fields)
        # INSEE headcount band codes ("12") read as their band ("20 à 49 salariés").
        self.bands = [i for i, name in enumerate(fields) if name == "headcount"
                      and "tranche" in normalize_header(self.headers[i]).split()]
        # "Nom Prénom" says the surname comes first: "Dupont Jean" is stored "Jean
        # Dupont" (its last word taken as the given name; "DUPONT Jean" is left as it is,
        # the capitals tell the names enricher).
        self.surname_first = [i for i, name in enumerate(fields) if name == "full_name"
                              and normalize_header(self.headers[i]) in _SURNAME_FIRST]
        # Whether composed() does anything.
        self.rewrites = bool(self.compose or self.bands or self.surname_first)
        joined = {i for _, before, after in self.compose for i in (*before, *after)}
        self.plan: list[tuple[int, str, float]] = []
        for index, name in enumerate(fields):
            if index in joined:
                continue
            if name in _ADDRESS_PARTS:
                name = None  # a street number with no street to go with: kept as is
            if name is None:
                self.plan.append((index, "extra:" + self.headers[index], FILE_CONFIDENCE))
            else:
                # "Secondary Email", "Home Phone", "Email 2": kept, ranked below the main one.
                confidence = SECONDARY_CONFIDENCE if ranks[index] else FILE_CONFIDENCE
                self.plan.append((index, name, confidence))
        self.id_index: int | None = None
        if id_column and not (line and _column_index(self.headers, id_column) is None):
            self.id_index = _find_column(self.headers, id_column, path)
            # The id column is lineage, not an extra attribute.
            self.plan = [p for p in self.plan if p[0] != self.id_index]
        self.extras = [self.headers[i] for i, name, _ in self.plan if name.startswith("extra:")]
        self.person_plan = [
            _person_step(*p, company=kind == "people" and p[1] in LOCATION_FIELDS
                         and company_location(self.headers[p[0]]),
                         header=normalize_header(self.headers[p[0]]))
            for p in self.plan
        ]
        self.labels = _phone_labels(self.headers, fields)

    def composed(self, cells: Sequence[str]) -> Sequence[str]:
        """``cells`` with each address written whole in its first line's column,
        headcount band codes as their band and surname-first names in the usual order."""
        if not self.rewrites:
            return cells
        cells = list(cells)
        for i in self.bands:
            band = TRANCHES.get(cells[i].strip().upper())
            if band is not None:
                cells[i] = band[2]
        for i in self.surname_first:
            words = cells[i].split()
            if len(words) >= 2 and "," not in cells[i] and not any(
                w.isupper() and len(w) > 1 for w in words  # DUPONT Jean: read as it is
            ):
                cells[i] = f"{words[-1]} {' '.join(words[:-1])}"  # the given name last
        for head, before, after in self.compose:
            start = " ".join(c for c in (_filled(cells[i]) for i in before) if c)
            first = _filled(cells[head])
            if start and first != start and not first.startswith(start + " "):
                first = f"{start} {first}".strip()
            rest = [c for c in (_filled(cells[i]) for i in after) if c]
            cells[head] = ", ".join([first, *rest] if first else rest)
        return cells

    def header_of(self, field_name: str) -> str:
        """The header of the column read as ``field_name``."""
        return next((self.headers[i] for i, name, _ in self.plan if name == field_name),
                    field_name)

    def values(self, cells: Sequence[str]) -> list[tuple[str, str, float]]:
        """The plan's fields that ``cells`` give, placeholders ("N/A", "-") left out."""
        out = []
        for index, name, confidence in self.plan:
            value = _filled(cells[index])
            if value:
                out.append((name, value, confidence))
        return out


# What _person_row does with a column, decided once per file (see _person_step).
(_P_FIELD, _P_COUNTRY, _P_NAME, _P_CONTACT, _P_EMAIL, _P_PHONE, _P_COMPANY, _P_OTHER,
 _P_OPT_OUT, _P_LOCATION, _P_BOUNCE, _P_NO_CALLS, _P_CIVILITY_OR_TITLE) = range(13)
# Columns whose values are read as flags: a placeholder there is read as the flag reads
# it (a do-not-call "N/A" keeps the calls out), not skipped as an empty cell.
_FLAG_KINDS = frozenset({_P_OPT_OUT, _P_BOUNCE, _P_NO_CALLS})
# Values of a do-not-call column that mean the flag is off. Any other non-empty value
# sets it: one we cannot read keeps the calls out rather than in.
_FLAG_OFF = frozenset({"0", "false", "no", "n", "non", "faux", "nein", "off"})
# A flag column set, as exports write it (HubSpot "true", Salesforce and Brevo "1").
_YES = frozenset({"1", "true", "yes", "y", "x", "oui", "vrai"})
# Values of an opt-out column that mean the person opted out (Pipedrive's marketing
# status "Unsubscribed" or "No consent" too).
_OPTED_OUT = _YES | {
    "unsubscribed", "opted out", "opted-out", "opt-out", "optout", "blacklisted",
    "no consent", "désabonné", "desabonne", "désinscrit", "desinscrit",
}
# Values of a bounce column that say the address bounced (a count above zero does too;
# any reason in a bounce-reason column does).
_BOUNCED = _YES | {"bounced", "hard bounce", "hard bounced", "hardbounce", "hard_bounce"}
_BOUNCE_FIELDS = frozenset({"email_bounced", "email_bounce_reason", "email_verdict"})
# What a source's verification column says, in the words of the tools that write one
# (Hunter, lemlist, Instantly, Snov, ZeroBounce, NeverBounce, Apollo),
# casefolded, "_" and "-" as spaces. Anything else ("unknown", "unverified", "guessed",
# "webmail") says nothing.
_SAID_INVALID = frozenset({
    "invalid", "not valid", "undeliverable", "bad", "mailbox not found", "mailbox unknown",
    "does not exist", "doesn t exist", "rejected", "spamtrap", "abuse", "do not mail",
    "invalide", "non valide", "non délivrable", "non delivrable", "inexistant",
})
_SAID_RISKY = frozenset({
    "risky", "accept all", "acceptall", "catch all", "catchall", "accept all unverifiable",
    "risque", "risqué",
})
_SAID_VALID = frozenset({
    "valid", "deliverable", "verified", "safe", "ok", "valide", "vérifié", "verifie",
    "délivrable", "delivrable",
})
_VERDICT_SEPARATORS = str.maketrans("_-", "  ")


def _said_verdict(value: str) -> tuple[str, tuple[str, ...]] | None:
    """(status, flags) a verification column's ``value`` states: ``invalid``,
    ``risky`` (catch-all flagged as such) or ``valid``; None when it states none."""
    text = " ".join(value.casefold().translate(_VERDICT_SEPARATORS).split())
    if text in _SAID_INVALID:
        return "invalid", ()
    if text in _SAID_RISKY:
        catch_all = "catch" in text or "accept" in text
        return "risky", ("catch_all",) if catch_all else ()
    if text in _SAID_VALID:
        return "valid", ()
    return None


_NAME_FIELDS = frozenset({"first_name", "last_name", "full_name"})
# A street address reaches someone too (direct mail), and is how a registry or consumer
# file tells people apart.
_CONTACT_FIELDS = frozenset({"linkedin_url", "address"})


def _says_bounced(field: str, value: str) -> bool:
    """Whether a bounce column's ``value`` says the address bounced: any reason in a
    reason column, else a flag, a count above zero or a status reading "bounced"."""
    if field == "email_bounce_reason":
        return True
    text = value.strip().casefold()
    if field == "email_verdict":  # a status, not a flag or a count
        return text in _BOUNCED and text not in _YES
    if text in _BOUNCED:
        return True
    try:
        return float(text.replace(",", ".")) > 0
    except ValueError:
        return False


def _json_strings(text: str) -> list[str] | None:
    """The non-empty items of a JSON list of strings or numbers (``[]`` for an empty
    list), or None for other text."""
    try:
        items = json.loads(text)
    except ValueError:
        return None
    if not isinstance(items, list) or not all(
        isinstance(i, str | int | float) and not isinstance(i, bool) for i in items
    ):
        return None
    found = [str(i).strip() for i in items]
    return [i for i in found if i]


def _person_step(index: int, name: str, confidence: float, *,
                 company: bool = False, header: str = "") -> tuple[Any, ...]:
    """(column index, what to do, field, confidence, company field, whether the fact
    needs no confidence of its own) for one column of a people file.

    ``company``: a location column named after the company ("Company City",
    "Organization - Address"): the company's fact (the same field) and the person's
    too, their place of work, but not a way to reach them. ``header``: the column's
    header, normalised."""
    target = None
    if name == "civility" and header == "title":
        # "Title" read as the civility beside a "Job Title" (Outlook's): row by row, a
        # value that is no civility is a job title (see _civility_only).
        kind = _P_CIVILITY_OR_TITLE
    elif name in _PERSON_FIELDS:
        kind = (_P_COUNTRY if name == "country" else _P_NAME if name in _NAME_FIELDS
                else _P_CONTACT if name in _CONTACT_FIELDS else _P_FIELD)
        if company:
            target = name
            if kind == _P_CONTACT:
                kind = _P_FIELD
    elif name == "email":
        kind = _P_EMAIL
    elif name in ("phone", "mobile_phone"):
        kind, name = _P_PHONE, "phone"
    elif name in COMPANY_FROM_PERSON:
        kind, target = _P_COMPANY, COMPANY_FROM_PERSON[name]
    elif name == "opt_out":
        kind = _P_OPT_OUT
    elif name in _BOUNCE_FIELDS:
        kind = _P_BOUNCE
    elif name == "do_not_call":
        kind = _P_NO_CALLS
    elif name == "location":
        kind = _P_LOCATION
    else:
        kind = _P_OTHER
    return index, kind, name, confidence, target, confidence == FILE_CONFIDENCE


@lru_cache(maxsize=1024)
def _civility_only(value: str) -> bool:
    """Whether a cell holds civilities alone ("Mr.", "Dr", "Mme", "Prof. Dr.", "Mr & Mrs"),
    not a job title ("CEO", "Sr. Software Engineer")."""
    from enrichers.names import is_civility

    words = [w for w in value.replace("&", " ").split() if w.casefold() not in _JOINS]
    return bool(words) and all(is_civility(w) for w in words)


_JOINS = frozenset({"and", "et", "und", "y", "e"})


def _phone_labels(headers: Sequence[str], fields: Sequence[str | None]) -> dict[int, int]:
    """For each number column whose kind another column gives row by row (Google
    Contacts' "Phone 1 - Value" beside "Phone 1 - Label": "Mobile", "Work Fax"), the
    index of that column."""
    labels: dict[int, int] = {}
    keys = {normalize_header(h): i for i, h in enumerate(headers)}
    for index, (header, mapped) in enumerate(zip(headers, fields, strict=True)):
        words = normalize_header(header).split()
        if mapped in ("phone", "mobile_phone") and len(words) > 1 and words[-1] == "value":
            stem = " ".join(words[:-1])
            label = keys.get(stem + " label", keys.get(stem + " type"))
            if label is not None:
                labels[index] = label
    return labels


# A number labelled so is no one's line to call or text: kept as an extra.
_NOT_A_LINE = re.compile(r"fax|pager|bipeur|t[ée]l[ée]copi", re.IGNORECASE)


def _column_index(headers: list[str], wanted: str) -> int | None:
    if wanted in headers:
        return headers.index(wanted)
    norm = normalize_header(wanted)
    for index, header in enumerate(headers):
        if normalize_header(header) == norm:
            return index
    return None


def _find_column(headers: list[str], wanted: str, path: Path) -> int:
    index = _column_index(headers, wanted)
    if index is not None:
        return index
    shown = shown_columns(headers)
    raise ConfigError(f"{path}: no column '{wanted}' for --id-column (columns: {shown})")


# Below this size a file is read and written in one process: starting a second one
# costs more than it saves. (2,000 rows, 260 KB: 0.235 s in two against 0.244 s in
# one; 4,500 rows, 600 KB: 0.34 s against 0.43 s; 1,000 rows: 0.19 s against 0.18 s.)
PARALLEL_MIN_BYTES = 256 << 10
# Indexes (name -> table) the import never reads: a file this large imported into an
# empty table builds them once at its end instead of entry by entry (Store.defer_indexes).
DEFERRED_INDEXES = {"people_email": "people"}
READ_CHUNK_ROWS = 10_000
FIRST_BATCH_ROWS = 1000  # the reader's first batch; each next one twice as large
# A chunk holds a row for every CHUNK_BYTES bytes of the file, between FIRST_BATCH_ROWS
# and READ_CHUNK_ROWS, read in one process or two (see _chunk_rows).
CHUNK_BYTES = 20_000
DEFER_INDEXES_MIN_BYTES = 1 << 20
IMPORT_CACHE_MIB = 192  # the page cache of a large import, against 128 MiB for other work


def import_path(
    store: Store,
    path: Path,
    state: RunState,
    *,
    kind: str = "people",
    source: str | None = None,
    id_column: str | None = None,
    batch_size: int = 10_000,
    matcher: SuppressionMatcher | None = None,
    progress: Progress | None = None,
    workers: int = 2,
) -> None:
    """Import one file into ``store``, adding its counts to ``state``.

    With ``workers`` > 1 and a large file, a second process reads and maps the next
    rows while this one writes the current batch (Linux, where it can be forked).
    """
    if kind not in ("people", "companies"):
        raise ConfigError(f"--kind must be 'people' or 'companies', not '{kind}'")
    source_name = source or path.stem
    matcher = matcher if matcher is not None else SuppressionMatcher.load(store.conn)
    # The reader hands over chunks of at most READ_CHUNK_ROWS rows (what two processes
    # hold at once); one transaction takes as many as batch_size rows. The chunks are the
    # same read in one process or two: a chunk's rows are observed at one time, and
    # where a file gives one company two values of equal standing, the later chunk's
    # wins, so the database does not depend on the platform or the file's size.
    size = path.stat().st_size
    parallel = workers > 1 and can_fork() and size >= PARALLEL_MIN_BYTES
    chunk = max(1, min(batch_size, _chunk_rows(size)))
    args = (path, kind, source_name, id_column, chunk, matcher, state.run_id)
    # A large file inserts at random places of four indexes (ids, statements' entities,
    # people's companies): a larger page cache keeps them in memory at a million rows.
    large = size >= DEFER_INDEXES_MIN_BYTES
    with store.page_cache(IMPORT_CACHE_MIB if large else 0), store.indexes_deferred(
        DEFERRED_INDEXES, state.run_id, when=kind == "people" and large,
    ), _few_collections():
        done = _write_batches(
            store, state, matcher, progress,
            _read_in_child(args) if parallel else _read_batches(*args), batch_size)
    if progress:
        progress(done, done)


def _chunk_rows(size: int) -> int:
    """Rows per chunk a file of ``size`` bytes is read in (the chunks the reading process
    hands over; one process reads the same ones).

    Small chunks cost the reader less (at 45,000 rows, 1.9 s of CPU against 2.1 s in
    chunks of 10,000) and keep both processes busy; each costs the writer a few
    milliseconds more, which a large store makes dearer. A thousand rows up to 20 MB
    (150,000 rows: 5.1 s against 5.8 s), up to READ_CHUNK_ROWS at 200 MB (1.5 million
    rows: 94 s against 101 s in chunks of a thousand).
    """
    return min(READ_CHUNK_ROWS, max(FIRST_BATCH_ROWS, size // CHUNK_BYTES))


@contextmanager
def _few_collections() -> Iterator[None]:
    """Collect cycles between batches only, while a file streams through.

    Reading a file allocates millions of short-lived objects and almost no cycles (a
    workbook's cells make a few); an automatic collection in the middle of a batch
    scans the objects of the batch being built, sent or written, and does it again a
    generation later: about a sixth of the reading process's time. Automatic collection
    is off for the import; :func:`_between_batches` collects the young generations
    where a batch is done with. What was alive before is frozen out of the scans.
    """
    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.unfreeze()


def _between_batches() -> None:
    """Collect the cycles of the batch just done with, when _few_collections holds."""
    if not gc.isenabled():
        gc.collect(1)


def _write_batches(
    store: Store, state: RunState, matcher: SuppressionMatcher, progress: Progress | None,
    batches: Iterator[_Batch | _End], commit_rows: int,
) -> int:
    """Write the batches, committing once at least ``commit_rows`` rows are written.

    Fewer, larger transactions write each index page touched by many rows once per
    commit instead of once per batch; a killed run loses at most the open one and a
    re-run converges all the same.
    """
    done = 0
    batches = iter(batches)
    # Companies' tag extras, kept from one transaction to the next while no other
    # connection commits in between (PRAGMA data_version stays the same).
    extras: dict[str | None, tuple[bool, bool]] = {}
    version = None
    while True:
        written: list[Callable[[], None]] = []  # each batch's counts, added once committed
        rows = 0
        # Companies that had a row and gained statements, rebuilt once before the commit
        # rather than after each batch that names them again.
        later: dict[str, list[Observation] | None] = {}
        folded: dict[tuple[str, str], Any] = {}  # their facts' keys (see Store.plan_facts)
        with store.write(), store.people_counts_at_end(), store.companies_cached(extras):
            if store.conn.execute("PRAGMA data_version").fetchone()[0] != version:
                extras.clear()
            for batch in batches:
                if isinstance(batch, _End):
                    state.add("blank", batch.blank)
                    state.add("repeated_headers", batch.repeated_headers)
                    if batch.message:
                        state.messages.append(batch.message)
                    continue
                written.append(_flush(store, batch, state, matcher, later, folded))
                rows += batch.rows
                done += batch.rows
                if progress:
                    progress(done, None)
                if rows >= commit_rows:
                    break
            if later:
                store.refresh_companies(list(later), observations={
                    c: obs for c, obs in later.items() if obs is not None})
        version = store.conn.execute("PRAGMA data_version").fetchone()[0]
        for add_counts in written:
            add_counts()
        _between_batches()
        if rows < commit_rows:  # the batches ran out
            return done


def _read_batches(
    path: Path, kind: str, source_name: str, id_column: str | None, batch_size: int,
    matcher: SuppressionMatcher, run_id: str, writer_idle: Callable[[], bool] | None = None,
) -> Iterator[_Batch | _End]:
    """The file's rows as prepared batches, then its :class:`_End`.

    ``writer_idle`` tells, in a reading process, whether the writer has nothing left to
    write: a batch prepared then leaves it the work :meth:`_Batch.prepare` can leave, so
    the slower of the two processes does less of it.
    """
    with open_tabular(path) as table:
        stmt_source = f"{table.kind}:{source_name}"
        mappers: dict[tuple[str, ...], _RowMapper] = {}
        mapper = _RowMapper(table.headers, kind, id_column, path) if table.kind == "csv" else None
        if mapper is None and id_column:
            # The keys of the file's first lines must hold it: a name mistyped is an error,
            # while a later line without it is a row without an id.
            _find_column(table.headers, id_column, path)
        file_label = path.name
        batch = _Batch(run_id)
        # The first batches are small and each is twice the last, up to batch_size: the
        # writer starts after a thousand rows instead of a full batch.
        size = min(batch_size, FIRST_BATCH_ROWS)
        lines: int | None = None  # the file's lines, counted once batches grow
        sent = 0
        written_companies: set[Any] = set()
        handle = _person_row if kind == "people" else _company_row
        ids = _RepeatedIds()
        for record in table.records():
            tally = batch.tally
            tally.add("read")
            batch.rows += 1
            if record.error:
                _quarantine(batch, tally, file_label, record, record.error)
            else:
                if mapper is None:
                    values = record.values or {}
                    keys = tuple(values)
                    row_mapper = mappers.get(keys)
                    if row_mapper is None:
                        row_mapper = mappers[keys] = _RowMapper(keys, kind, id_column, path,
                                                                line=True)
                    cells: Sequence[str] = list(values.values())
                else:
                    row_mapper, cells = mapper, record.cells or []
                if row_mapper.rewrites:
                    cells = row_mapper.composed(cells)
                reason = handle(
                    row_mapper, cells, record, batch, tally, stmt_source, source_name, matcher,
                    written_companies,
                )
                if reason:
                    _quarantine(batch, tally, file_label, record, reason, table.delimiter or ",")
                elif row_mapper.id_index is not None:
                    ids.see(cells[row_mapper.id_index].strip(), record.row)
            if batch.rows >= size:
                sent += batch.rows
                batch.prepare(people=not (writer_idle and writer_idle()))
                yield batch
                batch = _Batch(run_id)
                size = min(batch_size, 2 * size)
                if size > 2 * FIRST_BATCH_ROWS and table.sheet is None:
                    # Near the end, batches shrink again (half of what is left): the
                    # writer's last batch, written once reading is over, stays short.
                    if lines is None:
                        lines = _line_count(path)
                    if lines > sent:  # else not one row a line (a CR-only file)
                        size = max(FIRST_BATCH_ROWS, min(size, (lines - sent) // 2))
                _between_batches()
        if batch.rows:
            batch.prepare(people=not (writer_idle and writer_idle()))
            yield batch
        if table.sheet is not None:
            message: str | None = f"{path}: read as an Excel workbook, sheet {table.sheet!r}"
        elif table.kind == "csv":
            message = f"{path}: read as {table.encoding}, delimiter {table.delimiter!r}"
        else:
            message = None
        if message and mapper is not None and mapper.extras:
            # What no field reads ("fname" where "First Name" was meant) is kept, and said.
            message += (f"; {len(mapper.extras)} column(s) kept as extras, read as no field:"
                        f" {shown_columns(mapper.extras, 8)}")
        if ids.repeats:
            message = (message or f"{path}: read") + "; " + ids.said(id_column or "")
        if table.mojibake_suspected:
            # Said even for a JSONL file: its values were changed too.
            message = (message or f"{path}: read as {table.encoding}") + (
                "; mis-converted text repaired (UTF-8 read as cp1252 and saved again,"
                " like 'SociÃ©tÃ©' for 'Société')")
        if message and table.titles:
            shown = "; ".join(repr(t[:60]) for t in table.titles if t)
            message += f"; header on row {table.header_row} under title line(s) {shown}"
        yield _End(table.skipped_blank, table.skipped_headers, message)


class _RepeatedIds:
    """The rows of a file whose id an earlier row has: one record per id, so their
    values go to that record (a re-import's rows do the same), which is said."""

    def __init__(self) -> None:
        self.first_row: dict[str, int] = {}
        self.repeats = 0
        self.example: tuple[str, int, int] | None = None

    def see(self, value: str, row: int) -> None:
        if not value:
            return
        # As the record's id reads it: "A1" and "a1" are one record.
        first = self.first_row.setdefault(canonical_value(value), row)
        if first != row:
            self.repeats += 1
            if self.example is None:
                self.example = (value, first, row)

    def said(self, column: str) -> str:
        value, first, row = self.example or ("", 0, 0)
        return (f"{self.repeats} row(s) repeat the {column!r} of an earlier row (e.g."
                f" {value!r} on rows {first} and {row}): one record per id, its rows'"
                " values together")


def _line_count(path: Path) -> int:
    """Lines of a text file (a row each, but for line breaks inside quoted cells)."""
    count = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def _read_in_child(args: tuple[Any, ...]) -> Iterator[_Batch | _End]:
    """:func:`_read_batches` run in a forked process, one batch ahead of the writer.

    The pipe holds at most the batch being sent, so memory stays that of two batches.
    """
    with Child(_produce, (args,), doing=f"{args[0]}: the process reading the file",
               then="nothing of the unread rows was written") as child:
        while True:
            what, payload = child.recv()
            if what == "end":
                return
            yield payload


def _produce(writer: Any, args: tuple[Any, ...]) -> None:
    # Up to two batches wait in this process while the writer works, so reading goes
    # on when a batch takes the writer longer (a commit, a run of known entities).
    with QueuedSender(writer, depth=2) as sender:
        batches = _read_batches(*args, writer_idle=sender.idle)
        while (batch := next(batches, None)) is not None:
            sender.send(fast_pickle(("batch", batch)))
            # Gone before reading resumes, so collecting between batches skips it.
            del batch
    writer.send(("end", None))


_FIELD = operator.itemgetter(0)  # a fact's field


def _person_row(
    mapper: _RowMapper, cells: Sequence[str], record: Record, batch: _Batch, state: _Tally,
    stmt_source: str, source_name: str, matcher: SuppressionMatcher,
    written_companies: set[Any],
) -> str | None:
    person: list[Fact] = []
    company: list[Fact] = []
    emails: list[str] = []
    names: list[str] = []  # the name cells' values
    contact = False
    opted_out = False
    bounced = False
    verdict: tuple[str, tuple[str, ...]] | None = None
    company_name = domain = siren = named_site = None
    free_sites: list[tuple[str, str, str, str]] = []  # a mail provider's, see below
    for index, kind, name, confidence, target, plain in mapper.person_plan:
        value = cells[index].strip()
        if not value:
            continue
        if _is_placeholder(value) and kind not in _FLAG_KINDS:
            state.add("placeholder_cells")
            continue
        if len(value) > FIELD_MAX and kind != _P_OTHER:
            return _too_long(mapper.headers[index], len(value))
        if kind <= _P_CONTACT:  # a field of the person's own
            if kind == _P_COUNTRY:
                value = _country(value)
            elif kind == _P_NAME:
                names.append(value)
            elif kind == _P_CONTACT:
                contact = True
            person.append((name, value) if plain else (name, value, confidence))
            if target is not None:
                company.append((target, value))
            if name == "address" and "," in value:
                # "1 rue X, 69001 Lyon, France" in one cell (Pipedrive's organisation
                # address): its postcode, city and country, each below a column of its own.
                for part, part_value in _address_tail(value):
                    person.append((part, part_value, min(confidence, SECONDARY_CONFIDENCE)))
                    if target is not None:
                        company.append((part, part_value, SECONDARY_CONFIDENCE))
        elif kind == _P_EMAIL:
            for address in clean_emails(value):
                emails.append(address)
                person.append(("email", address) if len(emails) == 1 and plain else
                              ("email", address, SECONDARY_CONFIDENCE))
            contact = contact or bool(emails)
        elif kind == _P_PHONE:
            if mapper.labels and index in mapper.labels and _NOT_A_LINE.search(
                    cells[mapper.labels[index]]):
                person.append(("extra:" + mapper.headers[index], value))
                continue
            numbers = _json_strings(value) if value[0] == "[" else None
            if numbers is None:
                person.append(("phone", value) if plain else ("phone", value, confidence))
            else:  # a JSON list of numbers (a JSONL dump): the first leads, as for emails
                for i, number in enumerate(numbers):
                    person.append(("phone", number) if i == 0 and plain else
                                  ("phone", number, confidence if i == 0 else
                                   SECONDARY_CONFIDENCE))
            contact = contact or numbers != []
        elif kind == _P_COMPANY:
            if target == "country":
                value = _country(value)
            elif target in ("website", "domain") and (link := _site(value)[0]):
                # A profile or a page on a platform is no company's site, nor its domain
                # (every row's company would be "linkedin.com").
                if link == "person":
                    person.append(("linkedin_url", value) if plain else
                                  ("linkedin_url", value, confidence))
                    contact = True
                elif link == "company":
                    company.append(("linkedin_url", value))
                else:
                    person.append(("extra:" + mapper.headers[index], value))
                continue
            if target in ("website", "domain") and (
                    found := _site(value)[1]) in free_mail_domains():
                free_sites.append((mapper.headers[index], target, value, found))
                continue
            if target == "name" and (site := site_as_name(value)) is not None:
                # "acme.fr" in the company's column: the company's domain when written
                # as an address, and a name any other source writes better.
                company.append(("name", value, SECONDARY_CONFIDENCE))
                company_name = value
                if site[1]:
                    named_site = site[0]
                continue
            company.append((target, value))
            if target == "name":
                company_name = value
            elif target in ("domain", "website") and domain is None:
                domain = _site(value)[1]
            elif target == "siren":
                siren = _digits(value) if len(_digits(value)) == 9 else None
            elif target == "siret" and siren is None and len(_digits(value)) == 14:
                siren = _digits(value)[:9]
        elif kind == _P_OPT_OUT:
            opted_out = opted_out or value.casefold() in _OPTED_OUT
        elif kind == _P_NO_CALLS:
            # Stated either way, so that a later export can set or clear it (the newer
            # statement wins); the sequencer plans no call while it reads "true".
            off = value.casefold() in _FLAG_OFF
            person.append(("extra:do_not_call", "false" if off else "true"))
        elif kind == _P_BOUNCE:
            # Kept as it is written (Apollo's "Verified" says something too), and read.
            person.append(("extra:" + mapper.headers[index], value))
            bounced = bounced or _says_bounced(name, value)
            if name == "email_verdict" and verdict is None:
                verdict = _said_verdict(value)
        elif kind == _P_CIVILITY_OR_TITLE:
            if _civility_only(value):
                person.append(("civility", value) if plain else ("civility", value, confidence))
            else:
                # "CEO" under "Title" in a file that joins several tools' exports (Apollo's
                # rows write the job title there): a title, below the "Job Title" column's.
                person.append(("title", value, SECONDARY_CONFIDENCE))
        elif kind == _P_LOCATION:
            # Free text ("Lyon, Auvergne-Rhône-Alpes, France"): its parts, each below a
            # city, region or country column of the same file.
            for part, part_value in zip(("city", "region", "country"), _location(value),
                                        strict=True):
                if part_value:
                    person.append((part, part_value, min(confidence, SECONDARY_CONFIDENCE)))
        else:
            person.append((name, value))
    for header, target, value, site in free_sites:
        # "gmail.com" as a person's company domain (a tool filled it from a personal
        # address): no employer's site, and every such row's company would be one. Kept
        # in its column; Orange's orange.fr stays Orange's.
        if _names_mailbox_provider(company_name, site):
            company.append((target, value))
            domain = domain or site
        else:
            person.append(("extra:" + header, value))
    if not names and not contact and not (
            (company_name or domain or siren or named_site)
            and any(fact[0] in _ROLE_FIELDS for fact in person)):
        # A role at a named company ("DAF" at Acme, or Apollo's seniority "C suite" and
        # department "Finance": a CRM contact whose name and addresses were never filled
        # or were removed) is a record of the file like any other, listed by the export;
        # a row with neither is nobody.
        return "no name and no contact method"
    if not contact and not (company_name or domain or siren) and (
            # A digit in a name: "Total : 3", "Grand Totals (2 records)".
            any(c.isdigit() for name in names for c in name)
            or not any(c.strip() for c in cells[1:])):
        # A name alone, in the first cell only or with digits: a report's title, total
        # or footer line (Salesforce ends its exports with "Grand Totals (2 records)",
        # the organisation and "Confidential Information - Do Not Distribute").
        return "no contact method: a report's title, total or footer line, not a person"
    if opted_out:
        # The source says this person must not be emailed: their addresses join the
        # suppression list (with the batch) and the row is not stored, as a suppressed one.
        keys = [normalize_email_key(e) for e in emails]
        batch.opt_outs.extend(keys)
        for key in keys:  # the same address (or mailbox) later in the file too
            matcher.add_email(key)
        state.add("skipped")
        state.add("suppressed")
        state.add("opted_out")
        return None
    if emails and matcher.matches(emails):
        state.add("skipped")
        state.add("suppressed")
        return None
    if bounced and emails:
        # The file's own address: a CRM's or a vendor's bounce is about the one in its
        # email column.
        person.append(bounce_fact(emails[0]))
        state.add("bounced")
    elif verdict is not None and emails:
        # What the source's verification said of that address (see verdict_fact).
        person.append(verdict_fact(emails[0], *verdict))
        state.add("verdicts_read")
    locator = f"row={record.row}"
    now = batch.now
    company_id = None
    if domain is None:  # no website or domain column gave one
        domain = named_site
    if company_name or domain or siren:
        if domain and "domain" not in map(_FIELD, company):
            company.append(("domain", domain))
        company_id = _company_id(siren, domain, company_name)
        seen_key = (company_id, tuple(company))
        if seen_key not in written_companies:
            written_companies.add(seen_key)
            batch.add(batch.pending_companies, company_id, stmt_source, locator, now,
                      state.run_id, company)
        person.append(("company_id", company_id))
    id_value = cells[mapper.id_index].strip() if mapper.id_index is not None else ""
    if id_value:
        key = f"src:{source_name}:{id_value}"
        person.append(("source_id", f"{source_name}:{id_value}"))
    else:
        key = _natural_person_key(person, emails, company_id, source_name, record.row)
        person.append(("source_id", f"{source_name}:row-{record.row}"))
    batch.add(batch.pending_people, make_id("person", key), stmt_source, locator, now,
              state.run_id, person)
    state.add("written")
    return None


# What makes a row with a company but no name or contact method a role there.
_ROLE_FIELDS = frozenset({"title", "seniority", "department"})

# A bulk import meets the same companies row after row.
_company_id = lru_cache(maxsize=65536)(company_id_for)


def _names_mailbox_provider(name: str | None, domain: str) -> bool:
    """Whether a company name is the mail provider's own whose domain it is given
    (Orange at orange.fr, Yahoo at yahoo.com)."""
    label = domain.partition(".")[0]
    return bool(name) and label in name.casefold().replace("-", " ").split()


_country = lru_cache(maxsize=4096)(lambda value: normalize_country(value) or value)
_location = lru_cache(maxsize=16384)(parse_location)


_POSTCODE_CITY = re.compile(r"(\d{4,5})\s+([^\W\d][^,]*)")
# What follows a city on a French postal line: "Paris Cedex 08", "Paris 16e".
_CITY_TAIL = re.compile(r"(?i)\s+(?:cedex(?:\s+\d{1,3})?|\d{1,2}(?:e|er|ème|eme)?)$")


@lru_cache(maxsize=16384)
def _address_tail(value: str) -> tuple[tuple[str, str], ...]:
    """(field, value) pairs read off the end of a one-line postal address: ``…, 69001
    Lyon[, France]`` gives the postcode, the city and the country. Only a postcode before
    the city, after a street, and a country only after them: ``…, Atlanta, Georgia``
    gives nothing."""
    parts = [p.strip() for p in value.split(",") if p.strip()]
    country = normalize_country(parts[-1]) if len(parts) >= 3 else None
    if country is not None:
        parts = parts[:-1]
    found = _POSTCODE_CITY.fullmatch(parts[-1]) if len(parts) >= 2 else None
    if found is None:
        return ()
    city = _CITY_TAIL.sub("", found.group(2).strip())
    if not city or any(c.isdigit() for c in city):
        return ()
    tail = (("postcode", found.group(1)), ("city", city))
    return (*tail, ("country", country)) if country else tail


def _too_long(header: str, length: int) -> str:
    return (f"field too long: '{header}' holds {length:,} characters"
            f" (at most {FIELD_MAX:,} outside free-text columns)")


def _natural_person_key(
    person: list[Fact], emails: list[str], company_id: str | None, source_name: str, row: int
) -> str:
    roles = role_local_parts()
    for address in emails:
        key = normalize_email_key(address)
        if "@" in key and key.split("@", 1)[0] not in roles:
            return f"email:{key}"
    values = {f[0]: f[1] for f in person}
    if values.get("linkedin_url"):
        return f"li:{_linkedin_key(values['linkedin_url'])}"
    full = values.get("full_name") or " ".join(
        v for v in (values.get("first_name"), values.get("last_name")) if v
    )
    if full and company_id:
        return named_person_key(full, company_id)
    return f"row:{source_name}:{row}"


def _company_row(
    mapper: _RowMapper, cells: Sequence[str], record: Record, batch: _Batch, state: _Tally,
    stmt_source: str, source_name: str, matcher: SuppressionMatcher,
    written_companies: set[Any],
) -> str | None:
    company: list[Fact] = []
    name = domain = siren = named_site = None
    emails: list[str] = []
    for field_name, value, confidence in mapper.values(cells):
        if len(value) > FIELD_MAX and not field_name.startswith("extra:"):
            return _too_long(mapper.header_of(field_name), len(value))
        if field_name == "email":
            for address in clean_emails(value):
                emails.append(address)
                company.append(("email", address))
            continue
        if field_name == "country":
            value = _country(value)
        elif field_name in ("website", "domain") and (link := _site(value)[0]):
            # A LinkedIn page is the company's LinkedIn; another platform's page is kept
            # as an extra of its column, never read as the company's domain.
            field_name = "linkedin_url" if link == "company" else (
                "extra:" + mapper.header_of(field_name))
        site = site_as_name(value) if field_name == "name" else None
        if site is not None:  # "acme.fr" as the company's name (see _person_row)
            confidence = min(confidence, SECONDARY_CONFIDENCE)
            if site[1]:
                named_site = site[0]
        fact: Fact = (field_name, value) if confidence == FILE_CONFIDENCE else (
            field_name, value, confidence)
        company.append(fact)
        if field_name == "name" or (field_name == "legal_name" and name is None):
            name = value
        elif field_name in ("domain", "website") and domain is None:
            domain = _site(value)[1]
        elif field_name == "siren" and len(_digits(value)) == 9:
            siren = _digits(value)
        elif field_name == "siret" and siren is None and len(_digits(value)) == 14:
            siren = _digits(value)[:9]
    if domain is None:  # no website or domain column gave one
        domain = named_site
    if not (name or domain or siren):
        return "no company name, domain or identifier"
    if domain and not any(f[0] == "domain" for f in company):
        company.append(("domain", domain))
    id_value = cells[mapper.id_index].strip() if mapper.id_index is not None else ""
    if id_value:
        key = f"src:{source_name}:{id_value}"
        company.append(("source_id", f"{source_name}:{id_value}"))
    else:
        key = f"siren:{siren}" if siren else f"domain:{domain}" if domain else (
            f"name:{company_name_key(name or '')}")
        company.append(("source_id", f"{source_name}:row-{record.row}"))
    batch.add(batch.pending_companies, make_id("company", key), stmt_source,
              f"row={record.row}", batch.now, state.run_id, company)
    state.add("written")
    return None


def quarantine_row(
    file_label: str, record: Record, reason: str, run_id: str, now: str, delimiter: str = ",",
) -> dict[str, Any]:
    """The ``quarantine`` row of an input record that cannot be used, raw text included.

    The id hashes file, row, reason and raw text, so a line read twice (a CRM export
    both imported and read for signals, or imported again) is one quarantine row.
    """
    raw = record.raw
    if not raw and record.cells is not None:
        line = io.StringIO()
        csv.writer(line, delimiter=delimiter, lineterminator="").writerow(record.cells)
        raw = line.getvalue()
    elif not raw and record.values is not None:
        raw = dumps(record.values)
    # Surrogates (undecodable bytes kept by surrogateescape) cannot be stored as UTF-8.
    raw = raw.encode("utf-8", "backslashreplace").decode("utf-8")
    key = hashlib.sha1(
        f"{file_label}\x1f{record.row}\x1f{reason}\x1f{raw}".encode(), usedforsecurity=False
    ).hexdigest()[:20]
    return {"id": key, "source": file_label, "row": record.row, "field": None,
            "reason": reason, "raw": raw, "run_id": run_id, "created_at": now}


def _quarantine(
    batch: _Batch, state: _Tally, file_label: str, record: Record, reason: str,
    delimiter: str = ",",
) -> None:
    batch.quarantine.append(
        quarantine_row(file_label, record, reason, state.run_id, batch.now, delimiter)
    )
    state.add("quarantined")


def _flush(
    store: Store, batch: _Batch, state: RunState, matcher: SuppressionMatcher,
    later: dict[str, list[Observation] | None] | None = None,
    folded: dict[tuple[str, str], Any] | None = None,
) -> Callable[[], None]:
    """Write one batch into the open transaction; return what adds its counts to the
    run's, to call once that transaction commits.

    ``later`` takes the companies that already had a row, for the caller to rebuild
    before the commit (their people's tags follow then, see ``Store.refresh_companies``);
    without it they are rebuilt here. New companies are written here: the batch's people
    read them for their tags."""
    people: list[str] = []
    companies: list[str] = []
    added = 0
    known = None
    if batch.opt_outs:
        _suppress_opt_outs(store, batch.opt_outs, state.run_id)
        for key in batch.opt_outs:
            matcher.add_email(key)
    if batch.compact is not None:
        known = store.existing_entities({item[0] for item in batch.compact})
        batch.materialize(known)
    if batch.items or batch.quarantine or batch.ready:
        added, changed, known, loaded = store.state_facts(
            batch.items, batch.prepared, known=known, current=later,
            folded=folded if later is not None else None)
        if batch.ready:
            added += store.add_statements(batch.ready)
            changed.update(row[1] for row in batch.ready)
        companies = [c for c in batch.pending_companies if c in changed]
        if later is not None and known:
            # With every observation stating the facts read, the new ones added: the
            # rebuild need not read them again (the last batch's, when several name it).
            later.update((c, loaded.get(c)) for c in companies if c in known)
            companies = [c for c in companies if c not in known]
        if companies:
            store.refresh_companies(companies, batch.pending_companies, known=known,
                                    direct=batch.direct_companies)
        people = [p for p in batch.pending_people if p in changed]
        if people:
            store.refresh_people(people, batch.pending_people, matcher=matcher,
                                 known=known, direct=batch.direct_people)
        store.add_quarantine(batch.quarantine)
    counts = ({"statements_added": added} if batch.items or batch.quarantine or batch.ready
              else {})
    counts.update(batch.tally.counts)
    counts["people_touched"] = len(people)
    counts["companies_touched"] = len(companies)

    def apply() -> None:
        for key, amount in counts.items():
            state.add(key, amount)

    return apply


def _suppress_opt_outs(store: Store, keys: list[str], run_id: str) -> None:
    """Add the addresses of opted-out rows to the suppression list and flag the people
    already stored with them (in the batch's transaction)."""
    store.add_suppressions(
        (("email", k, email_hash(k), "opt-out column in an imported file")
         for k in dict.fromkeys(keys)), run_id)
    for key in dict.fromkeys(keys):
        for pid, merged_into in store.people_with_email(key):
            store.conn.execute("UPDATE people SET suppressed = 1 WHERE id IN (?, ?)",
                               (pid, merged_into or pid))


def check_readable(path: Path) -> None:
    """Refuse a path that is missing or not a file before the run starts."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a file")

