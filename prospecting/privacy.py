"""Suppression and erasure: who must never be contacted, and forgetting a person.

A suppression is an email, a whole ``@domain``, or only the sha256 of a normalised
address (what ``forget`` leaves behind, so the person is never imported again while
their address is no longer stored in clear). The same :class:`SuppressionMatcher` is
used at import, when views are rebuilt and at export.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from .models import ascii_domain

__all__ = [
    "SuppressionMatcher",
    "clean_emails",
    "e164_shape",
    "email_hash",
    "mailbox_key",
    "mailbox_of",
    "normalize_email_key",
    "parse_suppression",
    "role_local_parts",
    "untagged",
]


@lru_cache(maxsize=1)
def role_local_parts() -> frozenset[str]:
    """Local parts of shared mailboxes (contact@, compta@…) from ``data/``."""
    text = resources.files("prospecting.data").joinpath("role_local_parts.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


# Characters that creep into copied addresses: zero-width spaces and joiners, BOM,
# soft hyphen; NBSP and other spaces are handled by strip()/split().
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SEPARATORS = re.compile(r"[;,\s]+")
# "/" and "|" separate addresses ("a@x.fr/b@y.fr") but may also be written inside a
# local part ("ventes/export@acme.fr"): a list separator only after an address.
_SLASHES = re.compile(r"([/|]+)")
_ANGLE = re.compile(r"<([^<>]+@[^<>]+)>")
# An "@" written another way: HTML entities, full-width and small forms (NFKC's), and
# (in a cell without "@") percent-encoding.
_ENTITY_AT = re.compile(r"&#0*64;|&#x0*40;|&commat;|[\uff20\ufe6b]", re.IGNORECASE)
_PERCENT_AT = re.compile(r"%40", re.IGNORECASE)
# Spelled out against harvesting: "jean [at] exemple [dot] fr", "jean (arobase) exemple
# (point) fr"; unbracketed ("jean at exemple dot fr") only as a cell's whole content. The
# crawler reads pages with the same bracketed forms.
AT_WORD = r"(?:at|@|arobase|ät|chez)"
DOT_WORD = r"(?:dot|point|punkt|\.)"
BRACKETED_AT = re.compile(
    rf"\s*(?:\[\s*{AT_WORD}\s*\]|\(\s*{AT_WORD}\s*\)|\{{\s*{AT_WORD}\s*\}}|<\s*at\s*>)\s*",
    re.IGNORECASE,
)
BRACKETED_DOT = re.compile(
    rf"\s*(?:\[\s*{DOT_WORD}\s*\]|\(\s*{DOT_WORD}\s*\)|\{{\s*{DOT_WORD}\s*\}})\s*",
    re.IGNORECASE,
)
_SPELLED = re.compile(
    r"\s*([\w.+-]{1,64})\s+(?:at|arobase)\s+([\w-]{1,63}(?:\s+(?:dot|point|punkt)\s+[\w-]{1,63})+)"
    r"\s*\Z", re.IGNORECASE)
_SPELLED_DOT = re.compile(r"\s+(?:dot|point|punkt)\s+", re.IGNORECASE)
_DOTTED_DOMAIN = re.compile(r"\w@[\w-]+(?:\.[\w-]+)+")
# A word glued to an address by spaces alone ("jean dupont@acme.fr"): a space typed inside
# the address rather than a label before it, unless the word is a label or part of the
# address's local part ("Email jean@…", "Dupont jdupont@…").
_GLUED = re.compile(r"([^\s;,/|<>()\[\]{}\"']+)[ \t\u00a0]+([^\s;,/|<>()\[\]{}\"'@]+)@")
# Spaces typed around the "@" ("jean @ acme.fr", "jean@ acme.fr") or before the domain's
# dot ("jean@acme .fr"): one address, not the fragments "@" or "jean@" around a space.
_SPACE_BEFORE_AT = re.compile(r"(?<=[\w.+'-])[ \t\u00a0]+@")
_SPACE_AFTER_AT = re.compile(r"@[ \t\u00a0]+(?=[\w-])")
_SPACE_BEFORE_DOT = re.compile(
    r"(@[\w-]+(?:\.[\w-]+)*)[ \t\u00a0]+\.(?=[A-Za-z]{2,}\b)"  # jean@acme .fr
    r"|(@[\w-]+)[ \t\u00a0]*\.[ \t\u00a0]+(?=[A-Za-z]{2,}\b)"  # jean@acme . fr: no TLD yet
)
# "jean@acme,fr": a comma typed for the domain's dot, not a list ("acme" and "fr").
_COMMA_DOT = re.compile(r"@[^\s@.,;]+,[A-Za-z]{2,24}(?![\w@.])")
_LABEL_WORDS = frozenset({
    "email", "mail", "courriel", "mel", "adresse", "address", "contact", "to", "cc", "de",
    "from", "et", "and", "ou", "or", "und", "oder", "pro", "perso", "professionnel",
    "personnel", "work", "personal", "home", "office", "bureau", "business", "main",
    "primary", "secondary", "other", "autre", "privat", "geschaftlich", "dienstlich",
})
# The common case, answered without the slower path: one ASCII address, nothing around it.
_PLAIN_EMAIL = re.compile(r"\s*[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]*[A-Za-z0-9]\s*\Z")


def clean_emails(cell: str) -> list[str]:
    """The addresses held in one input cell, trimmed but otherwise as written.

    Handles what real exports contain: ``mailto:`` links with a query string,
    ``Name <address>``, several addresses separated by ``;`` ``,`` ``/`` or spaces,
    invisible characters, an ``@`` written ``&#64;``, ``%40`` or full-width, and
    addresses spelled out against harvesting (``jean [at] exemple [dot] fr``,
    ``jean at exemple dot fr``). Validation proper is the email enricher's job; a cell
    with no ``@`` is kept whole so the enricher can mark it invalid.
    """
    if _PLAIN_EMAIL.match(cell):
        return [cell.strip()]
    text = unicodedata.normalize("NFC", cell.translate(_INVISIBLE)).strip()
    if not text:
        return []
    text = _ENTITY_AT.sub("@", text)
    if "@" not in text:
        text = _PERCENT_AT.sub("@", text)
    if "@" not in text or "[" in text or "(" in text or "{" in text:
        decoded = BRACKETED_DOT.sub(".", BRACKETED_AT.sub("@", text))
        if decoded != text and _DOTTED_DOMAIN.search(decoded):
            text = decoded
    if "@" not in text:
        spelled = _SPELLED.match(text)
        if spelled:
            text = f"{spelled.group(1)}@{_SPELLED_DOT.sub('.', spelled.group(2))}"
    if text.count("@") == 1 and (" @" in text or "@ " in text or " ." in text
                                 or ". " in text or "\t" in text or "\u00a0" in text):
        text = _SPACE_AFTER_AT.sub("@", _SPACE_BEFORE_AT.sub("@", text))
        text = _SPACE_BEFORE_DOT.sub(lambda m: f"{m.group(1) or m.group(2)}.", text)
    angled = _ANGLE.findall(text)
    if angled:
        text = " ".join(angled)
    elif '"@' in text or _COMMA_DOT.search(text) or _space_inside(text):
        # One value the email enricher refuses ('"jean dupont"@acme.fr', a comma for a
        # dot, a space inside), not a fragment of it kept as if it were the address.
        return [text]
    found = []
    for token in _SEPARATORS.split(text):
        for part in _split_slashes(token):
            # Prose around an address; a leading dot is kept (".jean@…" is another
            # address than "jean@…", refused by the enricher as email-validator does).
            part = part.strip().lstrip("\"'()[]<>,:").rstrip("\"'()[]<>,:.")
            if part.lower().startswith("mailto:"):
                part = part[7:].split("?", 1)[0]
            if part:
                found.append(part)
    addresses = [p for p in found if "@" in p]
    # "@" alone, "jean@" or "@acme.fr" beside whole addresses: pieces of the text
    # around them ("Email @ jean@acme.fr"), not addresses of their own.
    whole = [p for p in addresses if not p.startswith("@") and not p.endswith("@")]
    return whole or addresses or ([text] if "@" not in text else [])


def _split_slashes(token: str) -> list[str]:
    """``token`` cut at each "/" or "|" that follows an address; one written inside a
    local part (``ventes/export@acme.fr``) stays, as in the address alone."""
    if "/" not in token and "|" not in token:
        return [token]
    pieces = _SLASHES.split(token)
    parts = [pieces[0]]
    for separator, piece in zip(pieces[1::2], pieces[2::2], strict=True):
        if "@" in parts[-1]:
            parts.append(piece)
        else:
            parts[-1] += separator + piece
    return parts


def _space_inside(text: str) -> bool:
    """Whether some word before an address in ``text`` may be the start of it, cut off by
    a space (``jean dupont@acme.fr``): splitting would make up ``dupont@acme.fr``."""
    for match in _GLUED.finditer(text):
        word, local = match.group(1), match.group(2)
        if "@" in word or word.endswith((":", "-", ".", "–")):
            continue  # another address, or a label ("Email:")
        plain = _folded(word)
        if plain in _LABEL_WORDS or (plain and plain in _folded(local)):
            continue
        return True
    return False


def _folded(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if c.isalnum())


def normalize_email_key(email: str) -> str:
    """The comparison form of an address: trimmed, NFC, lower case, IDN domain in ASCII."""
    return ascii_domain(unicodedata.normalize("NFC", email.translate(_INVISIBLE)).strip().lower())


_GMAIL = frozenset({"gmail.com", "googlemail.com"})
_AT_GMAIL = tuple("@" + d for d in sorted(_GMAIL))


def mailbox_key(email: str) -> str:
    """The mailbox an address reaches: :func:`mailbox_of` its comparison key
    (:func:`normalize_email_key`)."""
    return mailbox_of(normalize_email_key(email))


def mailbox_of(key: str) -> str:
    """One key per mailbox (``key``: an address in lower case): a tag after ``+``
    dropped (``marie.curie+news@`` is ``marie.curie@``: Gmail, Outlook, Google Workspace
    and Microsoft 365 deliver both to one mailbox, and an opt-out is the person's, not
    the tag's), and at Gmail the dots too, under one domain, as Reacher folds them
    (``j.e.a.n+x@googlemail.com`` is ``jean@gmail.com``). Nearly every address is its
    own key: that is seen first (dedupe asks once per address of every record)."""
    if "+" not in key and not key.endswith(_AT_GMAIL):
        return key
    local, at, domain = key.rpartition("@")
    if not at or not local:
        return key
    local = untagged(local)
    if domain in _GMAIL:
        domain, local = "gmail.com", local.replace(".", "") or local
    return f"{local}@{domain}"


def untagged(local: str) -> str:
    """A local part without its ``+tag`` (all of it when nothing is before the ``+``)."""
    return local.split("+", 1)[0] or local


def email_hash(email: str) -> str:
    """sha256 of the normalised address, hex: how a forgotten address is remembered."""
    return hashlib.sha256(normalize_email_key(email).encode()).hexdigest()


_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


def parse_suppression(value: str) -> tuple[str, str]:
    """``("email", address)``, ``("domain", domain)`` or ``("hash", sha256)`` from user input.

    Raises ``ValueError`` naming the value when it is none of these.
    """
    text = value.strip()
    if re.fullmatch(r"[0-9a-fA-F]{64}", text):
        return "hash", text.lower()
    if text.startswith("@"):
        domain = normalize_email_key("x" + text).split("@", 1)[1]
        if not _DOMAIN.match(domain):
            raise ValueError(f"'{value}' is not a domain (write @example.com)")
        return "domain", domain
    key = normalize_email_key(text)
    local, _, domain = key.rpartition("@")
    if not local or not _DOMAIN.match(domain):
        raise ValueError(f"'{value}' is neither an email address nor an @domain")
    return "email", key


@dataclass
class SuppressionMatcher:
    """Answers "may this person be contacted?" from the suppressions table."""

    emails: set[str] = field(default_factory=set)
    domains: set[str] = field(default_factory=set)
    hashes: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> SuppressionMatcher:
        matcher = cls()
        for kind, value, digest in conn.execute("SELECT kind, value, sha256 FROM suppressions"):
            if kind == "email" and value:
                matcher.add_email(value)
            elif kind == "domain" and value:
                matcher.domains.add(value)
            matcher.hashes.add(digest)
        return matcher

    def __bool__(self) -> bool:
        return bool(self.emails or self.domains or self.hashes)

    def add_email(self, email: str) -> None:
        """Suppress an address: its mailbox too (see :func:`mailbox_key`)."""
        key = normalize_email_key(email)
        self.emails.add(key)
        self.emails.add(mailbox_of(key))

    def matches(self, emails: Iterable[str]) -> bool:
        """True when any of the addresses is suppressed, by address, mailbox (a
        ``+tag``, Gmail's dots: see :func:`mailbox_key`), domain or hash."""
        if not self:
            return False
        for email in emails:
            key = normalize_email_key(email)
            mailbox = mailbox_of(key)
            if key in self.emails or mailbox in self.emails:
                return True
            domain = key.rpartition("@")[2]
            if domain and self._domain_suppressed(domain):
                return True
            if self.hashes and (email_hash(key) in self.hashes or (
                    mailbox != key and email_hash(mailbox) in self.hashes)):
                return True
        return False

    def _domain_suppressed(self, domain: str) -> bool:
        # A suppressed domain covers its subdomains too (@acme.example covers
        # mail.acme.example).
        parts = domain.split(".")
        return any(".".join(parts[i:]) in self.domains for i in range(len(parts) - 1))


# The separators a number is written with, removed: every whitespace character (what
# ``\s`` matches), dots, dashes, brackets and slashes. A table for ``str.translate``,
# which takes half the time of a pattern's ``sub`` (merging a million people reads a
# number or two of each).
_PHONE_NOISE = dict.fromkeys(map(ord, (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000.-()/")))
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def e164_shape(raw: str) -> str | None:
    """The number if it is already written in international form, else None.

    Only separators are removed (``+33 6 39 98 12 34`` → ``+33639981234``); a national
    number needs its country and goes through the phone enricher instead.
    """
    text = (_TRUNK_ZERO.sub(r"\1", raw) if "(" in raw else raw).translate(_PHONE_NOISE)
    if text.startswith("00"):
        text = "+" + text[2:]
    return text if _E164.match(text) else None


# "+44 (0)20 7946 0000", "+49 (0)151 …": the national trunk prefix in brackets after the
# country code, dialled only from inside the country: no digit of the E.164 number.
_TRUNK_ZERO = re.compile(r"^(\s*(?:\+|00)\s*[1-9]\d{0,2})[\s.\-]*\(\s*0\s*\)")
