"""What a whole site says, gathered page by page, and the URL rules of a polite crawl.

:class:`SiteFacts` merges the :class:`~prospecting.crawl.extract.Page` of every page of
one site: each fact keeps the smallest URL that stated it as its source, so crawling the
same site again states the same facts from the same pages (and the store writes
nothing). At the end it decides what belongs to whom: an email inside a person's card,
or whose local part spells a known person's name, is theirs; an address at the site's
own domain (or a free-mail one) is the company's; any other is kept as a
``third_party_email`` observation, not as the company's email.

:func:`refusal` is the trap guard: why a URL must not be fetched, or None.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from enrichers.lists import is_free
from prospecting.importer import registered_domain

from .extract import Page, fold
from .words import word_set

__all__ = [
    "SiteFacts", "canonical_url", "link_score", "refusal", "site_domain_of", "source_url",
]

# Company fields with one value: the value most pages agree on is stated.
SINGLE_FIELDS = word_set(
    "name legal_name legal_form website linkedin_url twitter_url github_url youtube_url "
    "facebook_url instagram_url address postcode city region country siren siret vat rcs "
    "naf hrb hra register_court share_capital uk_company_number ein rna site_language "
    "careers_url open_positions headcount tax_id duns lei naics founded")
PERSON_CONFIDENCE = 0.6
COMPANY_CONFIDENCE = 0.6

_TRACKING = word_set(
    "jsessionid phpsessid sid sessionid session_id fbclid gclid dclid msclkid mc_eid mc_cid "
    "_ga _gl yclid igshid ref ref_src replytocom share")
_CALENDAR_KEYS = word_set(
    "date month year day week cal calendar ical start end tribe-bar-date eventdisplay "
    "time from to ical_export outlook-ical")
_CALENDAR_PATH = re.compile(r"/(?:19|20)\d\d[/-]\d{1,2}(?:[/-]\d{1,2})?(?:/|$)")
_IGNORED_EXTENSIONS: frozenset[str] = frozenset()


def _ignored_extensions() -> frozenset[str]:
    global _IGNORED_EXTENSIONS
    if not _IGNORED_EXTENSIONS:
        from scrapy.linkextractors import IGNORED_EXTENSIONS

        _IGNORED_EXTENSIONS = frozenset(IGNORED_EXTENSIONS) | {"ics", "ical", "vcf", "xml",
                                                                "json", "rss", "atom"}
    return _IGNORED_EXTENSIONS


def canonical_url(url: str) -> str:
    """The URL without fragment, session or tracking parameters, with sorted query."""
    parts = urlsplit(url)
    path = re.sub(r";jsessionid=[^/?#]*", "", parts.path, flags=re.IGNORECASE)
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in _TRACKING and not k.lower().startswith("utm_")
    ]
    cleaned = urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))
    return canonicalize_url(cleaned, keep_fragments=False)


def site_domain_of(url: str) -> str | None:
    """The registered domain of ``url``'s host, or None for an IP address or a bare host."""
    host = (urlsplit(url).hostname or "").lower()
    if not host or host == "localhost" or re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", host):
        return None
    return registered_domain(host)


@dataclass
class Guard:
    """Per-site counters behind the trap rules."""

    shape_cap: int = 50  # pages of one URL shape (/news/N); the spider scales it
    calendar: int = 0
    shapes: Counter[str] = field(default_factory=Counter)
    variants: Counter[str] = field(default_factory=Counter)


def refusal(url: str, guard: Guard, *, max_url_length: int = 2083) -> str | None:
    """Why ``url`` (canonical) must not be fetched: a trap or a non-page; None if fine.

    Counts it in ``guard`` when it is accepted.
    """
    if len(url) > max_url_length:
        return "URL too long"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "not http(s)"
    path = parts.path
    last = path.rsplit("/", 1)[-1]
    if "." in last and last.rsplit(".", 1)[-1].lower() in _ignored_extensions():
        return "not a page (file extension)"
    segments = [s for s in path.split("/") if s]
    if len(segments) > 12:
        return "path too deep"
    if _repeats(segments):
        return "repeated path segments"
    if len(parts.query) > 300:
        return "query string too long"
    query = parse_qsl(parts.query, keep_blank_values=True)
    for key, value in query:
        if key.lower() in ("page", "paged", "p", "pg") and value.isdigit() and int(value) > 20:
            return "pagination beyond 20"
    calendar = _CALENDAR_PATH.search(path) is not None or any(
        k.lower() in _CALENDAR_KEYS for k, _ in query
    )
    if calendar and guard.calendar >= 20:
        return "calendar trap"
    if query and guard.variants[path] >= 5:
        return "too many query-string variants"
    shape = re.sub(r"\d+", "N", path) + ("?" + "&".join(sorted(k for k, _ in query))
                                         if query else "")
    if guard.shapes[shape] >= guard.shape_cap:
        return "too many pages of one shape"
    guard.shapes[shape] += 1
    if query:
        guard.variants[path] += 1
    if calendar:
        guard.calendar += 1
    return None


def _repeats(segments: list[str]) -> bool:
    """A segment three times (``/a/x/a/y/a``) or a run of segments twice in a row
    (``/a/b/a/b``): relative-link loops."""
    if segments and Counter(segments).most_common(1)[0][1] >= 3:
        return True
    n = len(segments)
    for size in range(2, n // 2 + 1):
        for start in range(n - 2 * size + 1):
            if segments[start : start + size] == segments[start + size : start + 2 * size]:
                return True
    return False


def link_score(url: str, text: str, depth: int, priorities: Any) -> int:
    """Higher first: contact, legal, team and about pages, then careers and press."""
    path = fold(urlsplit(url).path.replace("_", "-"))
    label = fold(text)
    best = 10
    for score, words in priorities:
        if any(w in path for w in words) or any(_word_in(w, label) for w in words):
            best = max(best, score)
            break
    return best - 3 * depth


def _word_in(word: str, text: str) -> bool:
    if not text:
        return False
    index = text.find(word)
    return index != -1 and (index == 0 or not text[index - 1].isalnum())


def source_url(page: Page) -> str:
    """The URL facts of ``page`` are stated from: its canonical URL when it declares one on
    its own site (or is served from an address with no domain, as a mirror or a local
    copy is), else the URL it was fetched from. Stable across http/https, www and
    tracking variants, so a re-crawl restates the same sources."""
    if page.canonical and page.canonical.startswith(("http://", "https://")):
        fetched = site_domain_of(page.url)
        declared = site_domain_of(page.canonical)
        if declared and (fetched is None or fetched == declared):
            return canonical_url(page.canonical)
    return page.url


@dataclass
class _Person:
    name: str
    facts: dict[tuple[str, str], str] = field(default_factory=dict)  # fact -> first URL


class SiteFacts:
    """Every page's facts of one site, merged."""

    def __init__(self, start_url: str) -> None:
        self.start_url = start_url
        self.pages = 0
        self.company: dict[tuple[str, str], str] = {}
        self.company_pages: Counter[tuple[str, str]] = Counter()
        self.people: dict[str, _Person] = {}
        self.emails: dict[str, dict[str, Any]] = {}
        self.phones: dict[str, dict[str, Any]] = {}
        self.canonical: Counter[str] = Counter()
        self.home_source: str | None = None

    @staticmethod
    def _keep(held: dict[Any, str], key: Any, url: str) -> None:
        if key not in held or url < held[key]:
            held[key] = url

    def add(self, page: Page) -> None:
        self.pages += 1
        url = source_url(page)
        if self.home_source is None:
            self.home_source = url  # the first page read is the home page
        if page.canonical:
            domain = site_domain_of(page.canonical)
            if domain:
                self.canonical[domain] += 1
        keys: list[str | None] = []
        for person in page.people:
            key = fold(person.full_name)
            keys.append(key)
            held = self.people.setdefault(key, _Person(person.full_name))
            for fieldname, value in (
                ("full_name", person.full_name), ("first_name", person.first_name),
                ("last_name", person.last_name), ("title", person.title),
                ("linkedin_url", person.linkedin_url),
            ):
                if value:
                    if fieldname == "title":
                        # One title per person: the first page's (smallest URL) wins.
                        old = [k for k in held.facts if k[0] == "title"]
                        if old and held.facts[old[0]] <= url:
                            continue
                        for k in old:
                            del held.facts[k]
                    self._keep(held.facts, (fieldname, value), url)
        for email in page.emails:
            key = email.value.casefold()
            held_email = self.emails.setdefault(key, {"value": email.value, "url": url,
                                                      "person": None})
            if url < held_email["url"]:
                held_email["url"] = url
            if email.person is not None and held_email["person"] is None:
                held_email["person"] = keys[email.person]
        for phone in page.phones:
            held_phone = self.phones.setdefault(phone.value, {"value": phone.value, "url": url,
                                                              "person": None, "loose": None})
            if url < held_phone["url"]:
                held_phone["url"] = url
            if phone.person is not None and held_phone["person"] is None:
                held_phone["person"] = keys[phone.person]
            if phone.loose and (held_phone["loose"] is None or url < held_phone["loose"]):
                held_phone["loose"] = url  # also printed outside any card: a shared line
        for fact in dict.fromkeys(page.company):
            if fact[0] == "careers_url":
                fact = ("careers_url", url)
            self.company_pages[fact] += 1
            self._keep(self.company, fact, url)

    def domain(self, start_domain: str | None) -> str | None:
        """The site's own domain: its URL's, else its canonical links', else its emails'."""
        if start_domain:
            return start_domain
        if self.canonical:
            return self.canonical.most_common(1)[0][0]
        counts = Counter(
            e["value"].rpartition("@")[2].lower() for e in self.emails.values()
            if not is_free(e["value"].rpartition("@")[2].lower())
        )
        if counts:
            return registered_domain(counts.most_common(1)[0][0])
        return None

    def result(self, domain: str | None) -> dict[str, Any]:
        """The site's facts as JSON: company facts and people, each fact with its URL."""
        company: list[list[Any]] = []
        best: dict[str, tuple[int, str, str]] = {}
        for (fieldname, value), url in self.company.items():
            if fieldname in SINGLE_FIELDS:
                count = self.company_pages[(fieldname, value)]
                held = best.get(fieldname)
                if held is None or (count, held[2]) > (held[0], url) or (
                    count == held[0] and url < held[2]
                ):
                    best[fieldname] = (count, value, url)
            else:
                company.append([fieldname, value, url])
        for fieldname, (_, value, url) in sorted(best.items()):
            company.append([fieldname, value, url])
        people = {key: dict(person.facts) for key, person in self.people.items()}
        name_keys = {_name_locals(p.name): key for key, p in self.people.items()}
        for email in sorted(self.emails.values(), key=lambda e: e["value"]):
            local, _, email_domain = email["value"].rpartition("@")
            owner = email["person"]
            if owner is None:
                for locals_, key in name_keys.items():
                    if fold(local) in locals_:
                        owner = key
                        break
            if owner is not None and owner in people:
                people[owner][("email", email["value"])] = email["url"]
                continue
            own = domain is None or registered_domain(email_domain) == domain or is_free(
                email_domain.lower()
            )
            company.append(["email" if own else "third_party_email", email["value"],
                            email["url"]])
        for phone in sorted(self.phones.values(), key=lambda p: p["value"]):
            owner = phone["person"]
            if owner is not None and owner in people:
                people[owner][("phone", phone["value"])] = phone["url"]
                if phone["loose"]:
                    company.append(["phone", phone["value"], phone["loose"]])
            else:
                company.append(["phone", phone["value"], phone["url"]])
        return {
            "company": company,
            "people": [
                [[f, v, url] for (f, v), url in sorted(facts.items())]
                for _key, facts in sorted(people.items())
            ],
        }


_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe",
                         "Ü": "ue"})


def _name_locals(name: str) -> frozenset[str]:
    """Local parts that spell this person's name: jean.dupont, jdupont, j.dupont…
    (Schäfer as schafer and schaefer)."""
    forms = _spellings(name)
    if any(c in name for c in "äöüßÄÖÜ"):
        forms |= _spellings(name.translate(_GERMAN))
    return forms


def _spellings(name: str) -> frozenset[str]:
    words = [re.sub(r"[^a-z]", "", w) for w in fold(name).replace("-", " ").split()]
    words = [w for w in words if w]
    if len(words) < 2:
        return frozenset()
    first, last = words[0], words[-1]
    lasts = {last, "".join(words[1:])}
    forms = set()
    for surname in lasts:
        forms |= {
            f"{first}.{surname}", f"{first}{surname}", f"{first}_{surname}",
            f"{first}-{surname}", f"{first[0]}{surname}", f"{first[0]}.{surname}",
            f"{surname}.{first}", f"{surname}{first[0]}", f"{first}.{surname[0]}",
        }
    return frozenset(forms)
