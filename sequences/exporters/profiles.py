"""Import files for email tools and CRMs: one profile per tool (email_tools.md section 9).

A profile says which columns the tool's import wizard maps by name, the delimiter, whether
the file starts with a BOM, which columns hold E.164 phones (written without the formula
prefix), how many rows one file may hold, how a dump-shaped person (CLI.md, JSONL section)
becomes one row, and why a row must be left out. ``export_tool`` writes the rows through
the shared formula-safe, atomic ``write_csv``, splitting into ``out-1.csv``, ``out-2.csv``...
when a file would exceed the tool's row cap.

Whatever the tool, a suppressed person is never written, the email is the dump's best one
(never a guessed or invalid address) with its domain in ASCII, and the phone the best
E.164 number (Brevo's mobile in SMS and another line in LANDLINE_NUMBER; Salesforce's
known mobile in MobilePhone too). An address whose local part needs SMTPUTF8
(``élodie@…``) is not written (the person's next usable address is, if any), nor is a
premium-rate, shared-cost or universal-access number (the next valid number is).

lemlist, Instantly and Smartlead take any other column as a custom variable
(``{{firstStepSubject}}``…), so their files also carry the person's sequence and its
first email as ``sequence`` planned and rendered it (and lemlist the lead's
``timezone``); the other tools need a property created first, so they do not.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

import idna

from enrichers.names import recase_place
from prospecting.store import best_email

from ..segments import ENRICHED, NON_ENRICHED, no_calls
from .writer import safe_cell, write_csv

__all__ = ["PROFILES", "ExportProfile", "ExportResult", "export_tool"]

Row = dict[str, Any]
Person = Mapping[str, Any]

_E164 = re.compile(r"^\+[1-9]\d{1,14}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class ExportProfile:
    """How one tool imports people: columns, layout, row mapping and exclusion rules."""

    name: str
    columns: tuple[str, ...]
    delimiter: str
    bom: bool
    phone_columns: tuple[str, ...]
    max_rows: int | None
    row: Callable[[Person], Row | None]
    check: Callable[[Row, Person], str | None]
    # Column the tool dedupes on (case-insensitive): a later row with the same value is
    # left out as "duplicate <column>".
    dedupe_column: str | None = None


@dataclass
class ExportResult:
    written: int
    files: list[Path]
    left_out: dict[str, int] = field(default_factory=dict)


# --- field helpers -----------------------------------------------------------------------

def _text(value: Any) -> str | None:
    """Stripped NFC text without C0 control characters, or None when empty."""
    if value is None:
        return None
    text = _CONTROL.sub("", unicodedata.normalize("NFC", str(value))).strip()
    return text or None


def _company(person: Person) -> Mapping[str, Any]:
    return person.get("company") or {}


def _bare_domain(person: Person) -> str | None:
    """The company's domain without scheme, ``www.``, port or path, lower-cased."""
    company = _company(person)
    raw = _text(company.get("domain")) or _text(company.get("website"))
    if not raw:
        return None
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", raw.lower())
    host = re.split(r"[/?#]", host, maxsplit=1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
    host = host.removeprefix("www.").strip(".")
    return host or None


def _website(person: Person) -> str | None:
    website = _text(_company(person).get("website"))
    if website:
        return website
    domain = _bare_domain(person)
    return f"https://{domain}" if domain else None


def _ascii_address(address: str) -> str:
    """``address`` with its domain in ASCII (IDNA, as email-validator encodes it):
    ``contact@société.fr`` is written ``contact@xn--socit-esab.fr``, what every tool
    takes. An undecodable domain stays as it is."""
    local, at, domain = address.rpartition("@")
    if not at or domain.isascii():
        return address
    try:
        return f"{local}@{idna.encode(domain, uts46=True).decode('ascii')}"
    except (idna.IDNAError, UnicodeError, ValueError):
        return address


def _needs_smtputf8(address: str) -> bool:
    """A local part beyond ASCII (``élodie@…``): only servers speaking SMTPUTF8 take it,
    and no email tool says it sends such mail."""
    return not address.rpartition("@")[0].isascii()


def _email(person: Person) -> str | None:
    """The address a tool file carries, domain in ASCII: the dump's best one, or, when
    that one's local part needs SMTPUTF8, the person's next usable address that does not
    (ranked as the best is chosen: not invalid, not a guess no server confirmed)."""
    best = _text(person.get("email"))
    if best is None:
        return None
    if not _needs_smtputf8(best):
        return _ascii_address(best)
    found = _text(best_email(
        e for e in person.get("emails") or ()
        if "@" in (value := str(e.get("value") or "")) and not _needs_smtputf8(value)
    ))
    return _ascii_address(found) if found else None


def _no_email(person: Person) -> str:
    """Why a person's row has no address."""
    best = _text(person.get("email"))
    if best and _needs_smtputf8(best):
        return "address needs SMTPUTF8 (internationalised local part)"
    return "no email"


# Numbers that are no one's direct line (PH-5): premium-rate, shared-cost and
# universal-access numbers are never written as a person's phone.
_NOT_DIRECT = frozenset({"premium_rate", "shared_cost", "uan"})


def _phone(person: Person) -> str | None:
    """The dump's best E.164 number, or the person's next valid one when that one is a
    premium-rate, shared-cost or universal-access number; none when all are, nor for a
    person a source marks "Do Not Call" (a tool would call or text the number)."""
    if no_calls(person):
        return None
    phone = _text(person.get("phone"))
    if not phone or not _E164.match(phone):
        return None
    phones = person.get("phones") or ()
    if not any(p.get("e164") == phone and p.get("type") in _NOT_DIRECT for p in phones):
        return phone
    return next(_direct_lines(phones), None)


def _direct_lines(phones: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """The E.164 numbers of these entries that may be written: valid or unchecked, and
    a direct line (see :data:`_NOT_DIRECT`)."""
    for entry in phones:
        e164 = _text(entry.get("e164"))
        if (e164 and _E164.match(e164) and entry.get("valid") is not False
                and entry.get("type") not in _NOT_DIRECT):
            yield e164


def _mobile_and_landline(person: Person, best: str | None, *, either: bool = True,
                         ) -> tuple[str | None, str | None]:
    """The first mobile and the first other line among the numbers :func:`_phone` may
    write (``best``: what it gave for the person, written first), for tools that keep
    them apart (Brevo's SMS and LANDLINE_NUMBER, Salesforce's MobilePhone). A number's
    type is the phone check's, else the numbering plan's. One the plan cannot tell
    (North America's) counts as a mobile with ``either`` (Brevo: every number went to
    SMS before the two were told apart), else as neither (Salesforce's MobilePhone
    holds known mobiles only)."""
    if best is None:  # a person not to be called
        return None, None
    phones = person.get("phones") or ()
    numbers = [best] + [e164 for e164 in _direct_lines(phones) if e164 != best]
    types = {_text(entry.get("e164")): entry.get("type") for entry in phones
             if entry.get("type")}
    mobile = landline = None
    for number in numbers:
        line = _line(number, types.get(number))
        if line == "mobile" or (line == "either" and either):
            mobile = mobile or number
        elif line == "landline":
            landline = landline or number
    return mobile, landline


# Types the phone check writes, as the lines they are: a number one may text, one the
# plan cannot tell from a landline, and the rest.
_MOBILE_TYPES = frozenset({"mobile", "personal_number", "pager"})
_EITHER_TYPES = frozenset({"fixed_line_or_mobile", "unknown"})


@functools.lru_cache(maxsize=1 << 16)
def _plan_type(e164: str) -> str | None:
    """The numbering plan's type of an E.164 number (see ``enrichers.phones``)."""
    import phonenumbers

    from enrichers.phones import phone_type_name

    try:
        return phone_type_name(phonenumbers.number_type(phonenumbers.parse(e164, None)))
    except phonenumbers.NumberParseException:
        return None


def _line(e164: str, kind: str | None) -> str:
    """``"mobile"``, ``"landline"`` or ``"either"`` (the plan cannot tell)."""
    kind = kind if kind and kind != "unknown" else _plan_type(e164)
    if kind in _MOBILE_TYPES:
        return "mobile"
    return "either" if kind is None or kind in _EITHER_TYPES else "landline"


def _country(person: Person) -> str | None:
    return _text(person.get("country")) or _text(_company(person).get("country"))


def _city(person: Person) -> str | None:
    """The person's town as its name is written (``AIX-EN-PROVENCE`` → ``Aix-en-
    Provence``): the store keeps each source's spelling, a tool's file shows the name."""
    city = _text(person.get("city"))
    return recase_place(city) if city else None


def _location(person: Person) -> str | None:
    parts = [_city(person), _country(person)]
    return ", ".join(p for p in parts if p) or None


def _tag(person: Person) -> str | None:
    tags = person.get("tags") or ()
    return next((t for t in (ENRICHED, NON_ENRICHED) if t in tags), None)


def _icebreaker(person: Person) -> str | None:
    extra = person.get("extra") or {}
    return _text(extra.get("icebreaker")) or _text(extra.get("personalization"))


def _first_step(person: Person, key: str) -> str | None:
    """The rendered first email of the person's sequence (``sequence`` planned it).

    The body's line breaks become ``<br>``: the three tools' editors are HTML, and one
    line per cell is what every import wizard reads reliably (the writer flattens breaks).
    """
    step = person.get("first_step") or {}
    value = _text(step.get(key))
    if key == "body" and value:
        value = "<br>".join(line.rstrip() for line in value.splitlines())
    return value


def _has_flag(person: Person, email: str | None, flag: str) -> bool:
    if not email:
        return False
    wanted = _ascii_address(email).casefold()
    return any(
        flag in (e.get("flags") or ())
        for e in person.get("emails") or ()
        if _ascii_address(str(e.get("value") or "")).casefold() == wanted
    )


def _clip(text: str | None, limit: int, *, in_bytes: bool = False) -> str | None:
    """``text`` cut to ``limit`` characters (or UTF-8 bytes), never mid-character.

    The limit counts the ``'`` the writer puts before a formula trigger, so the cell the
    tool reads stays within it.
    """
    if text is None:
        return None
    if safe_cell(text[:1]).startswith("'"):
        limit -= 1
    if not in_bytes:
        return text[:limit]
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


# --- row mappings ------------------------------------------------------------------------

def _lemlist(p: Person) -> Row:
    return {
        "email": _email(p), "firstName": _text(p.get("first_name")),
        "lastName": _text(p.get("last_name")), "companyName": _text(_company(p).get("name")),
        "companyDomain": _bare_domain(p), "jobTitle": _text(p.get("title")),
        "phone": _phone(p), "linkedinUrl": _text(p.get("linkedin_url")),
        "icebreaker": _icebreaker(p), "tags": _tag(p),
        "timezone": _first_step(p, "time_zone"), "sequence": _first_step(p, "sequence"),
        "firstStepSubject": _first_step(p, "subject"), "firstStepBody": _first_step(p, "body"),
    }


def _instantly(p: Person) -> Row:
    return {
        "email": _email(p), "first_name": _text(p.get("first_name")),
        "last_name": _text(p.get("last_name")),
        "company_name": _text(_company(p).get("name")), "job_title": _text(p.get("title")),
        "phone": _phone(p), "website": _website(p), "personalization": _icebreaker(p),
        "linkedin_url": _text(p.get("linkedin_url")), "tags": _tag(p),
        "sequence": _first_step(p, "sequence"),
        "first_step_subject": _first_step(p, "subject"),
        "first_step_body": _first_step(p, "body"),
    }


def _smartlead(p: Person) -> Row:
    return {
        "email": _email(p), "first_name": _text(p.get("first_name")),
        "last_name": _text(p.get("last_name")),
        "company_name": _text(_company(p).get("name")), "job_title": _text(p.get("title")),
        "phone_number": _phone(p), "website": _website(p), "company_url": _website(p),
        "linkedin_profile": _text(p.get("linkedin_url")), "location": _location(p),
        "tags": _tag(p), "icebreaker": _icebreaker(p), "sequence": _first_step(p, "sequence"),
        "first_step_subject": _first_step(p, "subject"),
        "first_step_body": _first_step(p, "body"),
    }


def _apollo(p: Person) -> Row:
    return {
        "First Name": _text(p.get("first_name")), "Last Name": _text(p.get("last_name")),
        "Title": _text(p.get("title")), "Company Name": _text(_company(p).get("name")),
        "Company Website": _bare_domain(p), "Contact Email": _email(p),
        "Contact LinkedIn URL": _text(p.get("linkedin_url")), "Phone": _phone(p),
        "City": _city(p), "Country": _country(p), "Tags": _tag(p),
    }


_LIFECYCLE = {
    "suspect": "Lead", "prospect": "Lead", "lead": "Lead",
    "mql": "Marketing Qualified Lead", "sql": "Sales Qualified Lead",
}


def _hubspot(p: Person) -> Row:
    stage = _text(p.get("stage"))
    return {
        "First Name": _text(p.get("first_name")), "Last Name": _text(p.get("last_name")),
        "Email": _email(p), "Phone Number": _phone(p), "Job Title": _text(p.get("title")),
        "Company Name": _text(_company(p).get("name")), "Website URL": _website(p),
        "City": _city(p), "Country/Region": _country(p),
        "Lifecycle Stage": _LIFECYCLE.get(stage.lower()) if stage else None, "Tags": _tag(p),
    }


def _mailchimp(p: Person) -> Row:
    street = _text(p.get("address"))
    address = None
    if street:
        # Mailchimp's combined address: street, city, region, postcode, country, each
        # separated by two spaces.
        parts = (street, _city(p), _text(p.get("region")),
                 _text(p.get("postcode")), _country(p))
        address = "  ".join(x for x in parts if x)
    row = {
        "Email Address": _email(p), "First Name": _text(p.get("first_name")),
        "Last Name": _text(p.get("last_name")), "Phone Number": _phone(p),
        "Address": address, "Tags": _tag(p),
    }
    return {
        k: v if k == "Phone Number" else _clip(v, 255, in_bytes=True) for k, v in row.items()
    }


def _brevo(p: Person) -> Row:
    mobile, landline = _mobile_and_landline(p, _phone(p))
    return {
        "EMAIL": _email(p), "FIRSTNAME": _text(p.get("first_name")),
        "LASTNAME": _text(p.get("last_name")), "SMS": mobile, "LANDLINE_NUMBER": landline,
        "COMPANY": _text(_company(p).get("name")), "JOB_TITLE": _text(p.get("title")),
        "TAGS": _tag(p),
    }


def _salesforce(p: Person) -> Row:
    phone = _phone(p)
    return {
        "FirstName": _clip(_text(p.get("first_name")), 40),
        "LastName": _clip(_text(p.get("last_name")), 80),
        "Company": _clip(_text(_company(p).get("name")), 255),
        "Email": _email(p), "Title": _text(p.get("title")), "Phone": phone,
        "MobilePhone": _mobile_and_landline(p, phone, either=False)[0],
        "Website": _website(p), "City": _city(p), "Country": _country(p),
        "LeadSource": _tag(p),
    }


# --- exclusion rules ---------------------------------------------------------------------

def _needs(column: str, reason: str) -> Callable[[Row, Person], str | None]:
    def check(row: Row, person: Person) -> str | None:
        if person.get("suppressed"):
            return "suppressed"
        if row.get(column):
            return None
        return _no_email(person) if reason == "no email" else reason
    return check


def _mailchimp_check(row: Row, person: Person) -> str | None:
    reason = _needs("Email Address", "no email")(row, person)
    if reason:
        return reason
    if _has_flag(person, _email(person), "role"):
        return "role address refused by Mailchimp"
    return None


def _any_of(*columns: str, reason: str) -> Callable[[Row, Person], str | None]:
    def check(row: Row, person: Person) -> str | None:
        if person.get("suppressed"):
            return "suppressed"
        return None if any(row.get(c) for c in columns) else reason
    return check


def _salesforce_check(row: Row, person: Person) -> str | None:
    if person.get("suppressed"):
        return "suppressed"
    if not row.get("LastName"):
        return "no last name"
    if not row.get("Company"):
        return "no company"
    return None


def _profile(name: str, row: Callable[[Person], Row], check: Callable[[Row, Person], str | None],
             columns: tuple[str, ...], phone: str | tuple[str, ...],
             **options: Any) -> ExportProfile:
    return ExportProfile(
        name=name, columns=columns, delimiter=options.pop("delimiter", ","),
        bom=options.pop("bom", False),
        phone_columns=(phone,) if isinstance(phone, str) else phone,
        max_rows=options.pop("max_rows", None), row=row, check=check, **options,
    )


PROFILES: dict[str, ExportProfile] = {
    p.name: p
    for p in (
        _profile("lemlist", _lemlist, _needs("email", "no email"), (
            "email", "firstName", "lastName", "companyName", "companyDomain", "jobTitle",
            "phone", "linkedinUrl", "icebreaker", "tags", "timezone", "sequence",
            "firstStepSubject", "firstStepBody",
        ), "phone"),
        _profile("instantly", _instantly, _needs("email", "no email"), (
            "email", "first_name", "last_name", "company_name", "job_title", "phone",
            "website", "personalization", "linkedin_url", "tags", "sequence",
            "first_step_subject", "first_step_body",
        ), "phone"),
        _profile("smartlead", _smartlead, _needs("email", "no email"), (
            "email", "first_name", "last_name", "company_name", "job_title", "phone_number",
            "website", "company_url", "linkedin_profile", "location", "tags", "icebreaker",
            "sequence", "first_step_subject", "first_step_body",
        ), "phone_number"),
        _profile("hubspot", _hubspot, _any_of(
            "First Name", "Last Name", "Email", reason="no name or email"
        ), (
            "First Name", "Last Name", "Email", "Phone Number", "Job Title", "Company Name",
            "Website URL", "City", "Country/Region", "Lifecycle Stage", "Tags",
        ), "Phone Number", dedupe_column="Email"),
        _profile("brevo", _brevo, _needs("EMAIL", "no email"), (
            "EMAIL", "FIRSTNAME", "LASTNAME", "SMS", "LANDLINE_NUMBER", "COMPANY",
            "JOB_TITLE", "TAGS",
        ), ("SMS", "LANDLINE_NUMBER"), delimiter=";"),
        _profile("mailchimp", _mailchimp, _mailchimp_check, (
            "Email Address", "First Name", "Last Name", "Phone Number", "Address", "Tags",
        ), "Phone Number"),
        _profile("apollo", _apollo, _any_of(
            "Company Name", "Company Website", "Contact LinkedIn URL", "Contact Email",
            reason="no company, website, LinkedIn or email",
        ), (
            "First Name", "Last Name", "Title", "Company Name", "Company Website",
            "Contact Email", "Contact LinkedIn URL", "Phone", "City", "Country", "Tags",
        ), "Phone", max_rows=10_000),
        _profile("salesforce", _salesforce, _salesforce_check, (
            "FirstName", "LastName", "Company", "Email", "Title", "Phone", "MobilePhone",
            "Website", "City", "Country", "LeadSource",
        ), ("Phone", "MobilePhone"), max_rows=50_000),
    )
}


# --- writing -----------------------------------------------------------------------------

def export_tool(people: Iterable[Person], profile: ExportProfile, out: Path) -> ExportResult:
    """Write ``people`` as ``profile``'s import file(s); count who was left out and why.

    Up to ``max_rows`` rows go to ``out`` itself; beyond that the rows are split into
    ``<stem>-1<suffix>``, ``<stem>-2<suffix>``... and ``out`` is not written.
    """
    out = Path(out)
    left_out: Counter[str] = Counter()
    seen: set[str] = set()
    dedupe = profile.dedupe_column

    def rows() -> Iterable[Row]:
        for person in people:
            # A suppressed person is never even mapped.
            row = None if person.get("suppressed") else profile.row(person)
            if row is None:
                left_out["suppressed" if person.get("suppressed") else "unmappable"] += 1
                continue
            reason = profile.check(row, person)
            if reason is None and dedupe and row.get(dedupe):
                key = str(row[dedupe]).casefold()
                if key in seen:
                    reason = f"duplicate {dedupe.lower()}"
                seen.add(key)
            if reason is not None:
                left_out[reason] += 1
                continue
            yield row

    def write(path: Path, chunk: Iterable[Row]) -> int:
        return write_csv(path, profile.columns, chunk, delimiter=profile.delimiter,
                         bom=profile.bom, phone_columns=profile.phone_columns)

    items = iter(rows())
    if profile.max_rows is None:
        written = write(out, items)
        return ExportResult(written, [out], dict(left_out))
    first = list(islice(items, profile.max_rows))
    following = next(items, None)
    if following is None:
        written = write(out, first)
        return ExportResult(written, [out], dict(left_out))
    rest = chain([following], items)
    files: list[Path] = []
    written = 0
    chunk = first
    while chunk:
        path = out.with_name(f"{out.stem}-{len(files) + 1}{out.suffix}")
        written += write(path, chunk)
        files.append(path)
        chunk = list(islice(rest, profile.max_rows))
    return ExportResult(written, files, dict(left_out))
