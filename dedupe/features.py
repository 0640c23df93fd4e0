"""What matching compares, read once from the store into columns.

Every active record (a golden record or one never merged) becomes one row of
:class:`PersonFeatures` / :class:`CompanyFeatures`: names folded for comparison
(case, accents, punctuation, particles), given-name variant groups from
``data/nicknames.txt``, email keys, phone keys, company keys. Columns are numpy
arrays of Python strings or of integer codes, so comparisons over millions of
candidate pairs run as array operations and rapidfuzz ``cpdist`` calls.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Any
from urllib.parse import unquote

import jellyfish
import numpy as np

from prospecting.models import (
    LEGAL_FORM_WORDS,
    company_name_key,
    loads,
    plain_letters,
    split_phone_extension,
)
from prospecting.privacy import mailbox_of, untagged
from prospecting.store import Store

__all__ = [
    "CompanyFeatures",
    "PersonFeatures",
    "fold_name",
    "load_companies",
    "load_people",
    "nickname_groups",
    "phone_key",
]

PARTICLES = frozenset(
    {"de", "du", "des", "la", "le", "les", "d", "l", "van", "von", "der", "den", "ter",
     "ten", "ben", "el", "al", "da", "di", "dos", "das", "del", "della", "y", "st", "ste",
     "saint", "sainte", "mac", "mc"}
)
_NON_LETTERS = re.compile(r"[^0-9a-z]+")
_DIGITS = re.compile(r"\D+")
_EMOJI_ETC = re.compile(r"[^\w\s'’.\-]", re.UNICODE)
CIVILITIES = frozenset({"m", "mr", "mme", "mlle", "mrs", "ms", "miss", "dr", "pr", "prof",
                        "me", "monsieur", "madame", "mademoiselle", "sir", "dame"})


@functools.lru_cache(maxsize=1 << 18)
def fold_name(text: str | None) -> str:
    """Lower case, no accents, punctuation and hyphens as spaces, civilities dropped.

    ``Jean-Pierre`` → ``jean pierre``; ``O’Neill`` → ``o neill``; ``J.-P.`` → ``j p``,
    ``M.-P.`` → ``m p`` (but ``M. Jean`` → ``jean``);
    ``ß`` folds to ``ss`` (casefold), ``Œ`` to ``oe``, ``Ø`` to ``o``, ``Ł`` to ``l``.
    """
    if not text:
        return ""
    text = _EMOJI_ETC.sub(" ", text)
    folded = unicodedata.normalize("NFKC", text).casefold()
    if not folded.isascii():
        # Søren, Łukasz: letters stripping accents leaves as they are, read as no letter.
        folded = plain_letters(folded)
    words = _NON_LETTERS.sub(" ", folded).split()
    # "M. Jean" is Monsieur Jean; "M.-P." is Marie-Pierre's initials, not Monsieur P.,
    # and "M-Laure" Marie-Laure: a word joined to the next by a hyphen is part of a name.
    while len(words) > 1 and words[0] in CIVILITIES and (
            len(words[0]) > 1 or len(words[1]) > 1) and not _HYPHENED.match(folded):
        words = words[1:]
    return " ".join(words)


# Two or three letters and no vowel: initials written together ("JP", "MC", "FX"), no
# given name ("Jo", "Al", "Ed" have theirs). Read in a given name's field here, in a
# surname's field by the comparisons (a swapped "Hubert, J-M").
INITIALS_TOGETHER = re.compile(r"[b-df-hj-np-tv-xz]{2,3}")
_HYPHENED = re.compile(r"\W*[^\W\d_]+\.?\s*[-‐‑–]")


# How German speakers write ä, ö and ü without them: Müller is "Mueller" in an address,
# a bought list or a form that takes only ASCII, and "Muller" in one that drops accents.
# So do Danes and Norwegians ø and å (Søren is "Soeren", Åse "Aase").
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                          "ø": "oe", "Ø": "Oe", "å": "aa", "Å": "Aa"})


@functools.lru_cache(maxsize=1 << 16)
def umlauts_written_out(text: str) -> str:
    """The folded name with its umlauts written out (``Jürgen Müller`` → ``juergen
    mueller``, ``Søren`` → ``soeren``), "" when it has none: beside :func:`fold_name`'s
    ``jurgen muller``, the other way a record may write it."""
    composed = unicodedata.normalize("NFC", text)
    written = composed.translate(_UMLAUTS)
    return fold_name(written) if written != composed else ""


def surname_core(folded: str) -> str:
    """A folded last name without its particles: ``de la fontaine`` → ``fontaine``."""
    words = [w for w in folded.split() if w not in PARTICLES]
    return "".join(words) or folded.replace(" ", "")


def surname_head(folded: str) -> str:
    """The first word of a surname of several words (particles left out), the one a
    company often makes an address of: ``raya iglesias`` → ``raya`` (jraya@ for Javier
    Raya Iglesias); "" for a surname of one word."""
    words = [w for w in folded.split() if w not in PARTICLES]
    return words[0] if len(words) > 1 and len(words[0]) > 1 else ""


@functools.lru_cache(maxsize=1)
def nickname_groups() -> dict[str, tuple[int, ...]]:
    """Folded given name → the variant groups it belongs to (see data/nicknames.txt)."""
    from enrichers.names import nickname_table

    groups: dict[str, list[int]] = {}
    numbers: dict[str, int] = {}  # canonical form -> its group
    for head, variants in nickname_table():
        # A canonical form on several lines (English, then French hypocoristics) is one
        # group: Fifi and Josy are both Joséphine.
        number = numbers.setdefault(fold_name(head), len(numbers) + 1)
        for name in (head, *variants):
            key = fold_name(name)
            if key:
                groups.setdefault(key, []).append(number)
                groups.setdefault(key.replace(" ", ""), []).append(number)
    return {k: tuple(sorted(set(v))) for k, v in groups.items()}


@functools.lru_cache(maxsize=1)
def feminine_forms() -> frozenset[tuple[str, str]]:
    """(masculine, feminine) given names, folded (see data/feminine_forms.txt), both
    ways round: Jean and Jeanne, Louis and Louise are two people's names."""
    text = resources.files("prospecting.data").joinpath("feminine_forms.txt").read_text(
        "utf-8")
    pairs: set[tuple[str, str]] = set()
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        head, _, rest = line.partition(":")
        man = fold_name(head.strip())
        for name in rest.split(","):
            woman = fold_name(name.strip())
            if man and woman and man != woman:
                pairs.update({(man, woman), (woman, man)})
    return frozenset(pairs)


def gendered_names(x: str, y: str) -> bool:
    """Whether two folded given names are a man's name and its feminine form."""
    return (x, y) in feminine_forms()


MAN, WOMAN = 1, 2
# data/given_names.txt's marks: (a list that says whose a name is, sex).
_MARKS = {"M": (True, "male"), "F": (True, "female"), "m": (False, "male"),
          "f": (False, "female")}


@functools.lru_cache(maxsize=1)
def _name_lists() -> dict[tuple[bool, str], set[str]]:
    """Faker's folded given names (see data/given_names.txt, which
    data/make_given_names.py writes from its person providers) by (the list says whose a
    name is, "male" or "female"): French, English and the languages of the names most
    often met in France besides say it; German, Dutch and Irish lists only tell a name
    worn by both."""
    from enrichers.names import given_name_marks

    lists: dict[tuple[bool, str], set[str]] = {key: set() for key in _MARKS.values()}
    for name, marks in given_name_marks().items():
        for mark in marks:
            lists[_MARKS[mark]].add(name)
    return lists


@functools.lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """Faker's folded surnames (data/surnames.txt, which data/make_given_names.py writes
    from its person providers, the given names' languages): Lebrun and Leblanc, Cohen
    and Coleman are surnames of their own."""
    text = resources.files("prospecting.data").joinpath("surnames.txt").read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


@functools.lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Every folded given name of Faker's lists (:func:`name_genders`' languages): Yann
    and Yannick, Marc and Marcel are names of their own; Math and Seb are not."""
    return frozenset().union(*_name_lists().values())


@functools.lru_cache(maxsize=1)
def name_genders() -> dict[str, int]:
    """Folded given name -> :data:`MAN` or :data:`WOMAN`, from Faker's lists of men's and
    women's names in the languages that say it (about 2,600 names). A name a list of
    either sex holds in any of those languages or the others (Dominique, Camille,
    Andrea, Jean, Sacha, Robin) has none: only names worn by one sex tell two people apart
    (Julien and Julie, Nathan and Nathalie, Samir and Samira)."""
    lists = _name_lists()
    men, women = lists.get((True, "male"), set()), lists.get((True, "female"), set())
    any_men = men | lists.get((False, "male"), set())
    any_women = women | lists.get((False, "female"), set())
    return {**{name: MAN for name in men - any_women},
            **{name: WOMAN for name in women - any_men}}


def gender_of(name: str) -> int:
    """:func:`name_genders` of a folded given name, or of its first word ("jean marie" is
    a man's, "marie claire" a woman's); 0 when not known or worn by both."""
    genders = name_genders()
    found = genders.get(name)
    if found is None and " " in name:
        found = genders.get(name.split(" ", 1)[0])
    return found or 0


def other_sex(x: str, y: str) -> bool:
    """Whether two folded given names are a man's and a woman's (see
    :func:`name_genders`), or a man's name and its feminine form."""
    gx, gy = gender_of(x), gender_of(y)
    return bool(gx and gy and gx != gy) or gendered_names(x, y)


NAME_GROUPS = 6  # nickname groups kept per given name (Alex: Alexander, Alexandra, Alexis…)


@functools.lru_cache(maxsize=1 << 16)
def _name_groups(first: str) -> tuple[int, ...]:
    groups = nickname_groups().get(first) or nickname_groups().get(first.split(" ")[0]) or ()
    if not groups:
        return (0,) * NAME_GROUPS
    kept = groups[:NAME_GROUPS]
    return kept + (kept[-1],) * (NAME_GROUPS - len(kept))


def share_nickname_group(x: str, y: str) -> bool:
    """Whether two folded given names sit in one nickname group (Sue and Susan)."""
    return bool(set(_name_groups(x)) & set(_name_groups(y)) - {0})


def share_nickname_groups(ga: np.ndarray, gb: np.ndarray) -> np.ndarray:
    """:func:`share_nickname_group` row by row, from ``first_groups`` rows of two sides."""
    same = np.zeros(len(ga), dtype=bool)
    for i in range(ga.shape[1]):
        for j in range(gb.shape[1]):
            same |= ga[:, i] == gb[:, j]
    return same & (ga[:, 0] > 0)  # a name in no group has only zeros


def free_mail(f: PersonFeatures) -> np.ndarray:
    """Whether each record holds a free-mail address (kept on ``f``: blocking and the
    comparisons both ask)."""
    free = f.extra.get("free_mail")
    if free is None:
        free = f.extra["free_mail"] = ((f.emails != "") & (f.email_domains == "")).any(axis=1)
    return free


def map_distinct(func: Callable[[str], str], column: np.ndarray) -> np.ndarray:
    """``func`` of each value ("" for none), called once per distinct value: names, their
    sounds and address domains repeat over a million records."""
    values = column.tolist()
    found = {v: func(v) if v else "" for v in dict.fromkeys(values)}
    out = np.empty(len(values), dtype=object)
    out[:] = list(map(found.__getitem__, values))
    return out


@functools.lru_cache(maxsize=1 << 18)
def phonetic(word: str) -> str:
    """A sound key for blocking (metaphone; French silent endings are dropped first)."""
    if not word:
        return ""
    word = re.sub(r"(?<=[a-z])(s|x|t|d|e)$", "", word) if len(word) > 4 else word
    return jellyfish.metaphone(word) or word


def phone_key(raw: str | None) -> str:
    """The last nine digits of a number: ``01 99 00 45 18`` and ``+33199004518`` agree.

    Nine digits are the French national significant number and long enough to keep
    numbers of one country apart; trunk prefixes and country codes fall off the front.
    """
    return _key_of(_number_digits(raw)) if raw else ""


def _number_digits(raw: str) -> str:
    # Not an extension's digits ("+33 1 40 00 00 01 poste 12").
    return _DIGITS.sub("", split_phone_extension(raw)[0])


def _key_of(digits: str) -> str:
    key = digits[-9:] if len(digits) >= 8 else ""
    # A number typed to fill a mandatory field (0000000000, 0123456789) is nobody's.
    return "" if key in _FILLER_NUMBERS or key[1:] == key[:-1] else key


_FILLER_NUMBERS = frozenset({"123456789", "23456789", "12345678", "012345678",
                             "987654321", "98765432", "876543210"})


# Company names that name no employer (in ``company_name_key`` form): people who give
# one work at no one company together, and Julien Martin the freelance developer in Lyon
# is not Julien Martin the freelance designer there.
_NOT_EMPLOYERS = frozenset({
    "freelance", "freelancer", "free lance", "self employed", "selfemployed", "self",
    "independent", "independant", "independante", "independent consultant",
    "consultant independant", "consultante independante", "auto entrepreneur",
    "autoentrepreneur", "micro entrepreneur", "microentrepreneur", "entrepreneur",
    "retired", "retraite", "retraitee", "student", "etudiant", "etudiante", "confidential",
    "confidentiel", "stealth", "stealth mode", "stealth startup", "various", "divers",
    "personal", "particulier", "private", "prive", "sans emploi", "unemployed",
    "open to work", "en recherche d emploi", "demandeur d emploi", "own business",
    "my company", "company", "entreprise", "societe", "individual", "not employed",
})


@functools.lru_cache(maxsize=1 << 16)
def no_employer(name: str | None) -> bool:
    """Whether a company name names no employer ("Freelance", "Self-employed",
    "Indépendant", "Étudiant"): compared as no company at all."""
    return bool(name) and company_name_key(name) in _NOT_EMPLOYERS


def _initials(folded: str) -> str:
    return "".join(w[0] for w in folded.split())


@dataclass
class PersonFeatures:
    """Columns of the records a dedupe run compares, index-aligned."""

    ids: np.ndarray
    first: np.ndarray  # folded given name ("jean pierre")
    first_de: np.ndarray  # its umlauts written out ("juergen" for Jürgen), else ""
    first_initials: np.ndarray
    first_is_initials: np.ndarray  # bool
    first_groups: np.ndarray  # int, shape (n, NAME_GROUPS): nickname groups (0: none)
    last: np.ndarray  # folded, no spaces ("delafontaine")
    last_core: np.ndarray  # without particles ("fontaine")
    last_head: np.ndarray  # the first of several words ("raya" of "raya iglesias"), else ""
    last_de: np.ndarray  # its umlauts written out ("mueller" for Müller), else ""
    emails: np.ndarray  # shape (n, 2): email keys, "" when absent
    email_locals: np.ndarray  # shape (n, 2)
    email_domains: np.ndarray  # shape (n, 2); "" for free-mail domains
    phones: np.ndarray  # shape (n, 2): phone keys
    mobiles: np.ndarray  # int8: which of the two are mobiles (bits 0 and 1), may be (2, 3)
    company_id: np.ndarray
    company_key: np.ndarray  # folded company name without legal form
    company_initials: np.ndarray  # its words' initials, for three words or more ("clg")
    company_core: np.ndarray  # another form of its name ("blanchardauto", "colintp")
    company_domain: np.ndarray
    city: np.ndarray
    postcode: np.ndarray
    address: np.ndarray
    title: np.ndarray
    linkedin: np.ndarray
    hashes: np.ndarray  # a hash of the compared values, for incremental runs
    # Each record's rowid (``people.seq``): merging reads the records by it rather than
    # through the index of their ids (see ``dedupe.merge.Merge.seqs``).
    seqs: np.ndarray
    extra: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class CompanyFeatures:
    ids: np.ndarray
    name_key: np.ndarray
    domain: np.ndarray
    siren: np.ndarray
    city: np.ndarray
    postcode: np.ndarray
    hashes: np.ndarray
    # Derived once per run from the columns above (see dedupe.stage._site_names_of).
    extra: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)


_PERSON_SQL = """
SELECT p.id, p.first_name, p.last_name, p.full_name, p.emails, p.phones, p.company_id,
       c.name, c.domain, coalesce(p.city, ''), coalesce(p.postcode, ''),
       coalesce(p.address, ''), coalesce(p.title, ''), coalesce(p.linkedin_url, ''), p.seq
FROM people AS p LEFT JOIN companies AS c ON c.id = p.company_id
WHERE p.merged_into IS NULL
"""
# The same rows for the whole table without the join: the company's name and domain
# from CompanyNames.
_PERSON_TABLE_SQL = """
SELECT p.id, p.first_name, p.last_name, p.full_name, p.emails, p.phones, p.company_id,
       coalesce(p.city, ''), coalesce(p.postcode, ''), coalesce(p.address, ''),
       coalesce(p.title, ''), coalesce(p.linkedin_url, ''), p.seq
FROM people AS p
WHERE p.merged_into IS NULL
"""
_NO_COMPANY = (None, None)


class CompanyNames:
    """Every company's (name, domain) by id, for reading people in table order without
    joining each to its company: the join searches the companies' id index once per
    person, over half of what reading a million people costs SQLite.

    Read again only when the store may have changed since (``PRAGMA data_version`` for
    other connections' commits, ``total_changes`` for this one's writes), so the chunks
    of one loading mostly share one read. One per connection: the version is a
    connection's own.
    """

    def __init__(self) -> None:
        self._key: tuple[int, int] | None = None
        self._names: dict[str, tuple[str | None, str | None]] = {}

    def read(self, conn: Any) -> dict[str, tuple[str | None, str | None]]:
        """The companies as the read transaction ``conn`` is in sees them."""
        key = (conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes)
        if key != self._key:
            self._names = {cid: (name, domain) for cid, name, domain in conn.execute(
                "SELECT id, name, domain FROM companies")}
            self._key = key
        return self._names


def contact_keys(emails_json: str, phones_json: str) -> list[str]:
    """A person row's email keys and phone keys, as the comparisons read them."""
    return [k for k in (*_emails(emails_json, frozenset())[0], *_phones(phones_json)[0]) if k]


def _emails(emails_json: str | list[dict[str, Any]], free: frozenset[str]
            ) -> tuple[list[str], list[str], list[str]]:
    """Email keys, local parts and company domains, from the row's ``emails`` JSON or
    its entries already parsed."""
    if emails_json == "[]":
        return ["", ""], ["", ""], ["", ""]
    # An invalid address is still a key (a typo of the real address matches nothing).
    keys: list[str] = []
    written: list[str] = []
    for e in loads(emails_json) if isinstance(emails_json, str) else emails_json:
        flags = e.get("flags")
        if flags and "guessed" in flags:
            continue  # a finder's guess is not evidence of identity
        value = e["value"].strip().lower()
        key = mailbox_of(value)
        if "@" in key and key not in keys:
            keys.append(key)
            written.append(value)
            if len(keys) == 2:
                break
    locals_, domains = [], []
    for key, value in zip(keys, written, strict=True):
        domain = key.rpartition("@")[2]
        # The local part as written, less its tag: its dots and hyphens tell its words.
        locals_.append(untagged(value.rpartition("@")[0]))
        domains.append("" if domain in free else domain)
    while len(keys) < 2:
        keys.append("")
        locals_.append("")
        domains.append("")
    return keys, locals_, domains


def _phones(phones_json: str | list[dict[str, Any]]) -> tuple[list[str], int]:
    """A record's first two phone keys, and which are mobiles (bit 0 the first's, bit 1
    the second's; see :func:`is_mobile`) or may be (bits 2 and 3; see
    :func:`_maybe_mobile`)."""
    if phones_json == "[]":
        return ["", ""], 0
    keys: list[str] = []
    mobile = 0
    for p in loads(phones_json) if isinstance(phones_json, str) else phones_json:
        text = p.get("e164") or p.get("raw")
        if not text:
            continue
        # Not checked yet, a cell of two numbers ("0173874100, 0685224874", as Pipedrive
        # joins a person's numbers): each, as enrich will read them.
        for number in ((text,) if p.get("e164") or len(text) < 16 else _cell_numbers(text)):
            digits = _number_digits(number)
            key = _key_of(digits)
            if key and key not in keys:
                if _mobile(p.get("type"), number, digits):
                    mobile |= 1 << len(keys)
                elif _maybe_mobile(p.get("type"), number, digits):
                    mobile |= 4 << len(keys)
                keys.append(key)
            if len(keys) == 2:
                return keys, mobile
    return keys + [""] * (2 - len(keys)), mobile


def _cell_numbers(raw: str) -> tuple[str, ...]:
    """The numbers of a raw phone cell as enrich reads them (``enrichers.phones``): core
    modules import enrichers/ only where used."""
    from enrichers.phones import cell_numbers

    return cell_numbers(raw)


# Mobile ranges of the numbering plans (country code and the digits after it), for
# numbers not typed yet: France 6 and 7, the UK's 71-75 and 77-79, Germany 15-17, Austria
# 65-69, Switzerland 75-79, Belgium 45-49, the Netherlands 6, Luxembourg 6, Spain 6 and 7,
# Italy 3, Portugal 9, Ireland 8. A number of the North American plan says nothing.
_MOBILE_PREFIXES = frozenset({
    "336", "337", "4471", "4472", "4473", "4474", "4475", "4477", "4478", "4479", "4915",
    "4916", "4917", "4365", "4366", "4367", "4368", "4369", "4175", "4176", "4177", "4178",
    "4179", "3245", "3246", "3247", "3248", "3249", "316", "3526", "346", "347", "393",
    "3519", "3538",
})  # fmt: skip
_UNTYPED = frozenset({None, "", "unknown"})


def is_mobile(e164: str | None, kind: str | None = None, raw: str | None = None) -> bool:
    """Whether a number is a mobile: as ``enrich`` typed it (``mobile``), or, not typed
    yet, by its plan's mobile ranges (:data:`_MOBILE_PREFIXES`), which also hold the
    ranges a plan keeps for fiction (06 39 98 in France) that the typing calls invalid;
    with no country code, a French mobile's form (06 or 073 to 079, ten digits; the
    Netherlands' 06 and Switzerland's 075 to 079 are mobiles too), a British one (07,
    eleven digits: 07700 900123) or a German one (015 to 017, twelve digits). One
    person's own number, where a landline may be a switchboard or a shop's."""
    text = e164 or raw
    return _mobile(kind, text, _number_digits(text)) if text else kind == "mobile"


def _mobile(kind: str | None, text: str, digits: str) -> bool:
    """:func:`is_mobile` of a number written ``text`` (not empty), its digits
    ``digits``."""
    if kind == "mobile":
        return True
    if kind not in _UNTYPED:
        return False
    if text[0] == "+" or text.startswith("00"):
        if "(0)" in text:  # +33 (0)6 …
            digits = _number_digits(text.replace("(0)", ""))
        if text[0] != "+":
            digits = digits[2:]
        return _in_mobile_range(digits)
    if digits[:1] != "0":
        if len(digits) == 9:
            # A French mobile whose leading 0 a spreadsheet dropped ("612345678" for 06 12
            # 34 56 78, stored as a number), as Spain's and Switzerland's mobiles are
            # written at home: 6, or 73 to 79.
            return digits[0] == "6" or (digits[0] == "7" and digits[1] in "3456789")
        # A country code with no + or 00 before it ("33612345678", as Brevo's SMS column
        # and many tools write numbers): an international number's length, its plan's
        # mobile range.
        return 11 <= len(digits) <= 14 and _in_mobile_range(digits)
    if digits[1:2] == "0":
        return False
    if len(digits) == 10:
        return digits[1] == "6" or (digits[1] == "7" and digits[2] in "3456789")
    # The UK's 07 (but 070, personal numbers, and 076, pagers), eleven digits with the
    # 0; Germany's 015, 016 and 017 at twelve (at eleven, as many British landlines:
    # 0161 for Manchester).
    return (len(digits) == 11 and digits[1] == "7" and digits[2] in "12345789") or (
        len(digits) == 12 and digits[1] == "1" and digits[2] in "567")


def _in_mobile_range(digits: str) -> bool:
    """Whether an international number's digits (its country code first) open on one of
    :data:`_MOBILE_PREFIXES`."""
    return (digits[:3] in _MOBILE_PREFIXES or digits[:4] in _MOBILE_PREFIXES
            or digits[:5] in _MOBILE_PREFIXES)


def _maybe_mobile(kind: str | None, text: str, digits: str) -> bool:
    """Whether a number no mobile range tells may be one all the same: typed
    ``fixed_line_or_mobile``, or, not typed yet, of the North American plan (``+1``, or
    ten digits that open on no 0), where mobiles and landlines share the area codes."""
    if kind == "fixed_line_or_mobile":
        return True
    if kind not in _UNTYPED:
        return False
    if text[0] == "+":
        return text[1] == "1" or (text[1] == " " and text[2:3] == "1")
    return (len(digits) == 10 and digits[0] not in "01") or (
        len(digits) == 11 and digits[0] == "1" and digits[1] not in "01")


# A letter alone between two words ("Thomas K. Schmidt", "Thomas K Schmidt"): the only
# full names _with_middle_initial reads again.
_INITIAL_INSIDE = re.compile(r"\S\s+\w\.?\s+\S")


def _with_middle_initial(first: str, last: str, full: str) -> str:
    """A folded given name with the middle initial the full name writes between it and
    the surname ("Thomas K. Schmidt": ``thomas k``), which tells Thomas A. and Thomas K.
    Schmidt apart and still reads as Thomas; as it was otherwise."""
    words = fold_name(full).split()
    given = first.split()
    end = len(given)
    if len(words) >= end + 2 and words[:end] == given and len(
            words[end]) == 1 and "".join(words[end + 1:]) == last.replace(" ", ""):
        return f"{first} {words[end]}"
    return first


@functools.lru_cache(maxsize=1 << 16)
def _split_full(full: str) -> tuple[str, str]:
    """A full name's given name and surname. Its middle words are given names while a
    list that says whose a name is holds them, and from the first that none holds, the
    start of the surname: "José Antonio Marín Palma" is José Antonio and Marín Palma (a
    Spanish name's two surnames), "Miguel Fernández Priego" Miguel and Fernández Priego.
    A middle initial ("Thomas K. Schmidt") is left out, as :func:`_with_middle_initial`
    reads it, and so is a middle the splitter reads in another order than written."""
    from enrichers.names import split_name

    parts = split_name(full)
    first, last = parts.first_name or "", parts.last_name or ""
    words = [first, *(parts.middle or "").split(), last]
    seq = fold_name(" ".join(words)).split()
    if not (first and last) or fold_name(full).split()[-len(seq):] != seq:
        # Read in another order than written (NGUYEN Thi Lan, Thi Lan Nguyen: Thi is
        # no given name of Lan's), or with a suffix: as the splitter reads it.
        return first, last
    if parts.middle:
        middle = parts.middle.split()
        folded = [fold_name(w) for w in middle]
        if all(len(w.replace(" ", "")) > 1 for w in folded):
            strong = _strong_given_names()
            k = 0
            while k < len(middle) and folded[k] in strong:
                k += 1
            first = " ".join([first, *middle[:k]])
            last = " ".join([*middle[k:], last])
    return first, last


@functools.lru_cache(maxsize=1)
def _strong_given_names() -> frozenset[str]:
    """Folded given names a list that says whose a name is holds (see :func:`_name_lists`):
    Antonio, Luis, Claire; not Marín, which the others' lists hold and is a surname as
    often."""
    lists = _name_lists()
    return frozenset(lists[(True, "male")] | lists[(True, "female")])


@functools.lru_cache(maxsize=1 << 16)
def _company_key(name: str | None) -> str:
    """The company name's match key, spaces removed: what ``company_name_key`` leaves,
    with letters written apart joined again (``B.N.P.`` is ``bnp``, and ``S.A.`` a legal
    form to drop) and the ``& Co.`` of ``GmbH & Co. KG`` or ``et Cie`` dropped."""
    if not name:
        return ""
    return "".join(_company_key_words(name))


def _company_key_words(name: str) -> list[str]:
    """The words of :func:`_company_key`, apart."""
    if "." in name:
        name = _sites_named(name)
    words = company_name_key(name).split()
    if any(w in _ABBREVIATIONS for w in words):
        longer = [_ABBREVIATIONS.get(w, w) for w in words]
        words = [w for w in longer if w not in LEGAL_FORM_WORDS] or longer
    kept: list[str] = []
    letters: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            letters.append(word)
            continue
        if letters:
            joined = "".join(letters)
            if len(letters) == 1 or joined not in LEGAL_FORM_WORDS:
                kept.append(joined)
            letters = []
        if word:
            kept.append(word)
    while len(kept) > 1 and kept[-1] in _TRAILING_LINKS:
        kept.pop()
    # An article, before the name or after it as registries file it ("Les Jardins de
    # Provence", "JARDINS DE PROVENCE (LES)", "Jardins de Provence").
    if len(kept) > 1 and kept[0] in _ARTICLES:
        kept = kept[1:]
    elif len(kept) > 1 and kept[-1] in _ARTICLES:
        kept = kept[:-1]
    return kept or words


@functools.lru_cache(maxsize=1 << 14)
def _sites_named(name: str) -> str:
    """``name`` with each word written as a site (see ``site_as_name``) made its site
    name: ``acme.fr``, ``www.acme-group.fr``, ``Amazon.com, Inc.`` are ``acme``,
    ``acme group``, ``amazon, Inc.``, as other sources name those companies."""
    words = name.split()
    for i, word in enumerate(words):
        bare = word.rstrip(",;:")
        if not _site_shaped(bare):
            continue
        from prospecting.importer import site_as_name

        if (site := site_as_name(bare)) is not None:
            words[i] = site[0].split(".", 1)[0].replace("-", " ") + word[len(bare):]
    return " ".join(words)


def _site_shaped(word: str) -> bool:
    """Whether ``word`` can be a site for ``site_as_name``: a last label of two characters
    or more (every public suffix's) after another of two or more (the site's name).

    ``S.A.S``, ``S.L``, ``E.Leclerc`` are not, and are settled without the suffix list,
    whose loading (tldextract, and the requests it imports) costs a dedupe 0.15 s.
    """
    if "." not in word:
        return False
    *before, last = word.split(".")
    return len(last) >= 2 and any(len(label) >= 2 for label in before)


def saints_shortened(key: str) -> str:
    """A company key (spaces removed) with "saint" and "sainte" written "st" and "ste"
    ("Saint-Gobain" and "St Gobain"): to compare two keys, never to store. Not in the key
    itself: "ST" is also a brand's letters (ST Dupont, STMicroelectronics)."""
    return key.replace("saint", "st")


# Words CRMs, registries and team pages shorten (accents off, lower case, as
# company_name_key leaves them): "Gpe Confluence" is "Groupe Confluence", whose
# "groupe" goes with the legal forms; "Brit. Granite Svcs" is "British Granite Services".
_ABBREVIATIONS = {
    "gpe": "groupe", "grpe": "groupe", "grp": "group",
    "etbs": "etablissements", "etab": "etablissements", "etabl": "etablissements",
    "etabs": "etablissements", "sce": "societe", "soc": "societe", "cie": "compagnie",
    "intl": "international", "natl": "national", "mfg": "manufacturing",
    "svcs": "services", "svc": "services", "hldgs": "holdings", "hldg": "holdings",
    "assoc": "associates", "assocs": "associates", "bros": "brothers", "brit": "british",
    "mgmt": "management", "mgt": "management", "engg": "engineering", "solns": "solutions",
    "sys": "systems", "tech": "technologies", "techs": "technologies",
    # "&" is "et" in a company's key (company_name_key): so are its words.
    "and": "et", "und": "et",
}
def _company_initials(name: str) -> str:
    """The initials of the words of a company name of three words or more, legal forms
    and the word joining two names left out ("Cabinet Le Goff" → ``clg``): what its
    acronym would read. Two names joined ("Henry & Brunet", "Dennis and Khan") give
    theirs (``hb``, ``dk``), as such firms are written short; other names of two words
    or fewer none, their two letters would match too many others."""
    words = [w for w in company_name_key(name).split() if w not in LEGAL_FORM_WORDS]
    kept = [w for w in words if w not in _JOINING_WORDS]
    if len(kept) >= 3 or (len(kept) == 2 and len(words) == 3 and words[1] in _JOINING_WORDS):
        return "".join(w[0] for w in kept)
    return ""


# The words joining two names in a firm's name ("&" is read "et").
_JOINING_WORDS = frozenset({"et", "and", "und", "y"})


def _company_core(words: list[str]) -> str:
    """Another form of a company name, spaces removed, that another source may write as
    its whole name: its words once the words for a kind of business are left out, in
    order ("Garage Blanchard Auto" and "BLANCHARD AUTO" are both ``blanchardauto``,
    "Transports Lefèvre" and "Lefevre Transports" both ``lefevre``); else, for three
    words or more, its first word and the others' initials ("COLIN TRAVAUX PUBLICS" is
    "Colin TP", ``colintp``). Empty when neither applies, or too little is left (four
    letters). ``words``: the name's key words (see ``_company_key_words``)."""
    kept = [w for w in words if w not in KINDS_OF_BUSINESS]
    if len(kept) == len(words):
        if len(words) < 3 or any(len(w) == 1 for w in words):
            return ""
        kept = [words[0], "".join(w[0] for w in words[1:])]
    else:
        # The words that joined the trade to the name go with it: "Fonderie de
        # Montalembert" is "MONTALEMBERT", "Officine di Rossi" is "Rossi".
        while len(kept) > 1 and kept[0] in _LINKS_AFTER_TRADE:
            kept = kept[1:]
    core = "".join(kept)
    return core if len(core) >= 4 else ""


# Prepositions and articles between a trade and the name it is followed by.
_LINKS_AFTER_TRADE = frozenset({
    "de", "du", "des", "d", "la", "le", "les", "l", "di", "da", "del", "della", "dello",
    "dei", "degli", "il", "lo", "gli", "el", "los", "las", "do", "dos", "das", "von",
    "vom", "der", "of", "the",
})


# Words that say what kind of business a company is, not which one (as
# company_name_key leaves them): left out of a name's core, and two names that share
# one only are not alike (dedupe.comparisons).
KINDS_OF_BUSINESS = frozenset({
    "agence", "atelier", "ateliers", "boulangerie", "boucherie", "bureau", "cabinet",
    "cafe", "centre", "chateau", "clinique", "domaine", "ecole", "entreprise",
    "etablissements", "ets", "garage", "groupe", "group", "hotel", "imprimerie", "institut",
    "laboratoire", "laboratoires", "labo", "maison", "menuiserie", "pharmacie", "plomberie",
    "restaurant", "salon", "societe", "studio", "studios", "transports", "cave", "ferme",
    "librairie", "galerie", "fondation", "association",
    # French trades, then Spanish, Italian, German and English words of the kind.
    "chaudronnerie", "fonderie", "serrurerie", "carrosserie", "constructions",
    "electricite", "quincaillerie", "brasserie", "patisserie", "fromagerie", "papeterie",
    "scierie", "verrerie", "grupo", "construcciones", "transportes", "talleres",
    "laboratorios", "gruppo", "costruzioni", "officine", "trasporti", "laboratori",
    "gruppe", "backerei", "baeckerei", "metzgerei", "autohaus", "brauerei", "druckerei",
    "schreinerei", "tischlerei", "bakery", "laboratories", "labs",
})


# What a legal form leaves behind at the end of a name once stripped ("& Co. KG", "& Cie").
_TRAILING_LINKS = frozenset({"et", "and", "und", "cie", "compagnie"})
_ARTICLES = frozenset({"le", "la", "les", "the"})


@functools.lru_cache(maxsize=1 << 14)
def _fold_place(text: str) -> str:
    """A city or place folded for comparison, spaces removed; "St" and "Ste" written out
    ("St-Étienne" is "saintetienne", as "Saint-Étienne" is)."""
    if not text:
        return ""
    folded = _place_words(text)
    return _city_names().get(folded, folded)


_SAINTS = {"st": "saint", "ste": "sainte"}


def _place_words(text: str) -> str:
    return "".join(_SAINTS.get(w, w) for w in fold_name(text).split())


@functools.lru_cache(maxsize=1)
def _city_names() -> dict[str, str]:
    """data/city_names.txt: each folded name of a town in another language (Munich,
    Mailand, Turin) -> its own name folded (munchen, milano, torino)."""
    text = resources.files("prospecting.data").joinpath("city_names.txt").read_text("utf-8")
    names: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            own, _, others = line.partition(":")
            key = _place_words(own)
            for other in others.split(","):
                folded = _place_words(other)
                if folded and folded != key:
                    names[folded] = key
    return names


def _person_rows(store: Store, ids: list[str] | None, batch: int,
                 seqs: tuple[int, int] | None = None, names: CompanyNames | None = None,
                 ) -> Iterator[list[Any]]:
    """Rows of every active person (``ids`` None), in table order, or of those with
    ``seq`` in ``[seqs[0], seqs[1])``, or of the active ones among ``ids``.

    Read in table order, the companies' names and domains come from ``names`` (a
    loading's own, kept from chunk to chunk; a new one by default), read in the
    people's read transaction, rather than from a join."""
    if ids is None:
        yield from _table_rows(store, batch, seqs, names or CompanyNames())
        return
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        yield store.conn.execute(_PERSON_SQL + f" AND p.id IN ({marks})", chunk).fetchall()


def _table_rows(store: Store, batch: int, seqs: tuple[int, int] | None,
                names: CompanyNames) -> Iterator[list[Any]]:
    """``_person_rows`` of the table (or of a range of ``seq``), each row given its
    company's name and domain from ``names`` as the join would: the companies and the
    people are read in one read transaction (the caller's, if it is in one)."""
    conn = store.conn
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        # A first read fixes the snapshot that data_version then speaks of.
        conn.execute("SELECT 1 FROM people LIMIT 1").fetchall()
        companies = names.read(conn)
        get = companies.get
        cursor = (conn.execute(_PERSON_TABLE_SQL) if seqs is None else conn.execute(
            _PERSON_TABLE_SQL + " AND p.seq >= ? AND p.seq < ?", seqs))
        while True:
            rows = cursor.fetchmany(batch)
            if not rows:
                return
            yield [row[:7] + (get(row[6]) or _NO_COMPANY if row[6] else _NO_COMPANY)
                   + row[7:] for row in rows]
    finally:
        if own:
            conn.execute("COMMIT")


def load_people(store: Store, batch: int = 2000, ids: list[str] | None = None
                ) -> PersonFeatures:
    """Read every active person (or the active ones among ``ids``) into columns.

    Rows are fetched a few thousand at a time: the rows of a batch die while the
    columns live on, and small batches keep the freed memory reusable instead of
    scattered between the columns' strings.
    """
    return people_features(_person_rows(store, ids, batch))


def people_features(batches: Iterable[list[Any]]) -> PersonFeatures:
    """Columns of people given as batches of rows shaped as ``_PERSON_SQL`` selects them.

    Built for a million records: two-slot columns are gathered as two flat lists (no
    list per record), and values many records share (company ids and domains, email
    domains and local parts, postcodes) are kept once, each record pointing at it.
    """
    return build_person_features(*_person_columns(batches))


def person_hashes(batches: Iterable[list[Any]]) -> tuple[list[str], list[str]]:
    """Ids and dedupe input hashes (``PersonFeatures.hashes``) of such rows, without
    the other columns."""
    cols, _ = _person_columns(batches)
    return cols["ids"], _hash_columns(cols)


_LOCAL_SEPARATORS = str.maketrans("._-+", "    ")


@functools.lru_cache(maxsize=1 << 14)
def local_words(local: str) -> tuple[str, ...]:
    """A local part's words, split at dots, hyphens, underscores and pluses
    (``jean-marc.delorme``: ``jean``, ``marc``, ``delorme``)."""
    return tuple(local.translate(_LOCAL_SEPARATORS).split())


def _other_word(local: str, word: str) -> str | None:
    """The other word of a local part of two words (``eric`` of ``eric.gregory`` or
    ``gregory_eric`` beside ``gregory``), where one of them is ``word``; else None."""
    words = local_words(local)
    if len(words) != 2 or word not in words:
        return None
    return words[1] if words[0] == word else words[0]


@functools.lru_cache(maxsize=1 << 14)
def _given_in_address(local: str, initial: str, last: str) -> str:
    """The given name an address's local part spells beside the surname
    (``eric.gregory``, ``gregory_eric``) where the record gives only its initial: a
    given name Faker's lists hold, three letters or more, that opens on the initial;
    "" for none."""
    surname = last.replace(" ", "").replace("-", "")
    given = _other_word(local, surname)
    return given if (given is not None and len(given) >= 3 and given[0] == initial
                     and given != surname and given in given_names()) else ""


@functools.lru_cache(maxsize=1 << 14)
def _surname_in_address(local: str, last: str) -> str:
    """The surname an address's local part spells where it is one slip (a letter
    dropped, added, changed, or two swapped) from the record's: a word of the local
    part (``david.jones`` for "Joes"), or what follows one initial in a word of one
    (``djones``); "" for none. Not where the record's surname is one Faker's lists hold
    and the address's is not: the address is the one mistyped (``ross.walon@`` for
    Ross Walton)."""
    from rapidfuzz.distance import OSA

    surname = last.replace(" ", "").replace("-", "")
    words = local_words(local)
    if len(words) == 1 and len(words[0]) > 4:
        words = [words[0], words[0][1:]]
    found = {w for w in words if len(w) >= 4 and w != surname
             and OSA.distance(w, surname, score_cutoff=1) <= 1}
    if len(found) != 1:
        return ""
    spelled = found.pop()
    known = surnames()
    return "" if (last in known or surname in known) and spelled not in known else spelled


@functools.lru_cache(maxsize=1 << 14)
def _short_surname_in_address(local: str, given: str, last: str) -> str:
    """The surname of three letters an address of two words spells beside the record's
    given name, a letter off the record's (``sophie.roy@`` for Sophie "Toy"); "" for
    none, or where the record's is a surname Faker's lists hold and the address's is
    not."""
    words = local_words(local)
    given = given.replace(" ", "").replace("-", "")
    if len(words) != 2 or given not in words:
        return ""
    other = words[1] if words[0] == given else words[0]
    if len(other) != 3 or not other.isalpha() or sum(
            x != y for x, y in zip(other, last, strict=True)) != 1:
        return ""
    known = surnames()
    return "" if last in known and other not in known else other


@functools.lru_cache(maxsize=1 << 14)
def _swapped_by_address(local: str, first: str, last: str) -> tuple[str, str] | None:
    """(given name, surname) where a record's fields are swapped, as its own work
    address tells: its surname field is a given name the address gives, and its
    given-name field, no given name, the address's other word or one slip from it
    (``kristi.lyons`` for "Lyosn" / "Kristi"); None otherwise."""
    from rapidfuzz.distance import OSA

    other = _other_word(local, last)
    if other is None:
        return None
    names = given_names()
    given = first.replace(" ", "").replace("-", "")
    # A nickname is a given name too: "Jess" / "Morris" at jess.morris@ stays as written.
    if (last in names and given not in names and given not in nickname_groups()
            and len(other) >= 3 and other != last
            and OSA.distance(other, given, score_cutoff=1) <= 1):
        return last, other
    return None


@functools.lru_cache(maxsize=1 << 14)
def _full_by_address(words: str, local: str) -> tuple[str, str] | None:
    """(given name, surname) of a full name written surname first where nothing in the
    writing says so (one case throughout, no comma: "HAWKINS SETH THOMAS", "Andre Marie
    Odile", "PIRES JEAN ICHEL") but the record's own address, which writes the given
    name before the surname: ``seth.hawkins@``, ``marie-odileandre@``, ``shawkins@``,
    ``jean-michel.pires@`` (its given name's first word). ``words``: the folded full
    name; ``local``: the address's local part. The name's first word (or two: "KIRBY
    BROWNE SARA" at ``sara.kirby-browne@``) must end the address and the rest of the
    name open it (its first word, its words joined, or its initial), and the given name
    so read be one the lists know (``dupont.marie@`` writes the surname first: "Marie
    Dupont" stays); None otherwise."""
    names = words.split()
    if not 2 <= len(names) <= 5:
        return None
    parts = local_words(local)
    # A reading that breaks where the address's words do goes before one that does not.
    flat, breaks = _local_breaks(local)
    found: list[tuple[bool, tuple[str, str]]] = []
    for m in (1, 2):
        surname, rest = "".join(names[:m]), names[m:]
        if not rest or len(surname) < 3 or not flat.endswith(surname):
            continue
        head = flat[:-len(surname)]
        given = rest[0]
        if (head and head in (given, "".join(rest), given[0])) or (
                len(parts) > 2 and parts[-1] == surname and parts[0] == given):
            # The given name as the address writes it: the name's words it opens on.
            found.append((len(head) in breaks, (" ".join(w for w in rest if w in head)
                                                or given, " ".join(names[:m]))))
    if len(found) > 1:
        found = [f for f in found if f[0]]
    if len(found) != 1 or found[0][1][0].split()[0] not in given_names():
        return None
    return found[0][1]


@functools.lru_cache(maxsize=1 << 14)
def _given_alone_by_address(name: str, local: str) -> bool:
    """Whether a record's one name, in the surname field, is its given name, as its own
    address writes it before a surname of the lists: "francois" at
    ``francois.carre@`` or ``francoiscarre@``, "thomas" at ``tbrown@`` (its initial). The
    name must be a given name of the lists, and what follows in the address a surname
    and no given name: "martin" at ``martin.julie@`` stays a surname."""
    if " " in name or name not in given_names():
        return False
    flat = _local_breaks(local)[0]
    if flat.startswith(name):
        rest = flat[len(name):]
    elif flat[:1] == name[:1]:
        rest = flat[1:]
    else:
        return False
    return len(rest) >= 3 and rest in surnames() and rest not in given_names()


@functools.lru_cache(maxsize=1 << 14)
def _given_only_by_address(words: str, local: str) -> bool:
    """Whether a full name of two words or more is a compound given name alone, as the
    record's own address writes it before a surname the name does not give: "Jean Marc"
    at ``jean-marc.delorme@``, "Marc Antoine" at ``marcantoine.dupont@``. The name's
    last word must be a given name the lists hold, and the address break after it."""
    names = words.split()
    if len(names) < 2 or names[-1] not in given_names():
        return False
    flat, breaks = _local_breaks(local)
    joined = "".join(names)
    rest = flat[len(joined):]
    return (flat.startswith(joined) and len(rest) >= 3 and rest not in names
            and len(joined) in breaks)


@functools.lru_cache(maxsize=1 << 14)
def _local_breaks(local: str) -> tuple[str, frozenset[int]]:
    """A local part's letters without its separators (``jean-marc.delorme`` →
    ``jeanmarcdelorme``), and where its words end in them (4, 8, 15)."""
    words = local_words(local)
    return "".join(words), frozenset(itertools.accumulate(len(w) for w in words))


def _is_initial_field(text: str) -> bool:
    """Whether a name field holds initials alone: "A.", "M", "J.-P.", "J-P"."""
    letters = sum(c.isalpha() for c in text)
    return 0 < letters <= 2 and (letters == 1 or "." in text or "-" in text)


def _initials_after_surname(first: str, last: str) -> bool:
    """Whether a given-name field holds a surname and the surname field its initials
    ("Dos Santos" / "M", "Le Gall" / "J.-P."): three letters or more that open on no
    given name. "Martin" / "J." stays as written (Martin is a given name too)."""
    if not _is_initial_field(last) or sum(c.isalpha() for c in first) < 3:
        return False
    words = fold_name(first).replace("-", " ").split()
    return bool(words) and words[0] not in given_names()


def _caps_surname_first(first: str, last: str) -> bool:
    """Whether a given-name field in capitals and a surname field that is not were filled
    the other way round, as French files write a surname ("PAGES" / "Anne-Sophie",
    "WEBER" / "A."): the capitals are no given name, and the other field opens on one or
    is initials. "MARTIN" / "Julie" stays as written (Martin is a given name too), and
    so does "JP" / "Dupont"."""
    if sum(c.isalpha() for c in first) < 3:
        return False
    names = given_names()
    if fold_name(first) in names:
        return False
    if _is_initial_field(last):
        return True  # "A.", "J.-P."
    if not any(c.islower() for c in last):
        return False
    head = fold_name(last).replace("-", " ").split()
    return bool(head) and head[0] in names


def _without_civility(written: str) -> str:
    """``written`` without the civilities or honorifics it opens on ("Dr. Anna Weber" is
    Anna Weber, "Mme Claire" Claire); as it is when nothing else is left. "M." is an
    initial as often as Monsieur: it goes only before one word that is a given name of
    the lists and no surname ("M. Maxime"; "M. Edwards" is an initial and a surname)."""
    from enrichers.names import is_civility

    words = written.split()
    k = 0
    while k < len(words) - 1 and is_civility(words[k]):
        k += 1
    if k == 1 and len(words) == 2 and len(words[0].rstrip(".")) == 1:
        rest = fold_name(words[1])
        if rest not in given_names() or rest in surnames():
            return written
    return " ".join(words[k:]) if k else written


def _surname_caps_given(written: str) -> tuple[str, str] | None:
    """(given name, surname) of a full name written in one field, surname in capitals
    and given name not, either way round ("LECLERCQ Antoine", "DE LA TOUR Marie-Claire",
    "Antoine LECLERCQ"), when the given name opens on one of the lists; else None
    ("Le Gall", "VAN DER BERG", "Dupont Martin" stay one surname)."""
    words = written.split()
    caps = [w.isupper() and sum(c.isalpha() for c in w) >= 2 for w in words]
    cut = next((i for i, c in enumerate(caps) if c != caps[0]), None)
    if cut is None or any(c != caps[cut] for c in caps[cut:]):
        return None  # in capitals throughout, or not at all, or mixed: "DUPONT Jean MARTIN"
    head, rest = " ".join(words[:cut]), " ".join(words[cut:])
    given, surname = (rest, head) if caps[0] else (head, rest)
    opening = fold_name(given).replace("-", " ").split()
    return (given, surname) if opening and opening[0] in given_names() else None


def _person_columns(batches: Iterable[list[Any]]) -> tuple[dict[str, list[Any]],
                                                           dict[str, str]]:
    from enrichers.lists import free_domains
    from enrichers.names import swapped_fields

    free = free_domains()
    names = given_names()
    cols: dict[str, list[Any]] = {k: [] for k in (
        "ids", "first", "last", "first_de", "last_de", "emails0", "emails1", "locals0",
        "locals1", "domains0", "domains1", "phones0", "phones1", "mobiles", "company_id",
        "company_key", "company_initials", "company_core", "company_domain", "city",
        "postcode", "address", "title", "linkedin", "seqs",
    )}
    shared: dict[str, str] = {}
    keep = shared.setdefault
    ids, firsts, lasts = cols["ids"], cols["first"], cols["last"]
    emails0, emails1, locals0, locals1 = (cols["emails0"], cols["emails1"], cols["locals0"],
                                          cols["locals1"])
    domains0, domains1, phones0, phones1 = (cols["domains0"], cols["domains1"],
                                            cols["phones0"], cols["phones1"])
    for rows in batches:
        for (pid, first, last, full, emails_json, phones_json, company_id, cname, cdomain,
             city, postcode, address, title, linkedin, seq) in rows:
            written = ""  # a full name the record gives alone
            if not last and (first or full):
                # A full name alone, or written in the given name's column ("Joel
                # Gregory" and no surname): its given name and surname.
                if first and " " in first.strip():
                    # A civility before it ("M. Maxime"): the word after it is the given
                    # name, where a full name's field has the surname ("M. Dupont").
                    written = first = _without_civility(first)
                    if " " not in written:
                        written = ""
                else:
                    written = full if not first else ""
                if written:
                    first, last = _split_full(written)
            elif not first and last and " " in last.strip() and (
                    split := _surname_caps_given(last)) is not None:
                # "LECLERCQ Antoine" in the surname's column and no given name (a French
                # file's NOM Prénom): the capitals are the surname.
                first, last = split
            elif first and last and (
                    (" " in first and swapped_fields(first, last))
                    or (first.isupper() and _caps_surname_first(first, last))
                    or (len(last) <= 5 and not last[1:].isalpha()
                        and _initials_after_surname(first, last))):
                # "Le Gall" / "Jean-Marc", "PAGES" / "Anne-Sophie", "Dos Santos" / "M":
                # the fields swapped
                first, last = last, first
            keys, locals_, domains = _emails(emails_json, free)
            # The first address's local part as the names below read it: a personal
            # address's number (david.jones77@gmail.com) is no part of a name.
            own = locals_[0] if domains[0] else locals_[0].rstrip("0123456789")
            phones, mobile = _phones(phones_json)
            ids.append(pid)
            folded_first, folded_last = fold_name(first), fold_name(last)
            if written and locals_[0] and folded_last and "," not in written and (
                    written.isupper() or written.islower() or written.istitle()) and not (
                    _local_breaks(own)[0].endswith(folded_last.replace(" ", ""))):
                # "HAWKINS SETH THOMAS" at seth.hawkins@: the order its address writes;
                # "Jean Marc" at jean-marc.delorme@: a given name alone.
                words = fold_name(written)
                oriented = _full_by_address(words, own)
                if oriented:
                    folded_first, folded_last = oriented
                elif _given_only_by_address(words, own):
                    folded_first, folded_last = words, ""
            if (not folded_first and own and folded_last
                    and _given_alone_by_address(folded_last, own)):
                # "françois" alone in the surname field at francois.carre@, "thomas" at
                # tbrown@: a given name, as its own address writes it before a surname.
                folded_first, folded_last = folded_last, ""
            if INITIALS_TOGETHER.fullmatch(folded_first):
                # "JP", "MC": a compound given name's initials written together.
                folded_first = " ".join(folded_first)
            if full and folded_first and _INITIAL_INSIDE.search(full):
                folded_first = _with_middle_initial(folded_first, folded_last, full)
            elif len(folded_first) == 1 and locals_[0] and folded_last:
                # "É. Grégory" at eric.gregory@ (a work or a personal address): the
                # given name its own address spells.
                folded_first = _given_in_address(own, folded_first,
                                                 folded_last) or folded_first
            if (domains[0] and folded_first and folded_last in names
                    and folded_last in locals_[0]):
                # "Lyosn" / "Kristi" at kristi.lyons@: the fields swapped, as its own
                # work address writes the two names.
                swapped = _swapped_by_address(locals_[0], folded_first, folded_last)
                if swapped:
                    folded_first, folded_last = swapped
            if locals_[0] and len(folded_last) >= 4 and (
                    folded_last.replace(" ", "") not in locals_[0]):
                # "Joes" at djones@, david.jones@ or david.jones77@gmail.com: a
                # surname one slip from the one its own address spells is that one.
                folded_last = _surname_in_address(own, folded_last) or folded_last
            elif len(folded_last) == 3 and folded_first and locals_[0] and (
                    folded_last not in locals_[0]):
                # "Toy" at sophie.roy@: a short surname a letter off, where the address
                # gives the given name beside it.
                folded_last = _short_surname_in_address(own, folded_first,
                                                        folded_last) or folded_last
            firsts.append(folded_first)
            lasts.append(folded_last)
            # Most names are ASCII: nothing to write out.
            cols["first_de"].append(umlauts_written_out(first) if first and not first.isascii()
                                    and folded_first == fold_name(first) else "")
            cols["last_de"].append(umlauts_written_out(last) if last and not last.isascii()
                                   else "")
            emails0.append(keys[0])
            emails1.append(keys[1])
            locals0.append(keep(locals_[0], locals_[0]))
            locals1.append(keep(locals_[1], locals_[1]))
            domains0.append(keep(domains[0], domains[0]))
            domains1.append(keep(domains[1], domains[1]))
            phones0.append(phones[0])
            phones1.append(phones[1])
            cols["mobiles"].append(mobile)
            company_id, key, initials, core, domain = _company_columns(company_id, cname,
                                                                       cdomain)
            cols["company_id"].append(keep(company_id, company_id) if company_id else "")
            cols["company_key"].append(key)
            cols["company_initials"].append(initials)
            cols["company_core"].append(core)
            cols["company_domain"].append(keep(domain, domain))
            cols["city"].append(_fold_place(city))
            postcode = postcode.replace(" ", "").upper()
            cols["postcode"].append(keep(postcode, postcode))
            cols["address"].append(fold_name(address) if address else "")
            cols["title"].append(fold_name(title) if title else "")
            cols["linkedin"].append(linkedin_key(linkedin) if linkedin else "")
            cols["seqs"].append(seq)
    return cols, shared


def _company_columns(company_id: str | None, name: str | None, domain: str | None,
                     ) -> tuple[str, str, str, str, str]:
    """A person's company columns (id, name key, initials, core, domain) from their
    company's id, name and domain, as ``_person_columns`` and ``repoint_company_columns``
    build them: none at all for a name that names no employer (see ``no_employer``)."""
    if not domain and no_employer(name):
        return "", "", "", "", ""
    return (company_id or "", *_company_forms(name), (domain or "").lower())


@functools.lru_cache(maxsize=1 << 17)
def _company_forms(name: str | None) -> tuple[str, str, str]:
    """A company name's key, initials and core (one lookup for the three, once per
    name: a million people's companies have tens of thousands of names)."""
    if not name:
        return "", "", ""
    if "." in name:  # "acme.fr": its initials are those of "acme"
        name = _sites_named(name)
    words = _company_key_words(name)
    core = _company_core(words)
    if "(" in name:
        core = _alias(name) or core
    return "".join(words), _company_initials(name), core


# A name in brackets after a company's name: another name of it, a brand or a former
# name ("Maison Alba (Alba Cosmétiques)", "Decathlon (ex-Oxylane)"); not an article
# ("JARDINS DE PROVENCE (LES)") nor a legal form ("(SAS)").
_BRACKETED = re.compile(r"\(\s*(?:(?:ex|anciennement|formerly|former|previously|"
                        r"aka|dba|d/b/a)\b[\s.:-]*)?([^()]+)\)")


# Countries and regions a name gives in brackets to tell a subsidiary ("Acme (France)").
_PLACES = frozenset({
    "france", "belgique", "belgium", "suisse", "switzerland", "schweiz", "deutschland",
    "germany", "allemagne", "luxembourg", "espana", "spain", "espagne", "italia", "italy",
    "italie", "nederland", "netherlands", "uk", "unitedkingdom", "royaumeuni", "england",
    "usa", "unitedstates", "etatsunis", "canada", "quebec", "europe", "emea", "benelux",
    "international", "monde", "world", "global", "worldwide", "northamerica", "apac",
    "asia", "afrique", "africa", "maroc", "morocco", "tunisie", "algerie", "ireland",
    "portugal", "austria", "osterreich", "autriche", "polska", "poland",
})  # fmt: skip


def _alias(name: str) -> str:
    """The key of the name a company name gives in brackets (see :data:`_BRACKETED`),
    when that is a name of four letters or more and not the rest of the name: another
    source may write it as the whole name. "" otherwise."""
    found = _BRACKETED.search(name)
    if found is None:
        return ""
    inside = _company_key_words(found.group(1))
    alias = "".join(inside)
    if len(alias) < 4 or (len(inside) == 1 and inside[0] in _ARTICLES) or alias in _PLACES:
        return ""
    outside = "".join(_company_key_words(name[:found.start()] + name[found.end():]))
    return alias if alias != outside else ""


# A LinkedIn profile's address: linkedin.com/in/<name> (or the older /pub/<name>/…),
# on any subdomain (www., fr., uk.), with or without a scheme.
_LINKEDIN_PROFILE = re.compile(r"(?:^|[/.])linkedin\.com/(in|pub)/([^?#\s]+)")
_LINKEDIN = re.compile(r"(?:^|[/.])linkedin\.com(?:[/:?#]|$)")


@functools.lru_cache(maxsize=1 << 16)
def linkedin_key(url: str) -> str:
    """One key for every spelling of one LinkedIn profile: ``in/jean-dupont-123abc`` from
    ``https://www.linkedin.com/in/jean-dupont-123abc/``, ``linkedin.com/in/…``,
    ``http://fr.linkedin.com/in/…?trk=…`` and ``…/in/l%C3%A9a-moreau`` (``léa-moreau``);
    a ``/in/`` address keeps its first path segment (``/in/name/en`` is a language,
    ``/in/name/details/…`` a section). Another LinkedIn page (a company's, the feed) is
    no one's profile: no key. Any other link: lower case, without its query and
    trailing slash."""
    text = unquote(url.strip()).lower()
    found = _LINKEDIN_PROFILE.search(text)
    if found is None:
        if _LINKEDIN.search(text):
            return ""
        return text.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    kind, path = found.groups()
    path = path.strip("/")
    return f"{kind}/{path.split('/', 1)[0] if kind == 'in' else path}"


CompanySnapshot = dict[str, tuple[Any, ...]]  # id -> (merged_into, name, domain)


def company_snapshot(store: Store) -> CompanySnapshot:
    """Every company's golden record, name and domain: what people's company columns
    read from."""
    return {r[0]: r[1:] for r in store.conn.execute(
        "SELECT id, merged_into, name, domain FROM companies")}


def repoint_company_columns(cols: dict[str, list[Any]], shared: dict[str, str],
                            before: CompanySnapshot, after: CompanySnapshot) -> list[int]:
    """The company columns of people read while companies were merged (``before``:
    the companies then, ``after``: now), made those a read now gives; return the
    positions changed.

    Merging companies writes nothing else to people: those at a company merged since
    point at its golden record (``merged_into``, never a chain), and everyone's company
    name and domain are their company's current ones.
    """
    keep = shared.setdefault
    ids, keys, domains = cols["company_id"], cols["company_key"], cols["company_domain"]
    initials, cores = cols["company_initials"], cols["company_core"]
    changed = []
    for i, cid in enumerate(ids):
        if not cid:
            continue
        was, now = before.get(cid), after.get(cid)
        if was == now:
            continue
        target = cid
        if now is not None and now[0] is not None and (was is None or was[0] != now[0]):
            target = now[0]
        row = after.get(target)
        name, domain = (row[1], row[2]) if row is not None else (None, None)
        target, keys[i], initials[i], cores[i], domain = _company_columns(target, name,
                                                                          domain)
        ids[i] = keep(target, target)
        domains[i] = keep(domain, domain)
        changed.append(i)
    return changed


def patch_company_features(f: PersonFeatures, cols: dict[str, list[Any]],
                           positions: list[int]) -> None:
    """Copy the company columns at ``positions`` of ``cols`` (the columns ``f`` was
    built from) into ``f``, and hash those records again."""
    if not positions:
        return
    at = np.array(positions, dtype=np.int64)
    for name in ("company_id", "company_key", "company_initials", "company_core",
                 "company_domain"):
        values = cols[name]
        getattr(f, name)[at] = [values[i] for i in positions]
    f.hashes[at] = _hash_columns({name: [cols[name][i] for i in positions]
                                  for name in (*_HASHED, "mobiles")})


# The company's domain too: a site found later (by enrich, by a crawl) is compared with
# the other records' names and addresses.
_HASHED = ("first", "last", "first_de", "last_de", "emails0", "emails1", "phones0", "phones1",
           "company_id", "company_key", "company_domain", "city", "postcode", "address",
           "title", "linkedin")


# Changes with the matching rules, so that a new version compares every record again once
# (and takes out of the review queue what its rules no longer ask).
RULES_VERSION = "54"


def _hash_columns(cols: dict[str, list[Any]]) -> list[str]:
    """A hash of each record's compared values, for incremental runs."""
    sha1 = hashlib.sha1
    # Which numbers are mobiles too: enrich may type one the plans' ranges do not tell.
    mobiles = [_MOBILE_MARKS[m] for m in cols["mobiles"]]
    return [
        sha1("\x1f".join((RULES_VERSION, *values)).encode(),
             usedforsecurity=False).hexdigest()[:16]
        for values in zip(*(cols[name] for name in _HASHED), mobiles, strict=True)
    ]


_MOBILE_MARKS = ("", *(str(m) for m in range(1, 16)))


def build_person_features(cols: dict[str, list[Any]],
                          shared: dict[str, str] | None = None) -> PersonFeatures:
    n = len(cols["ids"])
    keep = (shared if shared is not None else {}).setdefault

    def arr(values: list[Any]) -> np.ndarray:
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out

    def two(name: str) -> np.ndarray:
        out = np.empty((n, 2), dtype=object)
        out[:, 0] = cols.pop(name + "0")
        out[:, 1] = cols.pop(name + "1")
        return out

    first = arr(cols["first"])
    last_folded = cols["last"]
    groups = np.array([_name_groups(f) for f in cols["first"]], dtype=np.int32).reshape(
        n, NAME_GROUPS)
    hashes = arr(_hash_columns(cols))
    emails = two("emails")
    phones = two("phones")
    lasts = [s.replace(" ", "") for s in last_folded]
    return PersonFeatures(
        ids=arr(cols["ids"]),
        first=first,
        first_initials=arr([keep(x, x) for x in map(_initials, cols["first"])]),
        first_is_initials=np.array(
            [bool(f) and all(len(w) == 1 for w in f.split()) for f in cols["first"]],
            dtype=bool),
        first_groups=groups,
        last=arr([keep(x, x) for x in lasts]),
        last_core=arr([keep(x, x) for x in (surname_core(s) if s else ""
                                              for s in last_folded)]),
        last_head=arr([keep(x, x) for x in (surname_head(s) if " " in s else ""
                                              for s in last_folded)]),
        first_de=arr(cols["first_de"]),
        last_de=arr([s.replace(" ", "") for s in cols["last_de"]]),
        emails=emails,
        email_locals=two("locals"),
        email_domains=two("domains"),
        phones=phones,
        mobiles=np.array(cols["mobiles"], dtype=np.int8),
        company_id=arr(cols["company_id"]),
        company_key=arr(cols["company_key"]),
        company_initials=arr(cols["company_initials"]),
        company_core=arr(cols["company_core"]),
        company_domain=arr(cols["company_domain"]),
        city=arr(cols["city"]),
        postcode=arr(cols["postcode"]),
        address=arr(cols["address"]),
        title=arr(cols["title"]),
        linkedin=arr(cols["linkedin"]),
        hashes=hashes,
        seqs=np.array(cols["seqs"], dtype=np.int64),
    )


def concat_features(parts: list[PersonFeatures]) -> PersonFeatures:
    """The features of several chunks of records, one after the other: those
    :func:`build_person_features` builds from their columns joined (it works record
    by record)."""
    if len(parts) == 1:
        return parts[0]
    return PersonFeatures(**{
        f.name: np.concatenate([getattr(p, f.name) for p in parts])
        for f in dataclasses.fields(PersonFeatures) if f.name != "extra"
    })


_COMPANY_SQL = """
SELECT id, coalesce(name, legal_name, ''), coalesce(domain, ''), coalesce(siren, ''),
       coalesce(city, ''), coalesce(postcode, ''), legal_ids
FROM companies WHERE merged_into IS NULL
"""


def load_companies(store: Store, ids: list[str] | None = None) -> CompanyFeatures:
    """Read every active company (or the active ones among ``ids``) into columns."""
    wanted = ids
    ids, names, domains, sirens, cities, postcodes, hashes = [], [], [], [], [], [], []
    for cid, name, domain, siren, city, postcode, legal_ids in _company_rows(store, wanted):
        siren = _DIGITS.sub("", siren)
        if not siren:
            siret = _DIGITS.sub("", json.loads(legal_ids or "{}").get("siret", ""))
            siren = siret[:9] if len(siret) == 14 else ""
        key = _company_key(name)
        ids.append(cid)
        names.append(key)
        domains.append(domain.lower().removeprefix("www."))
        sirens.append(siren if len(siren) == 9 else "")
        cities.append(_fold_place(city))
        postcodes.append(postcode.replace(" ", ""))
        hashes.append(hashlib.sha1(
            "\x1f".join((RULES_VERSION, key, domains[-1], sirens[-1], cities[-1],
                          postcodes[-1])).encode(),
            usedforsecurity=False,
        ).hexdigest()[:16])

    def arr(values: list[str]) -> np.ndarray:
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out

    return CompanyFeatures(
        ids=arr(ids), name_key=arr(names), domain=arr(domains), siren=arr(sirens),
        city=arr(cities), postcode=arr(postcodes), hashes=arr(hashes),
    )


def _company_rows(store: Store, ids: list[str] | None) -> Iterator[tuple[Any, ...]]:
    if ids is None:
        yield from _rows(store, _COMPANY_SQL)
        return
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        yield from store.conn.execute(_COMPANY_SQL + f" AND id IN ({marks})", chunk)


def _rows(store: Store, sql: str) -> Iterator[tuple[Any, ...]]:
    cursor = store.conn.execute(sql)
    while True:
        rows = cursor.fetchmany(20_000)
        if not rows:
            return
        yield from rows
