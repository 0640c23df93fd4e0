"""The score stage: ICP fit, behavioural signals, lifecycle stage and temperature.

Every person still in the store (``people WHERE merged_into IS NULL``) gets:

* a **fit** score from the ICP's ``[scoring.fit]`` grid (title, seniority, department,
  country, industry code, headcount, legal form, website language, activity keywords);
* a **signal** score from ``[[scoring.signals]]`` rules over their activities (web
  visits, product usage, email engagement) and their company's facts (open positions,
  technologies), each signal decaying with its age;
* a **stage**, decided in this order (the first that applies wins):

  1. ``opted_out``: on the suppression list, or unsubscribed;
  2. ``customer``: marked customer by the CRM, or their company's domain or SIREN is in
     the ICP's ``customer_domains`` / ``customer_sirens``;
  3. ``sql``: marked sales-qualified by the CRM (sales' judgement wins over the
     automatic disqualifiers below);
  4. ``disqualified``: a competitor (email or company domain), a student or a school,
     only a free-mail address (when the ICP says so), or a fit below ``min_fit``;
  5. ``pql``: at least ``pql.min_events`` product-usage events in ``pql.window_days``
     (unless the total already reaches ``sql``);
  6. ``suspect``: no email or phone known yet (not known to be invalid), whatever the
     score: nobody is qualified who cannot be reached;
  7. ``sql``: total ≥ ``sql``;
  8. ``mql``: total ≥ ``mql``;
  9. ``lead``: everyone else (a contact is known, the total is below ``mql``);

* a **temperature**: ``hot`` when a person signal is at most ``hot_days`` old and the
  total reaches ``hot_score``; ``warm`` when a person signal is at most ``warm_days``
  old or the total reaches ``warm_score``; else ``cold``. People who are not prospected
  (opted out, customers, disqualified) are ``cold``.

The verdict and its reasons (rule → points) go to the ``scores`` table; the
``people.stage``, ``score`` and ``temperature`` columns copy it. Re-running with the same
data, ICP and ``as_of`` writes nothing.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from prospecting.dates import iso_moment
from prospecting.icp import (
    PERSON_SIGNAL_KINDS,
    Icp,
    SignalRule,
    normalize_country,
)
from prospecting.models import dumps, strip_accents
from prospecting.privacy import SuppressionMatcher, normalize_email_key
from prospecting.runs import Progress, RunState
from prospecting.store import Store, chunked, utc_now

__all__ = [
    "NEWSLETTER_STAGES",
    "NOT_PROSPECTED",
    "STAGES",
    "TEMPERATURES",
    "Counts",
    "Reason",
    "Verdict",
    "explain_person",
    "find_people",
    "parse_as_of",
    "score_people",
    "score_person",
]

STAGES = ("suspect", "lead", "mql", "sql", "pql", "customer", "opted_out", "disqualified")
TEMPERATURES = ("hot", "warm", "cold")
# Stages whose people are never in an outreach list (the sequences branch reads this too).
NOT_PROSPECTED = frozenset({"disqualified", "customer", "opted_out"})
# Who goes to the low-cost newsletter list instead (unless suppressed): the disqualified
# and existing customers; never the opted out.
NEWSLETTER_STAGES = frozenset({"disqualified", "customer"})

# Company facts written by the crawler, read as signals or fit.
COMPANY_FACT_FIELDS = ("open_positions", "careers_url", "technology", "site_language")
# Activities that say something about the person's stage rather than their interest.
MARK_KINDS = ("sales_qualified", "customer", "unsubscribe")


@dataclass(frozen=True)
class Reason:
    """One rule that gave points or decided the stage."""

    part: str  # fit | signal | stage | temperature
    rule: str
    points: float
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"part": self.part, "rule": self.rule, "points": self.points,
                "detail": self.detail}


@dataclass
class Verdict:
    """What the score stage decided for one person."""

    person_id: str
    fit: float
    signal: float
    stage: str
    temperature: str
    disqualified_reason: str | None = None
    reasons: list[Reason] = field(default_factory=list)
    last_signal_at: str | None = None

    @property
    def total(self) -> float:
        return round(self.fit + self.signal, 2)


@dataclass(frozen=True)
class Activity:
    kind: str
    detail: str | None
    occurred_at: datetime | None


@dataclass(frozen=True)
class CompanyFact:
    field: str
    value: str
    observed_at: datetime | None


# ---------------------------------------------------------------------------------------------
# Text matching


@functools.lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    """Lower case, no accents, punctuation to single spaces: 'Directeur-Commercial' -> ...

    Cached: titles, company names and the ICP's words repeat across a whole run.
    """
    bare = strip_accents(text.casefold())
    return " ".join(_NON_WORD.sub(" ", bare).split())


_NON_WORD = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=256)
def _words_pattern(words: tuple[str, ...]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """One regex finding any of ``words`` as whole words in folded text, and the written
    form of each folded word (the first listed wins)."""
    folded: dict[str, str] = {}
    for word in words:
        folded.setdefault(_fold(word), word)
    folded.pop("", None)
    if not folded:
        return None, {}
    alternatives = "|".join(re.escape(w) for w in sorted(folded, key=len, reverse=True))
    return re.compile(rf"(?:^| )({alternatives})(?= |$)"), folded


def _first_word(texts: Iterable[str], words: tuple[str, ...]) -> str | None:
    """The listed word (as written) found first in any of the folded ``texts``, in list
    order."""
    pattern, _ = _words_pattern(words)
    if pattern is None:
        return None
    found = {m.group(1) for text in texts if text for m in pattern.finditer(text)}
    if not found:
        return None
    return next(w for w in words if _fold(w) in found)


def parse_as_of(value: str | None) -> datetime:
    """``--as-of`` (a date or date-time) or now; the moment signal ages are counted from."""
    if value is None:
        return datetime.now(UTC)
    from prospecting.errors import ConfigError

    moment = iso_moment(value)
    if moment is None:
        raise ConfigError(f"--as-of: '{value}' is not a date (YYYY-MM-DD) or ISO date-time")
    return moment


def _headcount_value(text: str | None) -> int | None:
    """The lower bound of a headcount as registries and CRMs write it.

    '42' -> 42; '50-99', '50 à 99 salariés' -> 50; '10 000+' -> 10000; '1,200' -> 1200.
    """
    if not text:
        return None
    cleaned = re.sub(r"(?<=\d)[\s\u00a0\u202f.,](?=\d{3}\b)", "", str(text))
    match = re.search(r"\d+", cleaned)
    return int(match.group()) if match else None


def _code_key(code: str | None) -> str:
    return re.sub(r"[^0-9A-Z]", "", (code or "").upper())


def _email_key(email: str) -> str:
    """:func:`normalize_email_key`, without its Unicode work for a plain ASCII address
    (the same result: NFC, invisible characters and IDNA change nothing there)."""
    if email.isascii():
        local, at, domain = email.strip().lower().rpartition("@")
        return f"{local}@{domain.rstrip('.')}" if at else domain
    return normalize_email_key(email)


def _email_domain(email: str) -> str:
    return _email_key(email).rpartition("@")[2]


def _host(url_or_domain: str | None) -> str:
    if not url_or_domain:
        return ""
    text = url_or_domain.strip().lower()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text)
    text = text.split("/", 1)[0].split(":", 1)[0].rstrip(".")
    return text.removeprefix("www.")


def _under(domain: str, listed: Iterable[str]) -> str | None:
    """The listed domain that ``domain`` is, or is a subdomain of."""
    if not domain:
        return None
    for item in listed:
        if domain == item or domain.endswith("." + item):
            return item
    return None


# ---------------------------------------------------------------------------------------------
# One person


def _fit(icp: Icp, person: Mapping[str, Any], company: Mapping[str, Any] | None,
         facts: list[CompanyFact], reasons: list[Reason]) -> float:
    grid = icp.scoring.fit
    firmo = icp.firmographics
    total = 0.0

    def give(rule: str, points: float, detail: str) -> None:
        nonlocal total
        if points:
            total += points
            reasons.append(Reason("fit", rule, round(points, 2), detail))

    title = _fold(person.get("title") or "")
    if title and grid.title:
        for persona in icp.personas:
            hit = _first_word([title], persona.titles)
            if hit:
                give("title", grid.title, f"title matches persona '{persona.name}' ({hit})")
                break

    # Seniority and department: the grid's table, else the personas' values at the default.
    for kind, table, default, of_persona in (
        ("seniority", grid.seniority, grid.seniority_default, "seniorities"),
        ("department", grid.department, grid.department_default, "departments"),
    ):
        value = person.get(kind)
        if value:
            if table is None:
                table = {v: default for p in icp.personas for v in getattr(p, of_persona)}
            if value in table:
                give(kind, table[value], f"{kind} {value}")

    country_text = person.get("country") or (company or {}).get("country")
    country = normalize_country(country_text) if country_text else None
    if country:
        table = grid.country
        if table is None:
            table = dict.fromkeys(firmo.countries, grid.country_default)
        if country in table:
            give("country", table[country], f"country {country}")

    if company:
        codes = [c for c in (company.get("naf"), company.get("industry")) if c]
        table = grid.industry
        if table is None:
            table = {i.code: grid.industry_default for i in firmo.industries}
        best: tuple[int, str, str] | None = None
        for code in codes:
            key = _code_key(code)
            for listed in table:
                listed_key = _code_key(listed)
                if listed_key and key.startswith(listed_key) and (
                    best is None or len(listed_key) > best[0]
                ):
                    best = (len(listed_key), listed, code)
        if best:
            give("industry", table[best[1]], f"industry {best[2]} (grid {best[1]})")

        headcount = _headcount_value(company.get("headcount"))
        if headcount is not None:
            if grid.headcount is not None:
                ranges = [(r.min, r.max, r.points) for r in grid.headcount]
            else:
                ranges = [(r.min, r.max, grid.headcount_default) for r in firmo.headcount]
            for low, high, points in ranges:
                if low <= headcount and (high is None or headcount <= high):
                    shown = f"{low}-{high}" if high is not None else f"{low}+"
                    give("headcount", points, f"headcount {company.get('headcount')} in {shown}")
                    break

        form = company.get("legal_form")
        if form:
            table = grid.legal_form
            if table is None:
                table = dict.fromkeys(firmo.legal_forms, grid.legal_form_default)
            folded = {_fold(k): (k, v) for k, v in table.items()}
            hit = folded.get(_fold(form))
            if hit:
                give("legal_form", hit[1], f"legal form {form}")

        if firmo.keywords and grid.keyword:
            about = _fold(" ".join(
                str(company.get(k) or "") for k in ("name", "legal_name", "industry")
            ))
            word = _first_word([about], firmo.keywords)
            if word:
                give("keyword", grid.keyword, f"company matches keyword '{word}'")

    if grid.site_language:
        languages = {f.value.strip().lower()[:2] for f in facts if f.field == "site_language"}
        table = {k.lower(): v for k, v in grid.site_language.items()}
        hit = next((lang for lang in sorted(languages) if lang in table), None)
        if hit:
            give("site_language", table[hit], f"website in '{hit}'")
    return round(total, 2)


def _signal_items(
    rule: SignalRule, activities: list[Activity], facts: list[CompanyFact]
) -> list[tuple[datetime | None, str]]:
    """The (time, label) of each signal the rule counts, before windows and decay."""
    wanted = [w.casefold() for w in rule.detail_contains]

    def keep(detail: str | None) -> bool:
        return not wanted or any(w in (detail or "").casefold() for w in wanted)

    if rule.kind in PERSON_SIGNAL_KINDS:
        return [(a.occurred_at, a.detail or rule.kind) for a in activities
                if a.kind == rule.kind and keep(a.detail)]
    if rule.kind == "hiring":
        positions = [f for f in facts if f.field == "open_positions"]
        if not positions:
            return []
        newest = max(positions, key=lambda f: f.observed_at or datetime.min.replace(tzinfo=UTC))
        try:
            count = int(float(newest.value))
        except ValueError:
            return []
        if count >= rule.min_count:
            return [(newest.observed_at, f"{count} open position(s)")]
        return []
    if rule.kind == "technology":
        seen: dict[str, CompanyFact] = {}
        for f in facts:
            if f.field == "technology" and keep(f.value):
                held = seen.get(f.value.casefold())
                if held is None or (f.observed_at and (held.observed_at is None
                                                       or f.observed_at > held.observed_at)):
                    seen[f.value.casefold()] = f
        return [(f.observed_at, f.value) for f in seen.values()]
    return []


def _signals(icp: Icp, activities: list[Activity], facts: list[CompanyFact],
             as_of: datetime, reasons: list[Reason]) -> float:
    if not activities and not facts:
        return 0.0  # most people: nothing to count
    total = 0.0
    for rule in icp.scoring.signals:
        items = _signal_items(rule, activities, facts)
        points = 0.0
        counted: list[tuple[datetime | None, str]] = []
        for moment, label in items:
            age = 0.0 if moment is None else max(0.0, (as_of - moment).total_seconds() / 86400)
            if rule.window_days is not None and age > rule.window_days:
                continue
            if moment is not None and moment > as_of:
                continue  # after the scoring date: not known yet at as_of
            weight = 0.5 ** (age / rule.half_life_days) if rule.half_life_days else 1.0
            points += rule.points * weight
            counted.append((moment, label))
        if not counted:
            continue
        if rule.max_points is not None and abs(points) > abs(rule.max_points):
            points = math.copysign(abs(rule.max_points), points)
        points = round(points, 2)
        if not points:
            continue
        total += points
        dated = [m for m, _ in counted if m is not None]
        last = f", last {max(dated).date().isoformat()}" if dated else ""
        labels = sorted({label for _, label in counted})
        shown = ", ".join(labels[:3]) + (f" (+{len(labels) - 3} more)" if len(labels) > 3 else "")
        reasons.append(Reason(
            "signal", rule.name or rule.kind, points,
            f"{len(counted)} × {rule.kind}{last}: {shown}",
        ))
    return round(total, 2)


def score_person(
    icp: Icp, person: Mapping[str, Any], company: Mapping[str, Any] | None,
    activities: list[Activity], facts: list[CompanyFact], *, as_of: datetime,
    suppressed: bool = False,
) -> Verdict:
    """The verdict for one person (pure: everything it needs is passed in).

    ``person`` is a ``people`` row (``emails`` as a list of dicts or JSON text),
    ``company`` a ``companies`` row or None.
    """
    reasons: list[Reason] = []
    fit = _fit(icp, person, company, facts, reasons)
    signal = _signals(icp, activities, facts, as_of, reasons)
    total = round(fit + signal, 2)
    scoring, exclusions = icp.scoring, icp.exclusions

    emails = person.get("emails") or []
    if isinstance(emails, str):
        emails = json.loads(emails)
    email_domains = [_email_domain(e["value"]) for e in emails if "@" in e.get("value", "")]
    company = company or {}
    company_domains = [d for d in (_host(company.get("domain")), _host(company.get("website")))
                       if d]
    kinds = {a.kind for a in activities}

    stage: str | None = None
    why: str | None = None
    disqualified: list[str] = []
    if suppressed:
        stage, why = "opted_out", "on the suppression list"
    elif "unsubscribe" in kinds:
        stage, why = "opted_out", "unsubscribed"
    if stage is None:
        if "customer" in kinds:
            stage, why = "customer", "marked customer by the CRM"
        else:
            hit = next((h for d in company_domains + email_domains
                        if (h := _under(d, exclusions.customer_domains))), None)
            if hit:
                stage, why = "customer", f"customer domain {hit}"
            elif (siren := re.sub(r"\D", "", str(company.get("siren") or ""))) and (
                siren in exclusions.customer_sirens
            ):
                stage, why = "customer", f"customer SIREN {siren}"
    competitor = next((h for d in email_domains + company_domains
                       if (h := _under(d, exclusions.competitor_domains))), None)
    if competitor:
        disqualified.append(f"competitor ({competitor})")
    if exclusions.students:
        about = [_fold(person.get("title") or ""), _fold(company.get("name") or ""),
                 _fold(company.get("legal_name") or "")]
        word = _first_word(about, exclusions.school_keywords)
        if word:
            disqualified.append(f"student or school ('{word}')")
    if exclusions.personal_freemail_only and emails and all(
        "free" in (e.get("flags") or ()) for e in emails
    ):
        disqualified.append("personal free-mail address only")
    if fit < scoring.min_fit:
        disqualified.append(f"too few points (fit {fit:g} < {scoring.min_fit:g})")
    if stage is None and "sales_qualified" in kinds:
        # Sales' own judgement wins over the automatic disqualifiers (not over an
        # opt-out or a customer).
        stage, why = "sql", "marked sales-qualified by the CRM"
    if stage is None and disqualified:
        stage, why = "disqualified", disqualified[0]

    if stage is None:
        usage = [a for a in activities if a.kind == "product_usage"]
        recent_usage = [
            a for a in usage if a.occurred_at is None
            or 0 <= (as_of - a.occurred_at).total_seconds() / 86400 <= scoring.pql.window_days
        ]
        contact = "email" if person.get("email") else "phone" if person.get("phone") else None
        if len(recent_usage) >= scoring.pql.min_events and total < scoring.sql:
            stage, why = "pql", (
                f"{len(recent_usage)} product-usage events in {scoring.pql.window_days:g} days"
                f" (≥ {scoring.pql.min_events})"
            )
        elif contact is None:
            # A lead before anything else: nobody is qualified who cannot be reached.
            stage, why = "suspect", "fits the ICP, no email or phone yet" + (
                f" (total {total:g} would make an {'sql' if total >= scoring.sql else 'mql'})"
                if total >= scoring.mql else ""
            )
        elif total >= scoring.sql:
            stage, why = "sql", f"total {total:g} ≥ sql threshold {scoring.sql:g}"
        elif total >= scoring.mql:
            stage, why = "mql", f"total {total:g} ≥ mql threshold {scoring.mql:g}"
        else:
            stage, why = "lead", f"contact known ({contact}), total {total:g} < mql {scoring.mql:g}"
    reasons.append(Reason("stage", stage, 0.0, why or stage))
    for other in disqualified:
        if other != why:
            reasons.append(Reason("stage", "disqualifier", 0.0, other))

    engagement = [a.occurred_at for a in activities
                  if a.kind in PERSON_SIGNAL_KINDS and a.occurred_at is not None
                  and a.occurred_at <= as_of]
    last = max(engagement) if engagement else None
    age = (as_of - last).total_seconds() / 86400 if last else None
    heat = icp.temperature
    if stage in NOT_PROSPECTED:
        temperature, t_why = "cold", f"not prospected ({stage})"
    elif age is not None and age <= heat.hot_days and total >= heat.hot_score:
        temperature, t_why = "hot", (
            f"signal {age:.0f} day(s) ago (≤ {heat.hot_days:g}) and total {total:g} ≥ "
            f"{heat.hot_score:g}"
        )
    elif age is not None and age <= heat.warm_days:
        temperature, t_why = "warm", f"signal {age:.0f} day(s) ago (≤ {heat.warm_days:g})"
    elif total >= heat.warm_score:
        temperature, t_why = "warm", f"total {total:g} ≥ {heat.warm_score:g}"
    else:
        temperature, t_why = "cold", (
            "no recent signal" + (f" (last {age:.0f} days ago)" if age is not None else "")
            + f" and total {total:g} < {heat.warm_score:g}"
        )
    reasons.append(Reason("temperature", temperature, 0.0, t_why))
    return Verdict(
        person_id=str(person["id"]), fit=fit, signal=signal, stage=stage,
        temperature=temperature,
        disqualified_reason=why if stage == "disqualified" else None,
        reasons=reasons, last_signal_at=last.isoformat() if last else None,
    )


# ---------------------------------------------------------------------------------------------
# The stage over the store

_PEOPLE_KEYS = ("id", "first_name", "last_name", "title", "seniority", "department", "email",
                "emails", "phone", "country", "company_id", "suppressed")
_COMPANY_KEYS = ("id", "name", "legal_name", "legal_form", "domain", "website", "country",
                 "industry", "naf", "headcount", "siren")


def _people_batches(store: Store, size: int) -> Iterator[list[dict[str, Any]]]:
    """The active people, ``size`` at a time, in table order (by ``seq``): through the
    index of ids, each row was read from wherever it lies (at a million people, 12.9 s
    of reading against 1.9 s)."""
    last = -1
    while True:
        rows = store.conn.execute(
            f"SELECT seq, {', '.join(_PEOPLE_KEYS)} FROM people"
            " WHERE merged_into IS NULL AND seq > ? ORDER BY seq LIMIT ?", (last, size)
        ).fetchall()
        if not rows:
            return
        yield [dict(zip(_PEOPLE_KEYS, r[1:], strict=True)) for r in rows]
        last = rows[-1][0]


def _companies(store: Store, ids: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for chunk in chunked(ids, 500):
        marks = ", ".join("?" for _ in chunk)
        for row in store.conn.execute(
            f"SELECT {', '.join(_COMPANY_KEYS)} FROM companies WHERE id IN ({marks})", chunk
        ):
            found[row[0]] = dict(zip(_COMPANY_KEYS, row, strict=True))
    return found


def _company_facts(store: Store, ids: list[str]) -> dict[str, list[CompanyFact]]:
    found: dict[str, list[CompanyFact]] = {}
    fields = ", ".join(f"'{f}'" for f in COMPANY_FACT_FIELDS)
    for chunk in chunked(ids, 500):
        marks = ", ".join("?" for _ in chunk)
        for entity_id, name, value, observed_at in store.conn.execute(
            "SELECT entity_id, field, value, observed_at FROM observations"
            f" WHERE entity_id IN ({marks}) AND field IN ({fields})", chunk
        ):
            if value is None:
                continue
            found.setdefault(entity_id, []).append(
                CompanyFact(name, str(value), iso_moment(observed_at))
            )
    return found


def _merged_into(store: Store) -> dict[str, list[str]]:
    """Golden record id -> ids merged into it (read once: merged_into has no index)."""
    merged: dict[str, list[str]] = {}
    for pid, golden in store.conn.execute(
        "SELECT id, merged_into FROM people WHERE merged_into IS NOT NULL"
    ):
        merged.setdefault(golden, []).append(pid)
    return merged


def _activities(
    store: Store, people: list[dict[str, Any]], merged: Mapping[str, list[str]]
) -> dict[str, list[Activity]]:
    """Each person's activities: theirs, those of people merged into them, and those
    recorded against any of their addresses."""
    owner: dict[str, str] = {p["id"]: p["id"] for p in people}
    for p in people:
        for old_id in merged.get(p["id"], ()):
            owner[old_id] = p["id"]
    by_hash: dict[str, str] = {}
    for p in people:
        emails = json.loads(p["emails"] or "[]")
        for e in emails:
            digest = hashlib.sha256(_email_key(e["value"]).encode()).hexdigest()
            by_hash.setdefault(digest, p["id"])
    found: dict[str, dict[str, Activity]] = {}
    query = ("SELECT id, person_id, email_sha256, kind, detail, occurred_at FROM activities"
             " WHERE {col} IN ({marks})")
    for col, keys in (("person_id", list(owner)), ("email_sha256", list(by_hash))):
        for chunk in chunked(keys, 500):
            marks = ", ".join("?" for _ in chunk)
            for aid, pid, digest, kind, detail, occurred_at in store.conn.execute(
                query.format(col=col, marks=marks), chunk
            ):
                golden = owner.get(pid) if pid else None
                golden = golden or by_hash.get(digest or "")
                if golden:
                    found.setdefault(golden, {})[aid] = Activity(
                        kind, detail, iso_moment(occurred_at)
                    )
    return {pid: list(items.values()) for pid, items in found.items()}


def score_people(
    store: Store, state: RunState, icp: Icp, *, as_of: datetime, icp_hash: str | None = None,
    batch_size: int = 2000, progress: Progress | None = None,
) -> Counts:
    """Score every person; write the verdicts that changed. Returns counts per stage,
    temperature and disqualification reason."""
    matcher = SuppressionMatcher.load(store.conn)
    merged = _merged_into(store)
    counts = Counts()
    as_of_text = as_of.isoformat()
    done = 0
    for people in _people_batches(store, batch_size):
        company_ids = sorted({p["company_id"] for p in people if p["company_id"]})
        companies = _companies(store, company_ids)
        facts = _company_facts(store, company_ids)
        activities = _activities(store, people, merged)
        existing = _existing(store, [p["id"] for p in people])
        now = utc_now()
        rows, people_rows = [], []
        touched: list[tuple[str, str, str]] = []
        for person in people:
            state.add("read")
            emails = json.loads(person["emails"] or "[]")
            suppressed = bool(person["suppressed"]) or matcher.matches(
                e["value"] for e in emails
            )
            company = companies.get(person["company_id"]) if person["company_id"] else None
            verdict = score_person(
                icp, {**person, "emails": emails}, company,
                activities.get(person["id"], []),
                facts.get(person["company_id"], []) if person["company_id"] else [],
                as_of=as_of, suppressed=suppressed,
            )
            counts.add(verdict)
            reasons = dumps([r.as_dict() for r in verdict.reasons])
            key = (verdict.fit, verdict.signal, verdict.total, verdict.stage,
                   verdict.temperature, verdict.disqualified_reason, reasons,
                   verdict.last_signal_at, icp_hash)
            held = existing.get(person["id"])
            if held is not None and held[:9] == key and held[9] == (
                verdict.stage, verdict.total, verdict.temperature
            ):
                state.add("unchanged")
                if held[10]:  # data changed since, same verdict: mark it checked again
                    touched.append((now, state.run_id, person["id"]))
                continue
            rows.append((person["id"], *key, as_of_text, state.run_id, now))
            people_rows.append((verdict.stage, verdict.total, verdict.temperature, person["id"]))
        if touched:
            with store.write():
                store.conn.executemany(
                    "UPDATE scores SET scored_at = ?, run_id = ? WHERE person_id = ?", touched
                )
        if rows:
            with store.write():
                store.conn.executemany(
                    "INSERT INTO scores (person_id, fit, signal, total, stage, temperature,"
                    " disqualified_reason, reasons, last_signal_at, icp_hash, as_of, run_id,"
                    " scored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT(person_id) DO UPDATE SET fit = excluded.fit,"
                    " signal = excluded.signal, total = excluded.total,"
                    " stage = excluded.stage, temperature = excluded.temperature,"
                    " disqualified_reason = excluded.disqualified_reason,"
                    " reasons = excluded.reasons, last_signal_at = excluded.last_signal_at,"
                    " icp_hash = excluded.icp_hash, as_of = excluded.as_of,"
                    " run_id = excluded.run_id, scored_at = excluded.scored_at",
                    rows,
                )
                store.conn.executemany(
                    "UPDATE people SET stage = ?, score = ?, temperature = ? WHERE id = ?",
                    people_rows,
                )
            state.add("written", len(rows))
        done += len(people)
        if progress:
            progress(done, None)
    with store.write():
        # Verdicts of people merged away or gone since: the golden record carries theirs.
        gone = store.conn.execute(
            "DELETE FROM scores WHERE person_id NOT IN"
            " (SELECT id FROM people WHERE merged_into IS NULL)"
        ).rowcount
    if gone:
        state.add("scores_removed", gone)
    if progress:
        progress(done, done)
    return counts


def _existing(store: Store, ids: list[str]) -> dict[str, tuple[Any, ...]]:
    found: dict[str, tuple[Any, ...]] = {}
    for chunk in chunked(ids, 500):
        marks = ", ".join("?" for _ in chunk)
        for row in store.conn.execute(
            "SELECT s.person_id, s.fit, s.signal, s.total, s.stage, s.temperature,"
            " s.disqualified_reason, s.reasons, s.last_signal_at, s.icp_hash,"
            " p.stage, p.score, p.temperature, p.updated_at > s.scored_at"
            " FROM scores AS s JOIN people AS p ON p.id = s.person_id"
            f" WHERE s.person_id IN ({marks})", chunk
        ):
            found[row[0]] = (*row[1:10], (row[10], row[11], row[12]), bool(row[13]))
    return found


@dataclass
class Counts:
    """People per stage, temperature and disqualification reason, for the run's report."""

    stages: dict[str, int] = field(default_factory=dict)
    temperatures: dict[str, int] = field(default_factory=dict)
    disqualified: dict[str, int] = field(default_factory=dict)

    def add(self, verdict: Verdict) -> None:
        self.stages[verdict.stage] = self.stages.get(verdict.stage, 0) + 1
        self.temperatures[verdict.temperature] = self.temperatures.get(verdict.temperature, 0) + 1
        if verdict.stage == "disqualified" and verdict.disqualified_reason:
            kind = verdict.disqualified_reason.split(" (")[0]
            self.disqualified[kind] = self.disqualified.get(kind, 0) + 1


# ---------------------------------------------------------------------------------------------
# Explaining


def find_people(store: Store, who: str) -> list[str]:
    """Ids of the people (golden records) with this address, or this person id."""
    who = who.strip()
    if who.startswith("p_"):
        row = store.conn.execute(
            "SELECT coalesce(merged_into, id) FROM people WHERE id = ?", (who,)
        ).fetchone()
        return [row[0]] if row else []
    key = normalize_email_key(who)
    found: list[str] = []
    for pid, merged_into in store.people_with_email(key):
        golden = merged_into or pid
        if golden not in found:
            found.append(golden)
    return found


def explain_person(store: Store, person_id: str) -> dict[str, Any]:
    """The stored verdict of one person, with its reasons, as JSON-able data."""
    person = store.conn.execute(
        "SELECT p.id, p.full_name, p.first_name, p.last_name, p.email, p.title, c.name,"
        " p.stage, p.score, p.temperature, p.updated_at FROM people AS p"
        " LEFT JOIN companies AS c ON c.id = p.company_id WHERE p.id = ?", (person_id,)
    ).fetchone()
    score = store.conn.execute(
        "SELECT fit, signal, total, stage, temperature, disqualified_reason, reasons,"
        " last_signal_at, icp_hash, as_of, run_id, scored_at FROM scores WHERE person_id = ?",
        (person_id,),
    ).fetchone()
    name = person[1] or " ".join(v for v in (person[2], person[3]) if v) or None
    out: dict[str, Any] = {
        "id": person[0], "name": name, "email": person[4], "title": person[5],
        "company": person[6], "stage": person[7], "score": person[8],
        "temperature": person[9], "scored": score is not None,
    }
    if score is None:
        return out
    out.update({
        "fit": score[0], "signal": score[1], "total": score[2],
        "disqualified_reason": score[5], "reasons": json.loads(score[6]),
        "last_signal_at": score[7], "icp_hash": score[8], "as_of": score[9],
        "run_id": score[10], "scored_at": score[11],
        # The person's data changed (import, enrich) after this verdict.
        "stale": bool(person[10] and person[10] > score[11]),
    })
    return out

