"""Email syntax: clean what real exports and web pages hold, then let email-validator decide.

``check_email_syntax(text)`` never raises and never touches the network. It returns an
:class:`EmailSyntax` whose ``normalized`` is email-validator's normalized form (local part as
written, domain lower case and in Unicode) and whose ``domain`` is the IDNA ASCII form, the
one DNS and SMTP use. ``key`` is the comparison form for dedupe and suppression.

Before validating, the value is cleaned the way the bad-input catalogue (E2-E8) asks:
whitespace, NBSP and zero-width characters, ``mailto:`` links and their query, ``Name
<addr>``, ``%40``, ``&#64;``/``&#x40;``, full-width ``＠`` (NFKC), prose punctuation and the
domain's trailing dot. Several addresses in one value are refused: split them first with
``prospecting.privacy.clean_emails``.

After email-validator (``strict=True``, so a local part over 64 characters fails, RFC 5321
§4.5.3.1.1), project rules reject what the library accepts but no mailbox is: asset file
names (``logo@2x.png``), Sentry and analytics identifiers, placeholders. ``valid`` False with
``normalized`` set means one of those rules refused a syntactically correct address.

Speed: a bulk run checks up to a million values, so the domain work (IDNA, reserved names,
list lookups) is cached per domain, and the common case, one plain ASCII address, skips the
cleaning and email-validator's general parser. The fast path only takes shortcuts that give
email-validator's own answer; anything unusual goes through the library in full.

    >>> check_email_syntax(" Jean.Dupont@Exemple.FR ").normalized
    'Jean.Dupont@exemple.fr'
    >>> check_email_syntax("logo@2x.png").reason
    'asset file name, not an address (.png)'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import unquote

from email_validator import EmailNotValidError, validate_email
from email_validator.rfc_constants import (
    CASE_INSENSITIVE_MAILBOX_NAMES,
    EMAIL_MAX_LENGTH,
    LOCAL_PART_MAX_LENGTH,
)
from email_validator.syntax import validate_email_domain_name

from enrichers.lists import (
    has_placeholder_addresses,
    is_disposable,
    is_free,
    is_placeholder,
    is_placeholder_domain,
    is_placeholder_local,
    is_role,
)

__all__ = ["FLAGS", "EmailSyntax", "check_email_syntax"]

FLAGS = frozenset({"role", "disposable", "free", "smtputf8"})
OK = "ok"

# Longer than any address (RFC 5321 §4.5.3.1.3 caps one at 254 octets) even with a display
# name around it: refused before any parsing.
_MAX_INPUT = 1000

# One plain ASCII address, nothing around it: RFC 5322 §3.2.3 dot-atom local part and
# letter-digit-hyphen labels (RFC 1123 §2.1). Matching it skips the cleaning steps.
_ATEXT = r"A-Za-z0-9!#$%&'*+/=?^_`{|}~-"
_PLAIN = re.compile(rf"([{_ATEXT}]+(?:\.[{_ATEXT}]+)*)@((?:[A-Za-z0-9-]+\.)+[A-Za-z0-9-]+)\Z")

_CASE_INSENSITIVE = frozenset(CASE_INSENSITIVE_MAILBOX_NAMES)  # RFC 2142 §3-5

# Zero-width spaces and joiners, word joiner, BOM, soft hyphen: invisible in a copied cell.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# No-break and other typographic spaces, turned into plain spaces before trimming.
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u3000"), " ")
_FULL_WIDTH = re.compile("[\uff01-\uff5e\ufe6b]")  # full-width forms and the small ＠ (U+FE6B)
_AT_ENTITY = re.compile(r"&(?:#0*64|#[xX]0*40|commat);")
_PERCENT_AT = re.compile("%40", re.IGNORECASE)
_ANGLE = re.compile(r"<([^<>]*@[^<>]*)>")
_LIST_SEPARATOR = re.compile(r"[;,\s|/]")
# Prose around an address: sentence punctuation, quotes, and brackets opened or closed
# outside it. Not the characters a local part may start with (RFC 5322 atext), so a plain
# address is left alone, and not a bracket the address itself balances (jean@[192.0.2.1]).
_LEADING = " \t\r\n«"
_TRAILING = " \t\r\n.,;:!?»\"'"  # a domain never ends with a quote
_BRACKETS = {"(": ")", "<": ">", "[": "]"}
_CLOSING = {close: open_ for open_, close in _BRACKETS.items()}
_QUOTES = "\"'"

# Files named like retina assets (logo@2x.png) match the address grammar. None of these
# suffixes is a top-level domain (.mov and .zip are, so they are left out).
_ASSET_SUFFIXES = frozenset(
    {
        "avif",
        "bmp",
        "css",
        "eot",
        "gif",
        "heic",
        "htm",
        "html",
        "ico",
        "jpeg",
        "jpg",
        "js",
        "json",
        "map",
        "mjs",
        "mp3",
        "mp4",
        "otf",
        "pdf",
        "php",
        "png",
        "svg",
        "tif",
        "tiff",
        "ttf",
        "webm",
        "webp",
        "woff",
        "woff2",
        "xml",
    }
)
# Sentry DSNs (key@o123456.ingest.sentry.io, key@sentry.wixpress.com) and similar tracking
# identifiers end up in scraped pages and look like addresses.
_SENTRY_LABELS = frozenset({"sentry", "sentry-next"})
_ORG_LABEL = re.compile(r"o\d+\Z")
_HEX_ID = re.compile(r"[0-9a-f]{16,}\Z")


@dataclass(frozen=True, slots=True)
class EmailSyntax:
    """The syntax verdict for one value.

    ``normalized`` is email-validator's normalized form (None when the library refused
    it); ``ascii_email`` is None when the local part needs SMTPUTF8 (RFC 6531); ``domain``
    is always IDNA ASCII. ``reason`` is ``"ok"`` or why the value was refused.
    """

    input: str
    normalized: str | None
    ascii_email: str | None
    local: str | None
    domain: str | None
    valid: bool
    reason: str
    flags: frozenset[str] = field(default=frozenset())

    @property
    def key(self) -> str | None:
        """Comparison form: local part in lower case, ``@``, IDNA ASCII domain."""
        if self.local is None or self.domain is None:
            return None
        return f"{self.local.lower()}@{self.domain}"


class _Domain(NamedTuple):
    """What is known about one domain, whatever the local part."""

    error: str | None  # email-validator's message when the domain is refused
    ascii: str
    unicode: str
    rule: str | None  # a project rule refusing every address at this domain
    flags: frozenset[str]
    longest: int  # octets of the longest of the three domain forms (input, ASCII, Unicode)
    placeholders: bool  # some exact placeholder address (votre@email.com) is at this domain


def check_email_syntax(text: str) -> EmailSyntax:
    """Clean ``text``, validate it as one address and flag it; never raises."""
    if not isinstance(text, str):
        return _refused(repr(text), "not a string")
    plain = _PLAIN.match(text)
    if plain is not None:
        local, domain = plain.groups()
        if len(local) <= LOCAL_PART_MAX_LENGTH:
            return _check_plain(text, local, domain)
    if len(text) > _MAX_INPUT:
        return _refused(text, f"too long to be one address ({len(text)} characters)")
    cleaned, problem = _clean(text)
    if problem:
        return _refused(text, problem)
    plain = _PLAIN.match(cleaned)
    if plain is not None and len(plain.group(1)) <= LOCAL_PART_MAX_LENGTH:
        local, domain = plain.groups()
        return _check_plain(text, local, domain)
    return _check_general(text, cleaned)


def _refused(text: str, reason: str) -> EmailSyntax:
    return EmailSyntax(text, None, None, None, None, False, reason)


def _clean(text: str) -> tuple[str, str | None]:
    """The address written in ``text``, and why it cannot be one (or None)."""
    value = text.translate(_INVISIBLE).translate(_SPACES).strip()
    if _FULL_WIDTH.search(value):
        value = unicodedata.normalize("NFKC", value)  # ｊｅａｎ＠ｅｘｅｍｐｌｅ．ｆｒ
    if value[:7].lower() == "mailto:":
        # RFC 6068: the address is percent-encoded and may be followed by ?subject=...
        value = unquote(value[7:].split("?", 1)[0]).strip()
    if "@" not in value and "%" in value:
        value = _PERCENT_AT.sub("@", value)
    if "&" in value:
        value = _AT_ENTITY.sub("@", value)
    if "<" in value:
        angled = _ANGLE.findall(value)
        if len(angled) == 1:
            value = angled[0].strip()  # Jean Dupont <jean@exemple.fr> (RFC 5322 §3.4)
    if '"@' in value:
        # RFC 5321 §4.1.2 allows "jean dupont"@exemple.fr; mail tools and forms do not.
        return value, 'quoted local part ("…"@) is not accepted'
    value = _strip_prose(value)
    if not value:
        return value, "empty"
    if value.count("@") > 1 and _LIST_SEPARATOR.search(value):
        return value, "several addresses in one value (split them first)"
    return value, None


def _strip_prose(value: str) -> str:
    while True:
        before = value
        if len(value) >= 2 and (
            (value[0] in _QUOTES and value[-1] == value[0] and value.count(value[0]) == 2)
            or (value[0] in _BRACKETS and value[-1] == _BRACKETS[value[0]])
        ):
            value = value[1:-1]  # 'jean@exemple.fr', (jean@exemple.fr)
        value = value.lstrip(_LEADING).rstrip(_TRAILING)
        if value.startswith('"') and value.count('"') % 2:
            value = value[1:]  # an unbalanced opening quote ("jean@exemple.fr)
        if (
            value
            and value[0] in _BRACKETS
            and value.count(value[0]) > value.count(_BRACKETS[value[0]])
        ):
            value = value[1:]  # (jean@exemple.fr
        if (
            value
            and value[-1] in _CLOSING
            and value.count(value[-1]) > value.count(_CLOSING[value[-1]])
        ):
            value = value[:-1]  # jean@exemple.fr)
        if value == before:
            return value


def _check_plain(text: str, local: str, domain: str) -> EmailSyntax:
    """One ASCII dot-atom address: the library's answer, with the domain work cached."""
    facts = _domain_facts(domain)
    if facts.error is not None:
        return _refused(text, facts.error)
    if len(local) + 1 + facts.longest > EMAIL_MAX_LENGTH:  # RFC 5321 §4.5.3.1.3
        return _check_general(text, f"{local}@{domain}")  # for the library's own message
    if local.lower() in _CASE_INSENSITIVE:
        local = local.lower()  # as email-validator does for RFC 2142 mailbox names
    normalized = f"{local}@{facts.unicode}"
    ascii_email = normalized if facts.unicode is facts.ascii else f"{local}@{facts.ascii}"
    return _finish(text, normalized, ascii_email, local, facts, smtputf8=False)


def _check_general(text: str, cleaned: str) -> EmailSyntax:
    try:
        result = validate_email(
            cleaned, check_deliverability=False, allow_smtputf8=True, strict=True
        )
    except (EmailNotValidError, ValueError) as error:
        return _refused(text, str(error) or type(error).__name__)
    facts = _domain_facts(result.ascii_domain)
    if facts.error is not None:  # cannot happen: the library accepted this domain
        return _refused(text, facts.error)
    return _finish(
        text,
        result.normalized,
        result.ascii_email,
        result.local_part,
        facts,
        smtputf8=result.smtputf8,
    )


def _finish(
    text: str,
    normalized: str,
    ascii_email: str | None,
    local: str,
    facts: _Domain,
    *,
    smtputf8: bool,
) -> EmailSyntax:
    reason = facts.rule or _address_rule(local, facts)
    if reason is not None:
        return EmailSyntax(text, normalized, ascii_email, local, facts.ascii, False, reason)
    flags = facts.flags
    if is_role(local):
        flags = flags | {"role"}
    if smtputf8:
        flags = flags | {"smtputf8"}
    return EmailSyntax(text, normalized, ascii_email, local, facts.ascii, True, OK, flags)


def _address_rule(local: str, facts: _Domain) -> str | None:
    lowered = local.lower()
    if _HEX_ID.match(lowered) and (
        len(lowered) == 32 or _ORG_LABEL.match(facts.ascii.split(".", 1)[0])
    ):
        return "tracking identifier, not an address (hex key)"
    if is_placeholder_local(lowered) or (
        facts.placeholders and is_placeholder(f"{lowered}@{facts.ascii}")
    ):
        return "placeholder address"
    return None


@lru_cache(maxsize=262_144)
def _domain_facts(domain: str) -> _Domain:
    try:
        info = validate_email_domain_name(domain, test_environment=False, globally_deliverable=True)
    except (EmailNotValidError, ValueError) as error:
        return _Domain(
            str(error) or type(error).__name__, domain, domain, None, frozenset(), 0, False
        )
    ascii_domain, unicode_domain = info["ascii_domain"], info["domain"]
    if unicode_domain == ascii_domain:
        unicode_domain = ascii_domain  # one object: _check_plain builds one string for both
    labels = ascii_domain.split(".")
    rule = None
    if labels[-1] in _ASSET_SUFFIXES:
        rule = f"asset file name, not an address (.{labels[-1]})"
    elif ascii_domain.endswith(".sentry.io") or (labels[0] in _SENTRY_LABELS and len(labels) > 2):
        rule = "tracking identifier, not an address (Sentry)"
    elif is_placeholder_domain(ascii_domain):
        rule = "placeholder address"
    flags: set[str] = set()
    if is_disposable(ascii_domain):
        flags.add("disposable")
    elif is_free(ascii_domain):
        flags.add("free")
    longest = max(len(domain.encode()), len(ascii_domain), len(unicode_domain.encode()))
    return _Domain(
        None,
        ascii_domain,
        unicode_domain,
        rule,
        frozenset(flags),
        longest,
        has_placeholder_addresses(ascii_domain),
    )
