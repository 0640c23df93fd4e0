"""One HTML page → the facts it states: emails, phones, people, company facts, links.

Pure and network-free: :func:`extract_page` takes the decoded page and its URL and
returns a :class:`Page`. The spider calls it on every page; tests call it on fixture
pages. The page is parsed once with lxml and read as lines of text (a line ends at a
block element or ``<br>``), so "a name followed by a role line in the same card" can be
read the way a visitor reads it.

Emails come from ``mailto:`` links, Cloudflare ``data-cfemail``, plain text and the
usual obfuscations (``jean [at] acme [dot] fr``, ``(at)``, `` at `` … `` dot ``), each
checked by :func:`enrichers.email_syntax.check_email_syntax` (which refuses
``logo@2x.png``, Sentry keys and placeholders). Phones come from ``tel:`` links and
``PhoneNumberMatcher`` with the site's country. People come from JSON-LD, cards (a name
line with a role line next to it), "Role: Name" lines of legal notices and, on team
pages, repeated name-only items. An email or phone inside a person's card is theirs.
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree, html

from enrichers.email_syntax import check_email_syntax
from enrichers.names import split_name
from enrichers.phones import check_phone, find_phones
from enrichers.titles import classify_title

from ..privacy import BRACKETED_AT, BRACKETED_DOT
from .words import (
    CAREERS_WORDS,
    CONTACT_PAGE_WORDS,
    GENERATOR_NAMES,
    LEGAL_PAGE_WORDS,
    NOT_NAME_WORDS,
    PEOPLE_PAGE_WORDS,
    ROLE_WORDS,
    SCRIPT_HOSTS,
    SKIP_CONTAINER,
    word_set,
)

__all__ = [
    "Page",
    "PageEmail",
    "PagePerson",
    "PagePhone",
    "decode_cfemail",
    "decode_typo3",
    "extract_page",
    "fold",
    "legal_ids",
    "looks_like_name",
    "looks_like_title",
]

_BLOCK = word_set(
    "address article aside blockquote body br dd div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot th "
    "thead tr ul button label option select caption summary details center")
_SKIP = word_set("script style noscript template svg iframe object head canvas math")
_HEADINGS = word_set("h1 h2 h3 h4 h5 h6")
_NON_CONTENT_TAGS = frozenset({"nav", "blockquote", "form", "select", "option", "button", "cite"})


def fold(text: str) -> str:
    """Lower case, no accents, for comparing words."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass
class PageEmail:
    value: str
    method: str
    person: int | None = None  # index into Page.people


@dataclass
class PagePhone:
    value: str  # E.164
    raw: str
    method: str
    person: int | None = None
    loose: bool = False  # also printed outside any person's card


@dataclass
class PagePerson:
    full_name: str
    title: str | None
    method: str
    linkedin_url: str | None = None
    first_name: str | None = None
    last_name: str | None = None


@dataclass
class Page:
    """What one page states; ``company`` holds (field, value) facts about the site's owner."""

    url: str
    lang: str | None = None
    title: str | None = None
    emails: list[PageEmail] = field(default_factory=list)
    phones: list[PagePhone] = field(default_factory=list)
    people: list[PagePerson] = field(default_factory=list)
    company: list[tuple[str, str]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    canonical: str | None = None
    people_page: bool = False
    legal_page: bool = False
    contact_page: bool = False
    careers_page: bool = False
    nofollow: bool = False  # <meta name="robots" content="nofollow">
    home_page: bool = False


@dataclass
class _Line:
    text: str
    block: Any  # the innermost block element holding the text


# ---------------------------------------------------------------------------------------
# Entry point


def extract_page(
    text: str, url: str, *, country: str | None = None, site_domain: str | None = None
) -> Page:
    """Every fact ``text`` (the page's HTML, decoded) states; ``url`` is where it was read.

    ``country`` (ISO code) is the default region for national phone numbers; without it
    the page's ``lang`` region is used. Never raises on bad markup.
    """
    page = Page(url=url)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)  # decomposed accents (é as e + ´) as one
    try:
        root = html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return page
    base = url
    for b in root.iter("base"):
        href = b.get("href")
        if href:
            base = urljoin(url, href.strip())
        break
    page.lang = _language(root)
    title_el = root.find(".//title")
    page.title = _squash(title_el.text_content()) if title_el is not None else None
    path = fold(unquote(urlsplit(url).path))
    h1 = " ".join(_squash(h.text_content()) for h in root.iter("h1"))
    # The title's first part: the site's name after " | " or " – " says nothing of the page.
    own_title = re.split(r"\s[|–—·:-]\s|\s[|–—·]", page.title or "", maxsplit=1)[0]
    heading = fold(f"{own_title} {h1}")
    page.people_page = _has_word(path, PEOPLE_PAGE_WORDS) or _has_word(heading, PEOPLE_PAGE_WORDS)
    page.legal_page = _has_word(path, LEGAL_PAGE_WORDS) or _has_word(heading, LEGAL_PAGE_WORDS)
    page.contact_page = _has_word(path, CONTACT_PAGE_WORDS) or _has_word(
        heading, CONTACT_PAGE_WORDS)
    page.careers_page = _has_word(path, CAREERS_WORDS)
    page.home_page = path.strip("/") in ("", "index.html", "index.php", "fr", "en", "de")
    region = (country or _lang_region(page.lang) or "").upper() or None

    jsonld = _jsonld(root)
    lines = _lines(root)
    # id(card element) -> (the element, kept alive so its id stays its own; person index)
    cards: dict[int, tuple[Any, int]] = {}
    _people_from_jsonld(page, jsonld)
    read_cells = _people_from_tables(page, root, cards)
    hosting = _hosting_lines(lines)
    _people_from_lines(page, lines, cards, hosting, read_cells, _own_names(root, page, jsonld))
    if page.people_page:
        _people_from_bios(page, root, cards)
    if page.people_page or page.home_page:
        _people_from_prose(page, lines, hosting)
    _emails(page, root, lines, cards, site_domain)
    _phones(page, root, lines, cards, region, hosting, _other_regions(root, url, lines, region))
    _company(page, root, jsonld, lines, base)
    _links(page, root, base)
    _signals(page, root, jsonld)
    return page


# ---------------------------------------------------------------------------------------
# Reading the page


def _squash(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def _has_word(text: str, words: tuple[str, ...]) -> bool:
    for word in words:
        start = text.find(word)
        while start != -1:
            end = start + len(word)
            before = text[start - 1] if start else " "
            after = text[end] if end < len(text) else " "
            if not before.isalnum() and not after.isalnum():
                return True
            start = text.find(word, start + 1)
    return False


def _language(root: Any) -> str | None:
    lang = root.get("lang") or root.get("xml:lang")
    if not lang:
        for meta in root.iter("meta"):
            if (meta.get("property") or "").lower() == "og:locale" or (
                meta.get("http-equiv") or ""
            ).lower() == "content-language":
                lang = meta.get("content")
                break
    if not lang:
        return None
    lang = lang.strip().replace("_", "-")
    return lang if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", lang) else None


def _lang_region(lang: str | None) -> str | None:
    if not lang:
        return None
    parts = lang.split("-")
    if len(parts) > 1 and len(parts[1]) == 2 and parts[1].isalpha():
        return parts[1].upper()
    return {"fr": "FR", "de": "DE", "en": "US", "es": "ES", "it": "IT", "nl": "NL"}.get(
        parts[0].lower()
    )


def _lines(root: Any) -> list[_Line]:
    """The visible text as lines, each with the block element it sits in."""
    body = root.find("body")
    if body is None:
        body = root
    lines: list[_Line] = []
    parts: list[str] = []
    stack: list[Any] = [body]
    block_of_parts: list[Any] = [None]

    def flush() -> None:
        if parts:
            text = " ".join("".join(parts).split())
            if text:
                lines.append(_Line(text, block_of_parts[0] if block_of_parts[0] is not None
                                   else stack[-1]))
            parts.clear()
        block_of_parts[0] = None

    at_signs: dict[int, Any] = {}  # the elements kept alive, so their ids stay theirs
    walker = etree.iterwalk(body, events=("start", "end", "comment", "pi"))
    for event, el in walker:
        if event in ("comment", "pi"):  # "zoe<!-- anti-spam -->@acme.fr": keep the tail
            if el.tail:
                if block_of_parts[0] is None:
                    block_of_parts[0] = stack[-1]
                parts.append(el.tail)
            continue
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _SKIP or not tag or _hidden(el):
                walker.skip_subtree()  # its tail is read at its "end" event
                continue
            at_sign = False
            if tag == "img":
                alt = (el.get("alt") or "").strip().lower()
                at_sign = alt in ("@", "at", "(at)", "[at]", "arobase")
            elif tag == "i" and "fa-at" in (el.get("class") or ""):
                at_sign = True  # an icon font's @ (Font Awesome)
            if at_sign:
                parts.append("@")  # an address whose @ is a picture; its tail at "end"
                at_signs[id(el)] = el
                walker.skip_subtree()
                continue
            if tag in _BLOCK or _card_part(el, tag) or _contact_link(el, tag):
                flush()
                stack.append(el)
            elif tag in _INLINE_GAP and parts:
                parts.append(" ")
            if el.text:
                if block_of_parts[0] is None:
                    block_of_parts[0] = stack[-1]
                parts.append(el.text)
        else:
            if len(stack) > 1 and stack[-1] is el:
                flush()
                stack.pop()
            elif tag in _BLOCK:
                flush()
            elif tag in _INLINE_GAP and parts and id(el) not in at_signs:
                parts.append(" ")
            if el.tail and el is not body:
                if block_of_parts[0] is None:
                    block_of_parts[0] = stack[-1]
                parts.append(el.tail)
    flush()
    return lines


_INLINE_GAP = word_set("a img button label")
_INLINE_PARTS = word_set("span a small strong b em i cite label")
# Inline elements that card templates style as their own line: "name", "position"…
_CARD_CLASS = re.compile(
    r"(?i)name|title|role|position|job|fonction|poste|designation|subtitle|desc|email|"
    r"phone|tel|function|funktion|bio|meta|member|person|people|team"
)
_NAME_PART_CLASS = re.compile(r"(?i)first|last|given|family|prenom|vorname|nachname")


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def _contact_link(el: Any, tag: str) -> bool:
    """A ``tel:`` or ``mailto:`` link: its text is a line of its own, never the end of a
    job title ("CTO" then "06 12 34 56 78", not "CTO 06 12 34 56 78"; "Responsable
    commercial" then "Écrire")."""
    return tag == "a" and (el.get("href") or "").strip().lower().startswith(("tel:", "mailto:"))


def _hidden(el: Any) -> bool:
    """Text a visitor never sees: ``display:none`` decoys inside addresses, hidden blocks."""
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style) and _HIDDEN_STYLE.search(style) is not None


def _card_part(el: Any, tag: str) -> bool:
    if tag not in _INLINE_PARTS:
        return False
    cls = el.get("class")
    return bool(cls) and _CARD_CLASS.search(cls) is not None and not _NAME_PART_CLASS.search(
        cls
    )


def _classes(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _in_skipped_container(el: Any) -> bool:
    node = el
    depth = 0
    while node is not None and depth < 25:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _NON_CONTENT_TAGS or tag == "header":
            return True
        if tag == "body":
            return False
        if SKIP_CONTAINER.search(_classes(node)):
            return True
        node = node.getparent()
        depth += 1
    return False


# ---------------------------------------------------------------------------------------
# People

_CIVILITY = re.compile(
    r"^(?:Dr\.\s?(?:med(?:\.\s?dent)?|rer\.\s?nat|phil|jur|h\.\s?c|oec)\.|Dr\.-Ing\.?|"
    r"M\.|Mme\.?|Mlle\.?|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Pr\.?|Prof\.?|Herr|Frau|Monsieur|"
    r"Madame|Me\.?|Maître|Dipl\.-\w+\.?|Rev\.?)\s+",
)
_PARTICLES = word_set(
    "de du des d' van von der den da di del della dos do le la ter ten zu bin al el ben los las")
# Letters of names: Latin-1 and the Central European ones (Łukasz, Čapek, Yılmaz).
_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĢİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽ"
_LO = "a-zà-öø-ÿß\u0100-\u017f"
_NAME_WORD = re.compile(
    rf"(?:[{_UP}][{_LO}]+(?:[{_UP}][{_LO}]+)?(?:['’][A-Za-zÀ-ÿ]+)?"
    rf"|[{_UP}]{{2,}}|[{_UP}]\.|(?:[dDlLN]['’]|O['’]|Mc|Mac)[{_UP}][{_LO}]+)"
    rf"(?:-(?:[{_UP}][{_LO}]+|[{_UP}]{{2,}}|[{_UP}]\.))*\Z"
)
_SUFFIXES = re.compile(
    r"(?:,?\s+(?:Ph\.?\s?D\.?|M\.?D\.?|MBA|Esq\.?|Jr\.?|Sr\.?|II|III|IV|CPA|RN|Ed\.?D\.?|"
    r"J\.?D\.?|MSW|LCSW|HDR|MPH|MSc|MS|MA|PharmD|DDS|DVM|RN|NP|PE|CFA|CFRE|SHRM-CP))+\s*$"
)
_NICKNAME = re.compile(
    r"\s(?:“[^”\d]{1,20}”|\"[^\"\d]{1,20}\"|‘[^’\d]{1,20}’|\([A-Z][a-z]{1,12}\))\s")
_SPLIT_INLINE = re.compile(r"\s*(?:,|\s[–—•·/-]\s|\s\|\s|:\s|\()\s*")
_DATES_IN_ROLE = re.compile(r"\s*[(\[]?[^()\[\]]*\b(?:19|20)\d\d\b[^()\[\]]*[)\]]?\s*$")


@lru_cache(maxsize=65536)
def looks_like_name(text: str) -> str | None:
    """The person's name in ``text`` (civility dropped), or None when it is not one."""
    text = text.strip().strip(",;:·•|").strip()
    if not 4 <= len(text) <= 60 or any(c.isdigit() for c in text) or "@" in text:
        return None
    for _ in range(3):  # "Prof. Dr. Klaus Weber", "Rev. Dr. …"
        shorter = _CIVILITY.sub("", text, count=1)
        if shorter == text:
            break
        text = shorter
    text = _SUFFIXES.sub("", text)
    if "“" in text or '"' in text or "(" in text or "‘" in text:
        text = _NICKNAME.sub(" ", text)  # James “Jim” McAllister
    words = text.replace("’", "'").split()
    if not 2 <= len(words) <= 5:
        return None
    proper = 0
    for word in words:
        key = fold(word).strip(".,")
        if key in _PARTICLES:
            continue
        if key in NOT_NAME_WORDS or key in ROLE_WORDS:
            return None
        if not _NAME_WORD.match(word.rstrip(",")):
            return None
        proper += 1
    if proper < 2 or (fold(words[0]) in _PARTICLES and not (
        words[0].isupper() and words[1].isupper()  # "DE LA FONTAINE Margaux", surname first
    )):
        return None
    if all(len(w.rstrip(".")) == 1 for w in words):
        return None
    if all(w.isupper() and len(w) > 1 for w in words) and len(words) > 3:
        return None
    parts = split_name(text)
    if parts.reason != "ok" or not parts.full_name:
        return None
    return parts.full_name


@lru_cache(maxsize=65536)
def looks_like_title(text: str) -> bool:
    """True when ``text`` reads as a job title or role (CEO, Chargée de mission…)."""
    text = text.strip().strip(",;:()·•|–—-").strip()
    if not 2 <= len(text) <= 90 or "@" in text or "http" in text:
        return False
    words = re.findall(r"[\w'-]+", fold(text))
    if not words or len(words) > 12:
        return False
    if sum(c.isdigit() for c in text) > 4:
        return False
    if any(w in ROLE_WORDS or w.rstrip("s") in ROLE_WORDS for w in words):
        return True
    return classify_title(text).matched is not None


def _card_of(block: Any, names: set[int], limit: int = 4) -> Any:
    """The largest ancestor of ``block`` (up to ``limit`` levels) holding one name only."""
    card = block
    node = block.getparent()
    depth = 0
    while node is not None and depth < limit:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("body", "html", "main", "table", "tbody"):
            break
        inside = 0
        headings = 0
        for el in node.iter():
            if id(el) in names:
                inside += 1
            elif el.tag in _HEADINGS:
                headings += 1
        if inside > 1 or headings > 2:
            break  # another person's, or a page's sections (legal notices): not one card
        card = node
        node = node.getparent()
        depth += 1
    return card


def _add_person(page: Page, name: str, title: str | None, method: str) -> int:
    key = fold(name)
    for index, person in enumerate(page.people):
        if fold(person.full_name) == key:
            if title and not person.title:
                person.title = title
            return index
    parts = split_name(name)
    page.people.append(
        PagePerson(name, title, method, first_name=parts.first_name, last_name=parts.last_name)
    )
    return len(page.people) - 1


def _clean_title(text: str) -> str:
    text = text.strip().strip(",;:()·•|–—-").strip()
    if text.endswith(".") and not re.search(r"\b\w{1,3}\.$", text):
        text = text[:-1]  # "présidente de l'association." ends a sentence; "Inc." stays
    return text[:1].upper() + text[1:] if text else text


_ROLE_LABEL = re.compile(
    r"^(?P<role>[^:]{3,70}?)\s*:\s*(?P<names>[^:]{4,160})$",
)
_LEGAL_REPRESENTATIVE = re.compile(
    r"(?:vertreten durch|vertretungsberechtigte?r?|repr[ée]sent[ée]e? par|represented by|"
    r"g[ée]rant|directeur de (?:la )?publication|directrice de (?:la )?publication|"
    r"responsable de (?:la )?publication|responsable (?:de la )?r[ée]daction|"
    r"inhaber(?:in)?|gesch[äa]ftsf[üu]hr(?:er|erin|ung)|vorstand|publisher|"
    r"verantwortlich|ansprechpartner(?:in)?|contact presse|press contact|gestionnaire|"
    r"^contact$|^kontakt$|^contact person$|"
    r"datenschutzbeauftragte[rn]?|data protection officer|d[ée]l[ée]gu[ée]e? (?:[àa] la )?"
    r"protection des donn[ée]es|\bDPO\b)",
    re.IGNORECASE,
)
# "Le directeur de la publication est Madame Claire Martin." (legal notices as prose)
_PROSE_LABEL = re.compile(
    r"(?i)(?P<role>(?:directeur|directrice|responsable)\s+de\s+(?:la\s+)?publication|"
    r"g[ée]rante?|verantwortlich(?:er)?|publisher)\s+(?:est|ist|is)\s+"
    r"(?P<names>[^.,;:()]{4,80})")
_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|\bet\b|\bund\b|\band\b|&|\s[–—|-]\s)\s*")


# "Fondée en 2010 par Jean Dupont et Marie Curie", "founded in 2015 by John Smith and Jane
# Doe", "2012 von Max Muster gegründet".
_FOUNDED_BY = re.compile(
    r"(?i)\b(?:co-?)?(?:fond[ée]e?s?|cr[ée][ée]e?s?|founded|started|established|gegr[üu]ndet)"
    r"(?:\s+(?:en|in|im\s+jahr)\s+\d{4})?\s*,?\s+(?:par|by|von)\s+(?P<names>[^.;:()]{4,160})"
)
_FOUNDED_WORDS = {"fr": "Fondateur", "de": "Gründer"}
# "Notre PDG, Jean Dupont, …", "our CEO Jane Doe", "unser Geschäftsführer Max Muster".
_ROLE_APPOSITION = re.compile(
    r"\b(?i:notre|nos|our|unser(?:e|en)?)\s+(?P<role>[^,.;:()]{2,40}?)\s*,?\s+"
    r"(?P<name>(?:[A-ZÀ-Ý][\w'’-]+\s+){1,3}[A-ZÀ-Ý][\w'’-]+)"
)
# German puts the verb last: "2012 von Max Mustermann und Erika Muster gegründet".
_FOUNDED_BY_DE = re.compile(
    r"\b(?i:von)\s+(?P<names>[^.;:()]{4,160}?)\s+(?i:gegr[üu]ndet)\b"
)


def _people_from_prose(page: Page, lines: list[_Line], hosting: set[int]) -> None:
    """Founders and executives an about page names in a sentence, not a card."""
    known = {p.full_name for p in page.people}
    for index, line in enumerate(lines):
        if index in hosting or len(line.text) > 600 or _in_skipped_container(line.block):
            continue
        founded = [*_FOUNDED_BY.finditer(line.text), *_FOUNDED_BY_DE.finditer(line.text)]
        for match in founded:
            title = _FOUNDED_WORDS.get((page.lang or "")[:2], "Founder")
            for chunk in _NAME_SEPARATORS.split(match.group("names")):
                name = looks_like_name(chunk.strip())
                if name and name not in known:
                    _add_person(page, name, title, "prose")
                    known.add(name)
        for match in _ROLE_APPOSITION.finditer(line.text):
            role = match.group("role").strip()
            name = looks_like_name(match.group("name"))
            if name and name not in known and looks_like_title(role):
                _add_person(page, name, _clean_title(role), "prose")
                known.add(name)


def _people_from_lines(
    page: Page, lines: list[_Line], cards: dict[int, tuple[Any, int]],
    hosting: set[int] | None = None, read_cells: set[int] | None = None,
    own_names: set[str] | None = None,
) -> None:
    hosting = set(hosting or ())
    if read_cells:  # the rows of staff tables, already read
        hosting.update(i for i, line in enumerate(lines) if id(line.block) in read_cells)
    if own_names:  # "Riverbend Literacy Project" is the site's name, not "Riverbend Literacy"
        hosting.update(i for i, line in enumerate(lines)
                       if len(line.text) < 80 and fold(line.text).strip(" .,") in own_names)
    # Names in cards, inline lists and tables are a team's; elsewhere (news, blog posts,
    # event pages) they are as often guests, speakers or clients.
    staff_page = page.people_page or page.legal_page or page.home_page
    candidates: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        if index in hosting:
            continue
        name = looks_like_name(line.text)
        if name:
            candidates.append((index, name))
    name_blocks = {id(lines[i].block) for i, _ in candidates}
    used: set[int] = set()
    name_led: dict[int, str] = dict(candidates)
    # A name line with a role line right after (or before) it, in the same card.
    for index, name in candidates if staff_page else ():
        block = lines[index].block
        if _in_skipped_container(block):
            continue
        title = None
        for other in (index + 1, index - 1, index + 2):
            if not 0 <= other < len(lines) or other in used or other in hosting:
                continue
            line = lines[other]
            if id(line.block) in name_blocks and other != index:
                continue
            if line.block.tag in _HEADINGS and block.tag not in _HEADINGS and not (
                other == index - 1 and line.block.getparent() is block.getparent()
            ):
                # A heading after a list item opens the next section; one just before
                # the name in the same card is its role ("<h4>CEO</h4><p>Jean …</p>").
                continue
            if looks_like_name(_SPLIT_INLINE.split(line.text, maxsplit=1)[0]):
                continue  # "Samuel O'Brien, Secretary" is someone else's line
            if looks_like_title(line.text) and _close(block, line.block):
                title = _clean_title(line.text)
                used.add(other)
                break
        if title is None and page.people_page and index + 1 < len(lines) and (
            block.tag not in ("h1", "h2", "th")
        ):
            line = lines[index + 1]
            if line.block.tag not in ("th", *_HEADINGS) and _plain_label(line.text) and _close(
                block, line.block, 3
            ) and known_given_name(name.split()[0]):
                title = _clean_title(line.text)
                used.add(index + 1)
        if title is None:
            continue  # name-only items are read below, when they repeat
        if _testimonial(title, block):
            continue
        person = _add_person(page, name, title, "card")
        used.add(index)
        _set_card(cards, _card_of(block, name_blocks), person)
    # One line holding both: "Jean Dupont, CEO", "Jean Dupont – Fondatrice", "Name (Role)".
    for index, line in enumerate(lines):
        if not staff_page or index in used or index in hosting or len(line.text) > 120:
            continue
        pieces = _SPLIT_INLINE.split(line.text, maxsplit=1)
        if len(pieces) != 2 and page.people_page and len(line.text) <= 80:
            pieces = _name_then_title(line.text)
        if len(pieces) != 2:
            continue
        name = looks_like_name(pieces[0])
        if not name:
            continue
        role = _DATES_IN_ROLE.sub("", pieces[1]).strip() or pieces[1].strip()
        if not (looks_like_title(role) or (page.people_page and _plain_label(
            role.rstrip(")")
        ))):
            name_led[index] = name  # a name with something else: counted in groups below
            continue
        if _in_skipped_container(line.block) or _testimonial(role, line.block):
            continue
        if line.text.lstrip()[:1] in "—–-\"“«":
            continue  # a quotation's signature
        person = _add_person(page, name, _clean_title(role), "inline")
        used.add(index)
        name_led[index] = name
        _set_card(cards, _card_of(line.block, name_blocks), person)
    # "Directeur de la publication : Jean Dupont", "Geschäftsführer: Max Mustermann",
    # and the same with the name on the next line.
    for index, line in enumerate(lines):
        if index in used or index in hosting or len(line.text) > 200:
            continue
        match = _ROLE_LABEL.match(line.text) or (
            _PROSE_LABEL.search(line.text) if page.legal_page else None)
        below: list[str] = []
        if match:
            role, names = match.group("role").strip(), match.group("names")
        elif index + 1 < len(lines) and 3 < len(line.text) < 80 and (
            line.text.endswith(":") or (page.legal_page and line.block.tag in _HEADINGS)
        ):
            # "Vertreten durch:" or a heading ("Datenschutzbeauftragter"), the names on
            # the lines below, one a line.
            role, names = line.text.rstrip(":").strip(), lines[index + 1].text
            below = [lines[i].text for i in range(index + 2, min(index + 6, len(lines)))
                     if i not in hosting and lines[i].block.tag not in _HEADINGS]
        else:
            continue
        if not (looks_like_title(role) or _LEGAL_REPRESENTATIVE.search(role)):
            continue
        if not match and below:
            for extra in below:  # "Dipl.-Ing. Max Muster<br>Dr. Erika Muster"
                if not looks_like_name(extra):
                    break
                names += f", {extra}"
        found = False
        for chunk in _NAME_SEPARATORS.split(names):
            chunk = re.sub(r"\s*\(.*?\)\s*", " ", chunk).strip(" .")
            name = looks_like_name(chunk)
            if name:
                title = None if re.match(
                    r"(?i)vertreten|repr[ée]sent|represented|verantwortlich|contact|kontakt",
                    role
                ) else _clean_title(role)
                _add_person(page, name, title, "label")
                found = True
            elif not match:
                break  # the next line holds an address, not more names
        if found:
            used.add(index)
    if not page.people_page:
        return
    # Team pages: "Gérard Blanc, Sylvie Roux, Patrick Morel et Joël Perrin."
    for index, line in enumerate(lines):
        if index in used or index in hosting or len(line.text) > 400:
            continue
        chunks = [c.strip(" .") for c in _NAME_SEPARATORS.split(line.text)]
        names = [looks_like_name(c) for c in chunks if c]
        if len(names) >= 3 and all(names) and not _in_skipped_container(line.block) and (
            _names_vote([n for n in names if n])
        ):
            title = _heading_before(lines, index)
            for name in names:
                assert name is not None
                _add_person(page, name, title, "list")
            used.add(index)
    # Team pages: names repeated in the same structure, without a role line each.
    groups: dict[tuple[Any, ...], list[tuple[int, str]]] = {}
    for index, name in sorted(name_led.items()):
        block = lines[index].block
        if _in_skipped_container(block):
            continue
        parent = block.getparent()
        key = (block.tag, block.get("class"), parent.tag if parent is not None else None,
               parent.get("class") if parent is not None else None)
        groups.setdefault(key, []).append((index, name))
    for members in groups.values():
        if len(members) < 3 or not _names_vote([name for _, name in members]):
            continue
        for index, name in members:
            if index in used:
                continue
            title = _heading_before(lines, index)
            person = _add_person(page, name, title, "list")
            _set_card(cards, _card_of(lines[index].block, name_blocks), person)


_BIO_START = re.compile(
    r"^\s*(?:,\s*)?(?:is|was|has|joined|serves|leads|oversees|est|a rejoint|dirige|ist|leitet)"
    r"\b")
_BIO_ROLE = re.compile(
    r"^\s*(?:,\s*)?(?:is|serves as|est)\s+(?:the\s+|our\s+|an?\s+|le\s+|la\s+|notre\s+)?"
    r"([^.,;]{3,60}?)(?=\s+(?:of|at|for|since|de|du|depuis)\b|[.,;])")


def _people_from_bios(page: Page, root: Any, cards: dict[int, tuple[Any, int]]) -> None:
    """Team pages written as prose: "<p><strong>Alice Brown</strong> is the founder and
    executive director of…</p>" — a bold name opening a paragraph about that person."""
    for el in root.iter("strong", "b"):
        parent = el.getparent()
        if parent is None or parent.tag not in ("p", "div", "li") or (parent.text or "").strip():
            continue
        tail = el.tail or ""
        if not _BIO_START.match(tail) or el.getprevious() is not None:
            continue
        name = looks_like_name(_squash(el.text_content()))
        if not name or _in_skipped_container(parent):
            continue
        match = _BIO_ROLE.match(tail)
        title = _clean_title(match.group(1)) if match and looks_like_title(match.group(1)) else None
        if title and _testimonial(title, parent):
            continue
        person = _add_person(page, name, title, "bio")
        if id(parent) not in cards:
            _set_card(cards, parent, person)


def _own_names(root: Any, page: Page, nodes: list[dict[str, Any]]) -> set[str]:
    """The site's own names (folded): og:site_name, the title's site part, JSON-LD
    organisations; a line that reads as one of them is no person."""
    names: set[str] = set()
    for meta in root.iter("meta"):
        if (meta.get("property") or "").lower() == "og:site_name" and meta.get("content"):
            names.add(fold(_squash(meta.get("content"))))
    if page.title:
        for part in re.split(r"\s[|–—·:-]\s", page.title)[1:]:
            names.add(fold(part.strip()))
    for node in nodes:
        if _types(node) & _ORG_TYPES:
            name = _text(node.get("name"))
            if name:
                names.add(fold(name))
    names.discard("")
    return names


_GIVEN_NAME_LISTS = ("first_names", "first_names_male", "first_names_female",
                     "first_names_nonbinary", "first_names_unisex")


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    """Given names (folded) of Faker's 80-odd person locales, about 30,000: French,
    German, English, Turkish, Vietnamese, Arabic… Loaded once (half a second), only when a
    page has a list of names to vote on."""
    import importlib
    import pkgutil

    import faker.providers.person as person

    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        try:
            provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        except (ImportError, AttributeError):
            continue
        for attr in _GIVEN_NAME_LISTS:
            for klass in provider.__mro__:  # class attributes: tuples or weighted dicts
                values = klass.__dict__.get(attr)
                if isinstance(values, (tuple, list, dict)):
                    names.update(fold(str(v)) for v in values)
                    break
    return frozenset(names)


@lru_cache(maxsize=16384)
def known_given_name(word: str) -> bool:
    """True when ``word`` (or the first half of "Jean-Baptiste") is a known given name."""
    names = _given_names()
    key = fold(word.strip(".,"))
    return key in names or key.split("-")[0] in names


def _names_vote(names: list[str]) -> bool:
    """Names listed without roles are people when most start with a known given name:
    "Adult Education, Family Literacy, Tutor Training" are programmes, not staff."""
    known = sum(1 for name in names if known_given_name(name.split()[0]))
    return known * 2 >= len(names)


def _name_then_title(text: str) -> list[str]:
    """"Jane Doe CEO" (a name and a role in one element, no separator) as two pieces."""
    words = text.split()
    for size in (4, 3, 2):  # the longest name first: role words never sit in a name
        if size < len(words) and looks_like_name(" ".join(words[:size])):
            rest = " ".join(words[size:])
            if looks_like_title(rest) and not looks_like_name(rest):
                return [" ".join(words[:size]), rest]
    return [text]


def _plain_label(text: str) -> bool:
    """A short line that may be a role nobody listed (Konstrukteur, Paysagiste)."""
    if not 3 <= len(text) <= 60 or any(c.isdigit() for c in text) or "@" in text:
        return False
    if "http" in text or not text[:1].isupper() or looks_like_name(text):
        return False
    words = re.findall(r"[\w'-]+", fold(text))
    if not 1 <= len(words) <= 6:
        return False
    return not all(w in NOT_NAME_WORDS and w not in ROLE_WORDS for w in words) and not any(
        w in _NOT_ROLES for w in words
    )


_NOT_ROLES = word_set(
    "linkedin email e-mail mail twitter bio profil profile vcard more plus lire read voir "
    "view contact kontakt contacter telephone phone tel website site"
)


def _set_card(cards: dict[int, tuple[Any, int]], card: Any, person: int) -> None:
    cards[id(card)] = (card, person)


_FIRST_NAME_HEADER = re.compile(
    r"(?i)^(?:pr[ée]noms?|first\s*name|given\s*name|forename|vorname)\s*$")
_NAME_HEADER = re.compile(r"(?i)^(?:nom|name|namen?|mitarbeiter(?:in)?|ansprechpartner(?:in)?|"
                          r"person|personne|membre|member|pr[ée]nom nom|nom pr[ée]nom)\b")
_TITLE_HEADER = re.compile(r"(?i)^(?:fonction|function|funktion|titre|title|poste|position|"
                           r"r[ôo]le|job|qualit[ée]|statut|status|grade|aufgabe|bereich|"
                           r"t[äa]tigkeit|position)\b")


def _cell_text(cell: Any) -> str:
    texts = [t.strip() for t in cell.itertext() if t.strip()]
    return " ".join(texts[0].split()) if texts else ""


def _people_from_tables(page: Page, root: Any, cards: dict[int, tuple[Any, int]]) -> set[int]:
    """Staff tables: a name column, often a role column (from the header or the cells).
    Returns the ids of the cells read, which the line rules leave alone."""
    read_cells: set[int] = set()
    for table in root.iter("table"):
        rows = [r for r in table.iter("tr")]
        if len(rows) < 2 or _in_skipped_container(table):
            continue
        grid = [[c for c in r if isinstance(c.tag, str) and c.tag in ("td", "th")]
                for r in rows]
        header = [_cell_text(c) for c in grid[0]]
        first_col = next((i for i, h in enumerate(header) if _FIRST_NAME_HEADER.match(h)),
                         None)
        name_col = next((i for i, h in enumerate(header)
                         if _NAME_HEADER.match(h) and i != first_col), None)
        if name_col is None:
            first_col = None  # a first-name column alone says nothing
        title_col = next((i for i, h in enumerate(header) if _TITLE_HEADER.match(h)), None)
        body = grid[1:] if name_col is not None else grid
        if name_col is None:
            width = max(len(r) for r in grid)
            counts = [sum(1 for r in grid if i < len(r) and looks_like_name(_cell_text(r[i])))
                      for i in range(width)]
            best = max(range(width), key=lambda i: counts[i]) if width else 0
            if not width or counts[best] < 2 or counts[best] * 2 < len(grid):
                continue
            name_col = best
            titles = [sum(1 for r in grid if i < len(r) and looks_like_title(_cell_text(r[i])))
                      for i in range(width)]
            others = [i for i in range(width) if i != name_col]
            title_col = max(others, key=lambda i: titles[i]) if others else None
            if title_col is not None and titles[title_col] == 0:
                title_col = None
        for row in body:
            if name_col >= len(row):
                continue
            if first_col is not None and first_col < len(row):
                # "Nom | Prénom" columns (lab directories): "AUBERT" and "Camille".
                name = looks_like_name(f"{_cell_text(row[first_col])} "
                                       f"{_cell_text(row[name_col])}")
            else:
                name = looks_like_name(_cell_text(row[name_col]))
            if not name:
                continue
            read_cells.update(id(c) for c in row)
            title = None
            if title_col is not None and title_col < len(row):
                text = " ".join(row[title_col].text_content().split())
                if text and len(text) <= 90 and "@" not in text and sum(
                    c.isdigit() for c in text
                ) < 5:
                    title = _clean_title(text)
            person = _add_person(page, name, title, "table")
            _set_card(cards, row[0].getparent(), person)
    return read_cells


def _heading_before(lines: list[_Line], index: int) -> str | None:
    for other in range(index - 1, max(index - 40, -1), -1):
        block = lines[other].block
        if block.tag in _HEADINGS:
            text = lines[other].text
            return _clean_title(text) if looks_like_title(text) else None
    return None


def _close(a: Any, b: Any, levels: int = 4) -> bool:
    """True when ``a`` and ``b`` share an ancestor within ``levels`` of both."""
    ancestors = {}
    node, depth = a, 0
    while node is not None and depth <= levels:
        ancestors[id(node)] = depth
        node = node.getparent()
        depth += 1
    node, depth = b, 0
    while node is not None and depth <= levels:
        if id(node) in ancestors:
            tag = node.tag if isinstance(node.tag, str) else ""
            return tag not in ("body", "html")
        node = node.getparent()
        depth += 1
    return False


_AT_COMPANY = re.compile(
    r"\s(?:at|chez|bei|@)\s+[A-Z]|,\s*[A-Z][\w&.-]+\s+(?:Inc|Ltd|GmbH|SAS|SA)\b"
)


def _testimonial(title: str, block: Any) -> bool:
    """A quote's author ("CEO at Other Corp", next to a long quotation) is no team member."""
    if _AT_COMPANY.search(title):
        return True
    node = block.getparent()
    for _ in range(3):
        if node is None:
            break
        text = node.text_content().strip()
        if (len(text) > 200 and text[:1] in "\"“«„") or "“" in text[:40]:
            return True
        node = node.getparent()
    return False


# ---------------------------------------------------------------------------------------
# JSON-LD

_ORG_TYPES = word_set(
    "Organization Corporation LocalBusiness NGO EducationalOrganization GovernmentOrganization "
    "NonprofitOrganization ResearchOrganization ProfessionalService Store Company "
    "MedicalOrganization SportsOrganization PerformingGroup NewsMediaOrganization "
    "LegalService FinancialService ResearchProject Consortium OnlineBusiness")


def _jsonld(root: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        raw = raw.removeprefix("<![CDATA[").removesuffix("]]>").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            try:
                data = json.loads(re.sub(r"[\x00-\x1f]", " ", raw))
            except ValueError:
                continue
        _walk_jsonld(data, found, 0)
    # A post's author (Yoast writes it as a Person of the graph, referenced by its @id) is
    # who wrote the page, not a member of the team it speaks of.
    authors = {ref.get("@id") for node in found for key in _AUTHOR_KEYS
               for ref in _as_list(node.get(key)) if isinstance(ref, dict)}
    authors.discard(None)
    return [n for n in found if not (n.get("@id") in authors and "Person" in _types(n))]


_AUTHOR_KEYS = ("author", "creator", "editor", "contributor", "reviewedBy")


def _walk_jsonld(data: Any, out: list[dict[str, Any]], depth: int) -> None:
    if depth > 8:
        return
    if isinstance(data, list):
        for item in data:
            _walk_jsonld(item, out, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data:
            out.append(data)
        for key, value in data.items():
            if key in _AUTHOR_KEYS:
                continue  # written inline: the page's author, see above
            if key != "@context" and isinstance(value, (dict, list)):
                _walk_jsonld(value, out, depth + 1)


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    if isinstance(kind, str):
        return {kind.rsplit("/", 1)[-1]}
    if isinstance(kind, list):
        return {str(k).rsplit("/", 1)[-1] for k in kind}
    return set()


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, list) and value:
        return _text(value[0])
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value"))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _people_from_jsonld(page: Page, nodes: list[dict[str, Any]]) -> None:
    for node in nodes:
        if "Person" not in _types(node):
            continue
        raw = _text(node.get("name"))
        if not raw and (node.get("givenName") or node.get("familyName")):
            raw = f"{_text(node.get('givenName')) or ''} {_text(node.get('familyName')) or ''}"
        name = looks_like_name(raw) if raw else None
        if not name:
            continue
        title = _text(node.get("jobTitle")) or _text(node.get("roleName"))
        index = _add_person(page, name, title, "jsonld")
        person = page.people[index]
        for link in _as_list(node.get("sameAs")) + _as_list(node.get("url")):
            if isinstance(link, str) and "linkedin.com/in/" in link:
                person.linkedin_url = link.strip()
        email = _text(node.get("email"))
        if email:
            _add_email(page, email.removeprefix("mailto:"), "jsonld", index, None)
        phone = _text(node.get("telephone"))
        if phone:
            _add_phone(page, phone, "jsonld", index, None)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# ---------------------------------------------------------------------------------------
# Emails

_EMAIL = re.compile(
    r"(?<![\w.%+@/-])([\w.%+-]{1,64}@(?:[\w-]{1,63}\.)+[^\W\d_]{2,24})(?![\w-]*@)(?![\w-])"
)
_SPACED = re.compile(
    r"(?<![\w.@-])([\w][\w.+-]{0,63})\s+(?:at|AT|At|arobase)\s+"
    r"([\w-]{1,63}(?:(?:\s+(?:dot|DOT|Dot|point|punkt)\s+|\.)[\w-]{1,63})*"
    r"(?:\s+(?:dot|DOT|Dot|point|punkt)\s+|\.)[^\W\d_]{2,24})(?![\w-])"
)
_EEB_SCRIPT = re.compile(r'var ml="([^"]{1,2000})",mi="([^"]{1,2000})"')
_JS_CONCAT = re.compile(r"""['"]\s*\+\s*['"]""")
_SPACED_AT = re.compile(r"(?<=[\w.-])\s+@\s+(?=[\w-]+(?:\.|\s*[\[(]))")
_SPACED_DOMAIN_DOT = re.compile(r"(@[\w-]+(?:\.[\w-]+)*)\s+\.\s+([^\W\d_]{2,24})\b")
_SPACED_DOT = re.compile(r"\s+(?:dot|DOT|Dot|point|punkt)\s+")
_LOCAL_WORDS = word_set(
    "us me them you him her it this that visit look available here online now home work "
    "school all one hello")


def decode_cfemail(hex_text: str) -> str | None:
    """A Cloudflare-protected address (``data-cfemail``): byte 0 is the XOR key."""
    try:
        data = bytes.fromhex(hex_text.strip())
    except ValueError:
        return None
    if len(data) < 2:
        return None
    key = data[0]
    try:
        return bytes(b ^ key for b in data[1:]).decode("utf-8")
    except UnicodeDecodeError:
        return None


_TYPO3_RANGES = ((0x2B, 0x3A), (0x40, 0x5A), (0x61, 0x7A))


def decode_typo3(href: str) -> str | None:
    """TYPO3's ``linkTo_UnCryptMailto('…')``: each character shifted within its range
    (``+`` to ``:``, ``@`` to ``Z``, ``a`` to ``z``) by the site's offset; the offset that
    gives ``mailto:`` is the one."""
    match = re.search(r"UnCryptMailto\(\s*(?:%27|['\"])(.*?)(?:%27|['\"])", unquote(href),
                      re.IGNORECASE)
    if not match:
        match = re.search(r"UnCryptMailto\(\s*['\"](.*?)['\"]", href, re.IGNORECASE)
    if not match:
        return None
    coded = match.group(1).replace("\\/", "/").replace("\\", "")
    for offset in range(-26, 27):
        out = []
        for char in coded:
            code = ord(char)
            for low, high in _TYPO3_RANGES:
                if low <= code <= high:
                    code = low + (code - low + offset) % (high - low + 1)
                    break
            out.append(chr(code))
        text = "".join(out)
        if text.lower().startswith("mailto:"):
            return unquote(text[7:].split("?", 1)[0])
    return None


def _valid_email(value: str) -> str | None:
    result = check_email_syntax(value)
    if result.valid and result.normalized:
        return result.normalized
    return None


def _add_email(
    page: Page, value: str, method: str, person: int | None, site_domain: str | None
) -> None:
    address = _valid_email(value)
    if address is None:
        return
    key = address.casefold()
    for held in page.emails:
        if held.value.casefold() == key:
            if held.person is None and person is not None:
                held.person = person
            return
    page.emails.append(PageEmail(address, method, person))


def _person_of(el: Any, cards: dict[int, tuple[Any, int]]) -> int | None:
    node, depth = el, 0
    while node is not None and depth < 8:
        held = cards.get(id(node))
        if held is not None and held[0] is node:
            return held[1]
        node = node.getparent()
        depth += 1
    return None


def _emails(
    page: Page, root: Any, lines: list[_Line], cards: dict[int, tuple[Any, int]],
    site_domain: str | None,
) -> None:
    for script in root.iter("script"):
        code = script.text or ""
        if ("document.write" in code or "mailto" in code or "var ml=" in code) and (
            len(code) < 20_000) and (
            (script.get("type") or "text/javascript").lower() in ("text/javascript", "")
        ):
            # 'info' + '@' + 'firma.de': the literals joined as the browser would.
            joined = _JS_CONCAT.sub("", code)
            for ml, mi in _EEB_SCRIPT.findall(code):
                # Email Encoder's script: o += ml.charAt(mi.charCodeAt(j) - 48)
                try:
                    joined += " " + unquote("".join(ml[ord(c) - 48] for c in mi))
                except IndexError:
                    continue
            for match in _EMAIL.finditer(joined):
                _add_email(page, match.group(1), "script", _person_of(script, cards),
                           site_domain)
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if href[:7].lower() == "mailto:":
            target = unquote(href[7:].split("?", 1)[0])
            for part in re.split(r"[,;]", target):
                if part.strip():
                    _add_email(page, part.strip(), "mailto", _person_of(a, cards), site_domain)
        elif "linkedin.com/in/" in href:
            person = _person_of(a, cards)
            if person is not None and not page.people[person].linkedin_url:
                page.people[person].linkedin_url = href.split("?", 1)[0]
        elif "uncryptmailto" in href.lower():
            decoded = decode_typo3(href)
            if decoded:
                _add_email(page, decoded, "typo3", _person_of(a, cards), site_domain)
        elif "/cdn-cgi/l/email-protection#" in href:
            decoded = decode_cfemail(href.rsplit("#", 1)[1])
            if decoded:
                _add_email(page, decoded, "cloudflare", _person_of(a, cards), site_domain)
    for el in root.xpath("//*[contains(@style, 'bidi-override') or contains(@style, 'rtl')]"):
        reversed_text = el.text_content()[::-1]
        for match in _EMAIL.finditer(reversed_text):
            _add_email(page, match.group(1), "reversed", _person_of(el, cards), site_domain)
    for el in root.xpath("//*[@data-email or @data-mail or @data-address or @data-contact]"):
        for key in ("data-email", "data-mail", "data-address", "data-contact"):
            value = el.get(key) or ""
            if "@" in value:
                for match in _EMAIL.finditer(value):
                    _add_email(page, match.group(1), "attribute", _person_of(el, cards),
                               site_domain)
    for el in root.xpath("//*[@data-enc-email]"):
        # WordPress "Email Encoder" plugin: ROT13, with "[at]" for the @.
        decoded = codecs.decode(el.get("data-enc-email") or "", "rot13").replace("[at]", "@")
        for match in _EMAIL.finditer(decoded):
            _add_email(page, match.group(1), "attribute", _person_of(el, cards), site_domain)
    for el in root.xpath("//*[@data-cfemail]"):
        decoded = decode_cfemail(el.get("data-cfemail") or "")
        if decoded:
            _add_email(page, decoded, "cloudflare", _person_of(el, cards), site_domain)
    for line in lines:
        text = line.text
        if "@" in text:
            for match in _EMAIL.finditer(text):
                _add_email(page, match.group(1), "text", _person_of(line.block, cards),
                           site_domain)
        lowered = text.lower()
        if not any(w in lowered for w in (" at ", "(at)", "[at]", "{at}", "arobase", "(@)",
                                          "[@]", "<at>", " at", "ät", " @ ")):
            continue
        cleaned = BRACKETED_DOT.sub(".", BRACKETED_AT.sub("@", _SPACED_AT.sub("@", text)))
        cleaned = _SPACED_DOMAIN_DOT.sub(r"\1.\2", cleaned)
        if cleaned != text:
            for match in _EMAIL.finditer(cleaned):
                _add_email(page, match.group(1), "obfuscated", _person_of(line.block, cards),
                           site_domain)
        for match in _SPACED.finditer(cleaned):
            local, domain = match.group(1), _SPACED_DOT.sub(".", match.group(2))
            if local.lower() in _LOCAL_WORDS:
                continue
            plain_local = re.fullmatch(r"[a-z]+", local) is not None
            spelled = _SPACED_DOT.search(match.group(2)) is not None
            if plain_local and not spelled and not (
                site_domain and domain.lower().endswith(site_domain)
            ):
                continue
            _add_email(page, f"{local}@{domain}", "obfuscated",
                       _person_of(line.block, cards), site_domain)


# ---------------------------------------------------------------------------------------
# Phones

_PHONE_CANDIDATE = re.compile(
    r"(?:(?:\+|00)\s?\d[\d\s().\-/\u00a0]{5,22}\d|\(?\d[\d\s().\-/\u00a0]{6,20}\d)"
)
_DATE_LIKE = re.compile(r"\d{1,4}[-./]\d{1,2}[-./]\d{1,4}\Z")
_VERSION_LIKE = re.compile(r"\d+(?:\.\d+){2,}\Z")
_ID_LABELS = re.compile(
    r"(?i)(siren|siret|rcs|tva|vat|ust|capital|iban|bic|swift|hrb|hra|naf|ape|ein|"
    r"steuer|registernummer|rna|isbn|issn|n°\s*d'?agr[ée]ment|numero de declaration)"
)


def _add_phone(
    page: Page, raw: str, method: str, person: int | None, region: str | None
) -> None:
    check = check_phone(raw, region)
    if not check.valid or not check.e164:
        return
    for held in page.phones:
        if held.value == check.e164:
            if held.person is None and person is not None:
                held.person = person
            elif person is None:
                held.loose = True
            return
    page.phones.append(PagePhone(check.e164, raw.strip(), method, person, person is None))


def _phones(
    page: Page, root: Any, lines: list[_Line], cards: dict[int, tuple[Any, int]],
    region: str | None, hosting: set[int], others: tuple[str, ...] = (),
) -> None:
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if href[:4].lower() == "tel:" or href[:7].lower() == "callto:":
            raw = unquote(href.split(":", 1)[1])
            for guess in (region, *others):
                if check_phone(raw, guess).valid:
                    _add_phone(page, raw, "tel", _person_of(a, cards), guess)
                    break
    for index, line in enumerate(lines):
        text = line.text
        if index in hosting or sum(c.isdigit() for c in text) < 6:
            continue
        for match in _PHONE_CANDIDATE.finditer(text):
            candidate = match.group(0).strip()
            if _DATE_LIKE.match(candidate) or (
                _VERSION_LIKE.match(candidate) and sum(c.isdigit() for c in candidate) < 9
            ):
                continue
            before = text[max(0, match.start() - 30) : match.start()]
            if _ID_LABELS.search(before):
                continue
            for guess in (region, *others):
                # A national number read with the page's region, else with the country
                # the site's domain or its international numbers name (an English page
                # of a German firm prints "089 / 12 34 56").
                found = [c for c in find_phones(candidate, guess) if c.e164]
                for check in found:
                    _add_phone(page, check.raw, "text", _person_of(line.block, cards), guess)
                if found:
                    break


_TLD_REGIONS = {
    "fr": "FR", "de": "DE", "uk": "GB", "be": "BE", "ch": "CH", "at": "AT", "es": "ES",
    "it": "IT", "nl": "NL", "lu": "LU", "ca": "CA", "ie": "IE", "pt": "PT", "re": "RE",
    "mc": "MC", "us": "US", "au": "AU",
}
_CALLING_CODES = {"33": "FR", "49": "DE", "44": "GB", "32": "BE", "41": "CH", "43": "AT",
                  "34": "ES", "39": "IT", "31": "NL", "352": "LU", "1": "US"}
_INTERNATIONAL = re.compile(r"(?:\+|\b00)(352|33|49|44|32|41|43|34|39|31|1)[\s(.\-/\u00a0]")


def _other_regions(root: Any, url: str, lines: list[_Line], region: str | None,
                   ) -> tuple[str, ...]:
    """Regions to read national numbers with when the page's region gives none: the
    country of the site's domain (canonical URL first), then the calling codes its
    international numbers carry."""
    found: list[str] = []
    hosts = [urlsplit(url).hostname or ""]
    for link in root.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            hosts.insert(0, urlsplit(link.get("href").strip()).hostname or "")
    for meta in root.iter("meta"):
        if (meta.get("property") or "").lower() == "og:url" and meta.get("content"):
            hosts.insert(0, urlsplit(meta.get("content").strip()).hostname or "")
    for host in hosts:
        guess = _TLD_REGIONS.get(host.rsplit(".", 1)[-1].lower())
        if guess and guess != region and guess not in found:
            found.append(guess)
    for line in lines:
        if "+" in line.text or "00" in line.text:
            for match in _INTERNATIONAL.finditer(line.text):
                guess = _CALLING_CODES[match.group(1)]
                if guess != region and guess not in found:
                    found.append(guess)
    return tuple(found[:3])


# ---------------------------------------------------------------------------------------
# Company facts and legal identifiers

_SOCIAL = (
    ("linkedin_url", re.compile(
        r"^https?://(?:[\w-]+\.)?linkedin\.com/(?:company|school|showcase)/[^/?#]+", re.I)),
    ("twitter_url", re.compile(
        r"^https?://(?:www\.)?(?:twitter|x)\.com/(?!intent|share|home|search|hashtag)"
        r"[A-Za-z0-9_]{1,15}/?$", re.I)),
    ("github_url", re.compile(r"^https?://(?:www\.)?github\.com/[A-Za-z0-9-]+/?$", re.I)),
    ("youtube_url", re.compile(
        r"^https?://(?:www\.)?youtube\.com/(?:channel/|c/|user/|@)[^/?#]+", re.I)),
    ("facebook_url", re.compile(
        r"^https?://(?:[\w-]+\.)?facebook\.com/(?!sharer|share|dialog|plugins)[^/?#]+/?$",
        re.I)),
    ("instagram_url", re.compile(r"^https?://(?:www\.)?instagram\.com/[A-Za-z0-9_.]+/?$", re.I)),
)

_SIREN = re.compile(
    r"(?i)(?:siren|r\.?\s?c\.?\s?s\.?|registre du commerce[^0-9]{0,40}?)"
    r"[^0-9]{0,40}?(\d{3}[\s.\u00a0]?\d{3}[\s.\u00a0]?\d{3})(?![\s.\u00a0]?\d)"
)
_SIRET = re.compile(
    r"(?i)siret[^0-9]{0,25}(\d{3}[\s.\u00a0]?\d{3}[\s.\u00a0]?\d{3}[\s.\u00a0]?\d{5})(?!\d)"
)
_RCS_CITY = re.compile(
    r"(?:R\.?\s?C\.?\s?S\.?)\s*(?:de\s+|d['’]\s*|:\s*)?"
    r"([A-ZÀ-Ü][A-Za-zÀ-ÿ'’-]+(?:[ -](?:sur|en|de|le|la|les|sous)?[ -]?[A-ZÀ-Ü][A-Za-zÀ-ÿ'’-]+)*)"
)
_NAF = re.compile(
    r"(?i)(?:\bnaf\b|\bape\b|code\s+(?:naf|ape)|naf\s*/\s*ape|ape\s*/\s*naf)"
    r"[^0-9]{0,20}(\d{2})[.\s]?(\d{2})\s?([A-Za-z])\b"
)
_CAPITAL = re.compile(
    r"(?i)(?:capital(?:\s+social)?|stammkapital|grundkapital|share capital)"
    r"(?:\s+(?:de|of|variable\s+de|von))?\s*:?\s*"
    r"(?:(€|EUR|£|\$)\s*)?(\d{1,3}(?:[\s.,\u00a0\u202f]\d{3})*(?:[.,]\d{1,2})?)\s*(€|euros?|EUR|£|GBP|\$|USD)?"
)
_VAT_LABELLED = re.compile(
    r"(?i)(?:tva|vat|ust\.?[-\s]?id(?:nr)?\.?|umsatzsteuer[-\s]?identifikationsnummer|"
    r"uid|iva|btw|n°\s*intracom\w*|intracommunautaire|identifiant tva|mwst)"
    r"[^A-Za-z0-9]{0,40}(?:[a-z ]{0,30}:?\s*)?"
    r"([A-Z]{2}[\s.\u00a0]?[0-9A-Z][0-9A-Z\s.\u00a0]{6,16}[0-9A-Z])"
)
_FR_VAT = re.compile(
    r"\bFR[\s\u00a0]?[0-9A-HJ-NP-Z]{2}[\s\u00a0]?\d{3}[\s\u00a0]?\d{3}[\s\u00a0]?\d{3}\b"
)
_DE_VAT = re.compile(r"\bDE[\s\u00a0]?\d{3}[\s\u00a0]?\d{3}[\s\u00a0]?\d{3}\b")
_HR = re.compile(r"\b(HR[AB])\s*(?:Nr\.?|-Nr\.?|:)?\s*(\d{1,6})(?:\s?([A-Z]{1,2})\b(?![a-z]))?")
_COURT = re.compile(
    r"(?:Amtsgericht|Registergericht|Handelsregister(?:\s+beim)?(?:\s+Amtsgericht)?)"
    r"[:\s]+(?:des\s+)?(?:Amtsgerichts?\s+)?"
    # A court is a town: "München", "Frankfurt am Main", "Bad Homburg", "Charlottenburg
    # (Berlin)"; the word after it ("Registernummer", "HRB") is not part of the name.
    r"((?:Bad\s)?[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)*"
    r"(?:\s(?:am|an\sder|im|in\sder|ob\sder|vor\sder)\s[A-ZÄÖÜ][a-zäöüß]+"
    r"|\s\([A-ZÄÖÜ][a-zäöüß]+\))?)"
)
_UK_NUMBER = re.compile(
    r"(?i)(?:company\s+(?:registration\s+)?(?:number|no\.?)|registered\s+(?:in\s+england"
    r"(?:\s+and\s+wales)?\s+)?(?:company\s+)?(?:number|no\.?)|"
    r"companies\s+house\s+(?:number|no\.?)|"
    r"registration\s+(?:number|no\.?))[^0-9A-Z]{0,25}((?:SC|NI|OC|SO|NC|FC|R0|IP)?\d{5,8})\b"
)
_EIN = re.compile(
    r"(?i)(?:\bEIN\b|employer identification number|federal tax id(?:entification)?(?: number)?|"
    r"\btax id(?: number)?|\btax[- ]exempt[^.]{0,40}?|\bFEIN\b|\bTIN\b)[^0-9]{0,30}(\d{2}-\d{7})\b"
)
_RNA = re.compile(r"(?i)\bRNA\b[^A-Z0-9]{0,20}(W\d{9})\b|\b(W\d{9})\b")
# A street as legal notices write it: "14 quai Saint-Vincent", "Musterstraße 1",
# "221B Baker Street".
_STREET = re.compile(
    r"(?i)(?:^|\s)(?:\d{1,4}\s*(?:bis|ter|[a-d])?\s*,?\s+)?(?:rue|avenue|av\.|boulevard|bd|"
    r"place|chemin|all[ée]e|quai|impasse|route|cours|square|passage|faubourg|voie|parc)\s"
    r"|\w(?:stra(?:ß|ss)e|str\.|weg|platz|allee|ring|gasse|damm)\s+\d"
    r"|^\d{1,5}[a-z]?\s+.*\b(?:street|st\.?|road|rd\.?|avenue|ave\.?|lane|drive|way|"
    r"place|boulevard|square|court)\b"
)
_POSTCODE_CITY = re.compile(
    r"\b(\d{5})\s+([A-ZÀ-Ü][A-Za-zÀ-ÿ'’-]+(?:[ -][A-ZÀ-Üa-z][A-Za-zÀ-ÿ'’-]+){0,3})"
)
_LEGAL_FORMS = (
    ("association loi 1901", "Association loi 1901"), ("association loi de 1901",
                                                          "Association loi 1901"),
    ("SASU", "SASU"), ("SAS", "SAS"), ("SARL", "SARL"), ("EURL", "EURL"), ("SA", "SA"),
    ("SCOP", "SCOP"), ("SCIC", "SCIC"), ("SNC", "SNC"), ("GmbH & Co. KG", "GmbH & Co. KG"),
    ("GmbH", "GmbH"), ("UG (haftungsbeschränkt)", "UG"), ("AG", "AG"), ("e.V.", "e.V."),
    ("KG", "KG"), ("OHG", "OHG"), ("Ltd", "Ltd"), ("LLC", "LLC"), ("Inc.", "Inc."),
    ("PLC", "PLC"), ("LLP", "LLP"),
)


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def legal_ids(text: str) -> list[tuple[str, str]]:
    """Registration and tax identifiers printed in ``text``, each checked when it has a
    check digit (SIREN/SIRET Luhn, VAT, EIN prefix). Fields: siren, siret, vat, rcs, naf,
    share_capital, hrb (HRB or HRA number), register_court, uk_company_number, ein, rna."""
    from stdnum import luhn
    from stdnum.eu import vat as eu_vat
    from stdnum.us import ein as us_ein

    found: list[tuple[str, str]] = []

    def add(fact: tuple[str, str]) -> None:
        if fact not in found:
            found.append(fact)

    for match in _SIRET.finditer(text):
        digits = _digits(match.group(1))
        if len(digits) == 14 and luhn.is_valid(digits) and luhn.is_valid(digits[:9]):
            add(("siret", digits))
            add(("siren", digits[:9]))
    for match in _SIREN.finditer(text):
        digits = _digits(match.group(1))
        if len(digits) == 9 and luhn.is_valid(digits) and digits != "000000000":
            add(("siren", digits))
    if "RCS" in text or "R.C.S" in text:
        for match in _RCS_CITY.finditer(text):
            city = match.group(1).strip(" -")
            if fold(city) not in ("numero", "sous", "n", "b", "a") and len(city) > 1:
                add(("rcs", city))
                break
    for match in _NAF.finditer(text):
        add(("naf", f"{match.group(1)}.{match.group(2)}{match.group(3).upper()}"))
    vats = [m.group(1) for m in _VAT_LABELLED.finditer(text)]
    vats += [m.group(0) for m in _FR_VAT.finditer(text)]
    vats += [m.group(0) for m in _DE_VAT.finditer(text)]
    for raw in vats:
        compact = re.sub(r"[\s.\u00a0-]", "", raw).upper()
        for size in range(len(compact), 7, -1):
            candidate = compact[:size]
            try:
                if eu_vat.is_valid(candidate):
                    add(("vat", eu_vat.compact(candidate)))
                    break
            except Exception:  # noqa: S112 - an odd country code is just not a VAT number
                continue
    for match in _CAPITAL.finditer(text):
        amount = match.group(2)
        currency = match.group(3) or match.group(1)
        if not currency:
            continue
        cleaned = re.sub(r"[\s\u00a0\u202f]", "", amount)
        cleaned = re.sub(r"[.,](\d{3})", r"\1", cleaned)
        cleaned = cleaned.replace(",", ".")
        code = {"€": "EUR", "euro": "EUR", "euros": "EUR", "eur": "EUR", "£": "GBP",
                "gbp": "GBP", "$": "USD", "usd": "USD"}.get(currency.lower(), "EUR")
        if cleaned.replace(".", "").isdigit():
            add(("share_capital", f"{cleaned} {code}"))
            break
    for match in _HR.finditer(text):
        kind, number, suffix = match.group(1), match.group(2), match.group(3)
        value = f"{kind} {number}" + (f" {suffix}" if suffix and suffix in ("B", "HB") else "")
        add(("hrb", value))  # the Handelsregister number, section A or B as printed
    if any(f == "hrb" for f, _ in found) or "Amtsgericht" in text:
        for match in _COURT.finditer(text):
            add(("register_court", "Amtsgericht " + match.group(1).strip()))
            break
    for match in _UK_NUMBER.finditer(text):
        number = match.group(1).upper()
        prefix = re.match(r"[A-Z]+", number)
        digits = number[len(prefix.group(0)) :] if prefix else number
        width = 8 - (len(prefix.group(0)) if prefix else 0)
        if len(digits) <= width:
            add(("uk_company_number", (prefix.group(0) if prefix else "") + digits.zfill(width)))
    for match in _EIN.finditer(text):
        if us_ein.is_valid(match.group(1)):
            add(("ein", match.group(1)))
    for match in _RNA.finditer(text):
        add(("rna", match.group(1) or match.group(2)))
    return found


def _company(page: Page, root: Any, nodes: list[dict[str, Any]], lines: list[_Line],
             base: str) -> None:
    facts = page.company
    for meta in root.iter("meta"):
        prop = (meta.get("property") or meta.get("name") or "").lower()
        content = _squash(meta.get("content"))
        if not content:
            continue
        if prop == "og:site_name":
            facts.append(("name", content))
        elif prop == "robots" and "nofollow" in content.lower():
            page.nofollow = True
        elif prop == "og:url":
            page.canonical = page.canonical or content
    for link in root.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            page.canonical = urljoin(base, link.get("href").strip())
    for node in nodes:
        if not (_types(node) & _ORG_TYPES):
            continue
        name = _text(node.get("name"))
        if name and len(name) < 120:
            facts.append(("name", name))
        legal = _text(node.get("legalName"))
        if legal:
            facts.append(("legal_name", legal))
        url = _text(node.get("url"))
        if url and url.startswith("http"):
            facts.append(("website", url))
        email = _text(node.get("email"))
        if email:
            _add_email(page, email.removeprefix("mailto:"), "jsonld", None, None)
        phone = _text(node.get("telephone"))
        if phone:
            _add_phone(page, phone, "jsonld", None, None)
        for key, fieldname in (("vatID", "vat"), ("taxID", "tax_id"), ("duns", "duns"),
                               ("leiCode", "lei"), ("naics", "naics"),
                               ("foundingDate", "founded")):
            value = _text(node.get(key))
            if value:
                facts.append((fieldname, value))
        employees = node.get("numberOfEmployees")
        if isinstance(employees, dict):
            employees = employees.get("value") or employees.get("maxValue")
        if employees and str(employees).isdigit():
            facts.append(("headcount", str(employees)))
        address = node.get("address")
        if isinstance(address, list) and address:
            address = address[0]
        if isinstance(address, dict):
            for key, fieldname in (("streetAddress", "address"), ("postalCode", "postcode"),
                                   ("addressLocality", "city"), ("addressRegion", "region"),
                                   ("addressCountry", "country")):
                value = _text(address.get(key))
                if value:
                    facts.append((fieldname, value))
        elif isinstance(address, str) and address.strip():
            facts.append(("address", address.strip()))
        for link in _as_list(node.get("sameAs")):
            if isinstance(link, str):
                _social(facts, link.strip())
        for founder in _as_list(node.get("founder")) + _as_list(node.get("employee")):
            if isinstance(founder, dict):
                raw = _text(founder.get("name"))
                name = looks_like_name(raw) if raw else None
                if name:
                    _add_person(page, name, _text(founder.get("jobTitle")), "jsonld")
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if href.startswith("http") and any(
            host in href for host in ("linkedin.", "twitter.", "x.com", "github.", "youtube.",
                                      "facebook.", "instagram.")
        ):
            person = None
            if "linkedin.com/in/" in href:
                continue
            _social(facts, href, person)
    # Identifiers: read on every page (footers carry them), checked by their algorithms.
    hosting = _hosting_lines(lines)
    text = _own_text(lines, hosting)
    ids = legal_ids(text)
    facts.extend(ids)
    if not page.legal_page and (page.contact_page or page.home_page):
        _printed_address(page, lines, hosting)
    if page.legal_page:
        _legal_address(page, text)
        _legal_name(page, lines, hosting)
        for index, line in enumerate(lines):
            if index in hosting:
                continue
            for form, label in _LEGAL_FORMS:
                if re.search(rf"(?i)(?<![\w]){re.escape(form)}(?![\w])", line.text) and (
                    form.startswith("association") or re.search(
                        r"(?i)soci[ée]t[ée]|gesellschaft|company|firma|raison sociale|"
                        r"forme juridique|rechtsform|capital", line.text)
                ) and (form.startswith("association") or form in line.text):
                    facts.append(("legal_form", label))
                    break
            else:
                continue
            break


_HOSTING = re.compile(
    r"(?i)h[ée]berg(?:eur|ement|é par)|\bhosting\b|hosted by|\bhost\b|\bhoster\b|"
    r"webhosting|r[ée]alisation du site|site r[ée]alis[ée]|conception (?:du site|graphique)|"
    r"cr[ée]dits|design(?:ed)? by|made by|developed by|d[ée]velopp[ée] par"
)
_PUBLISHER = re.compile(
    r"(?i)[ée]diteur|publisher|herausgeber|angaben gem[äa]ß|propri[ée]taire du site|"
    r"anbieter|diensteanbieter|company information"
)


# Lines about the site's owner that end a hosting section printed without headings.
_OWNER_LABEL = re.compile(
    r"(?i)^(?:le |la )?(?:directeur|directrice|responsable|contact|kontakt|verantwortlich|"
    r"vertreten|gesch[äa]ftsf[üu]hr|pr[ée]sident|si[èe]ge|sitz|inhaber|vorstand|"
    r"publication|publisher|editor|[ée]dit[ée] par)")


def _hosting_lines(lines: list[_Line]) -> set[int]:
    """Lines of the hosting and credits sections (the host's SIREN and phone, the web
    agency's address), which legal notices print next to the company's own."""
    skipped: set[int] = set()
    skipping = False
    for index, line in enumerate(lines):
        if len(line.text) < 400 and _HOSTING.search(line.text) and not (
            skipping is False and _OWNER_LABEL.match(line.text)
        ):
            # "Hébergeur :" or a heading opens the host's lines; "Hébergeur : OVH SAS, 2 rue
            # Kellermann, 59100 Roubaix, RCS Lille 424 761 419" holds them whole.
            skipping = len(line.text) < 70 or line.text.rstrip().endswith(":")
            skipped.add(index)
            continue
        if skipping and (line.block.tag in _HEADINGS or _PUBLISHER.search(line.text)
                         or _OWNER_LABEL.match(line.text)):
            skipping = False
        if skipping:
            skipped.add(index)
    return skipped


def _own_text(lines: list[_Line], hosting: set[int]) -> str:
    return "\n".join(line.text for i, line in enumerate(lines) if i not in hosting)


# "Raison sociale : ACME SAS", "Firma: Müller GmbH", "Company name: Acme Ltd".
_NAME_LABEL = re.compile(
    r"(?i)^\s*(?:raison\s+sociale|d[ée]nomination(?:\s+sociale)?|nom\s+de\s+la\s+soci[ée]t[ée]|"
    r"soci[ée]t[ée]\s+[ée]ditrice|firmenname|firmierung|firma|company\s+name|"
    r"registered\s+name|legal\s+name)\s*:\s*(.+)$"
)
# "Le site est édité par ACME SAS, …", "published by Acme Ltd".
_PUBLISHED_BY = re.compile(
    r"(?i)\b(?:[ée]dit[ée]|publi[ée]|exploit[ée])\s+par\s+(?:la\s+soci[ée]t[ée]\s+|"
    r"l['’]entreprise\s+)?(.+)$|\b(?:published|operated|owned)\s+by\s+(.+)$"
)
# "La Sablière, société par actions simplifiée (SAS) au capital de 40 000 €".
_SPELLED_FORM = re.compile(
    r"(?i)^(?:[ée]diteur\s*:\s*)?(.{2,80}?),?\s+(?:une\s+)?("
    r"soci[ée]t[ée]\s+par\s+actions\s+simplifi[ée]e(?:\s+unipersonnelle)?|"
    r"soci[ée]t[ée]\s+[àa]\s+responsabilit[ée]\s+limit[ée]e|"
    r"entreprise\s+unipersonnelle\s+[àa]\s+responsabilit[ée]\s+limit[ée]e|"
    r"soci[ée]t[ée]\s+anonyme|soci[ée]t[ée]\s+en\s+nom\s+collectif|"
    r"soci[ée]t[ée]\s+civile\s+immobili[èe]re|"
    r"gesellschaft\s+mit\s+beschr[äa]nkter\s+haftung|private\s+limited\s+company)\b"
)
# "La Sablière, SAS au capital de 40 000 €": a short form followed by what a notice adds.
_SHORT_FORM = re.compile(
    r"^(?:(?i:[ée]diteur)\s*:\s*)?([^,:;]{2,80}?)(?:,\s*|\s+)"
    r"(SASU|SAS|SARL|EURL|SA|SNC|SCI|SCOP|GmbH|AG|UG|Ltd|Limited)"
    r"(?=\s*(?:,|au\s+capital|\(|$))"
)
_SPELLED_FORMS = {
    "societe par actions simplifiee": "SAS",
    "societe par actions simplifiee unipersonnelle": "SASU",
    "societe a responsabilite limitee": "SARL",
    "entreprise unipersonnelle a responsabilite limitee": "EURL",
    "societe anonyme": "SA",
    "societe en nom collectif": "SNC",
    "societe civile immobiliere": "SCI",
    "gesellschaft mit beschrankter haftung": "GmbH",
    "private limited company": "Ltd",
}
_NAME_END = re.compile(r"\s*(?:[,;]|\s[–—-]\s|\bimmatricul|\bsi[èe]ge\b|\bdont\b|\bwhose\b).*$",
                       re.IGNORECASE | re.DOTALL)


def _legal_name(page: Page, lines: list[_Line], hosting: set[int]) -> None:
    """The company's registered name as a legal notice prints it: after a label, after
    "édité par", or alone on a short line ending with a legal form (an Impressum's first
    line). A name without a legal form counts only after a label. Hosting lines are not
    read: the host's name is not the site's."""
    from enrichers.company import normalize_company

    found: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        if index in hosting:
            continue
        text = line.text.strip()
        label = _NAME_LABEL.match(text)
        published = None if label else _PUBLISHED_BY.search(text)
        start = (published.group(1) or published.group(2)) if published else text
        spelled = None if label else _SPELLED_FORM.match(start) or _SHORT_FORM.match(start)
        if spelled and spelled.group(1).split()[-1].islower():
            spelled = None  # "Nous sommes une SAS": a sentence, not a name
        if label:
            rank, chunk = 0, label.group(1)
        elif spelled:
            form = _SPELLED_FORMS.get(" ".join(fold(spelled.group(2)).split()), spelled.group(2))
            rank, chunk = 1, f"{spelled.group(1)} {form}"
        elif published:
            rank, chunk = 1, start
        elif len(text) <= 80 and ":" not in text and not any(c.isdigit() for c in text):
            rank, chunk = 2, text
        else:
            continue
        company = normalize_company(_NAME_END.sub("", chunk))
        if not company.display or len(company.display) > 80:
            continue
        if company.legal_form is None and rank:
            continue
        if rank == 2 and not text.endswith(company.legal_form or "\0"):
            continue  # "ACME SAS vous souhaite la bienvenue" is a sentence, not a name
        name = company.display + (f" {company.legal_form}" if company.legal_form else "")
        found.append((rank, name))
    if found:
        page.company.append(("legal_name", min(found, key=lambda f: f[0])[1]))


def _legal_address(page: Page, text: str) -> None:
    match = re.search(
        r"(?is)(?:si[èe]ge\s+social|si[èe]ge|adresse|anschrift|sitz|registered office|"
        r"headquarters)\s*:?\s*(.{0,160})", text
    )
    if not match:
        return
    found = _POSTCODE_CITY.search(match.group(1))
    if found:
        street = _street_of(match.group(1)[:found.start()].strip(" ,;:-–—\n")
                            .rsplit("\n", 1)[-1])
        if street:
            page.company.append(("address", street))
        page.company.append(("postcode", found.group(1)))
        page.company.append(("city", _town_of(found)))


def _printed_address(page: Page, lines: list[_Line], hosting: set[int]) -> None:
    """The first postal address a contact page or a home page's footer prints without a
    label: a street ("12 rue de la République", "Musterstraße 1") and, on its line or the
    next, a postcode and town ("69002 Lyon")."""
    for index, line in enumerate(lines):
        if index in hosting or len(line.text) > 160 or not _STREET.search(line.text):
            continue
        found = _POSTCODE_CITY.search(line.text)
        street = line.text[:found.start()] if found else line.text
        if found is None and index + 1 < len(lines) and index + 1 not in hosting:
            found = _POSTCODE_CITY.match(lines[index + 1].text.strip())
            if found is None or len(lines[index + 1].text) > 80:
                continue
        street = _street_of(street) if found else None
        if street is None:
            continue
        page.company.extend((("address", street), ("postcode", found.group(1)),
                             ("city", _town_of(found))))
        return


def _street_of(text: str) -> str | None:
    """The street part of what precedes a postcode ("ACME SAS, 12 rue X" → "12 rue X"),
    or None when it holds no street."""
    street = text.strip(" ,;:-–—")
    pieces = street.split(",")
    for i, piece in enumerate(pieces):
        if _STREET.search(piece.strip()):
            street = ",".join(pieces[i:]).strip()
            break
    return street if _STREET.search(street) and 4 < len(street) <= 120 else None


def _town_of(found: re.Match[str]) -> str:
    """The town of a ``_POSTCODE_CITY`` match, without what a line prints after it."""
    return re.split(r"\s+(?:T[ée]l|Tel|Phone|Fax|France|Deutschland|Germany|Cedex)\b",
                    found.group(2))[0].strip()


def _social(facts: list[tuple[str, str]], url: str, person: Any = None) -> None:
    for fieldname, pattern in _SOCIAL:
        if pattern.match(url):
            facts.append((fieldname, url.split("?", 1)[0].rstrip("/")))
            return


# ---------------------------------------------------------------------------------------
# Links and signals


def _links(page: Page, root: Any, base: str) -> None:
    seen: set[str] = set()
    for a in root.iter("a", "area"):
        href = a.get("href")
        if not href:
            continue
        href = href.strip()
        if not href or href[0] == "#" or (":" in href[:11] and not href.lower().startswith(
            ("http:", "https:")
        )):
            continue
        url = urljoin(base, href).split("#", 1)[0]
        if url in seen:
            continue
        seen.add(url)
        page.links.append((url, _squash(a.text_content())[:100]))
    for link in root.iter("link"):
        if (link.get("rel") or "").lower() in ("next", "author") and link.get("href"):
            page.links.append((urljoin(base, link.get("href").strip()), ""))


_JOB_MARKS = re.compile(r"\((?:H/F|F/H|M/F|F/M|m/w/d|w/m/d|m/f/d|f/m/d|H/F/X|all genders)\)",
                        re.IGNORECASE)


def _signals(page: Page, root: Any, nodes: list[dict[str, Any]]) -> None:
    facts = page.company
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() == "generator":
            content = fold(meta.get("content") or "")
            for needle, name in GENERATOR_NAMES:
                if needle in content:
                    facts.append(("technology", name))
    sources = [s.get("src") or "" for s in root.iter("script")]
    sources += [link.get("href") or "" for link in root.iter("link")
                if "stylesheet" in (link.get("rel") or "")]
    for src in sources:
        low = src.lower()
        if not low:
            continue
        for needle, name in SCRIPT_HOSTS:
            if needle in low:
                facts.append(("technology", name))
    if any("elementor" in (el.get("class") or "") for el in root.iter("div")):
        facts.append(("technology", "Elementor"))
    if page.lang:
        facts.append(("site_language", page.lang.split("-")[0].lower()))
    if page.careers_page:
        facts.append(("careers_url", page.url))
        postings = sum(1 for n in nodes if "JobPosting" in _types(n))
        if not postings:
            prefix = urlsplit(page.url).path.rstrip("/") + "/"
            deeper = set()
            for url, _label in page.links:
                path = urlsplit(url).path
                if path.startswith(prefix) and len(path.rstrip("/")) > len(prefix) and (
                    "page" not in path[len(prefix):].split("/")[0]
                ):
                    deeper.add(path.rstrip("/"))
            postings = len(deeper)
        if not postings:
            postings = len(set(_JOB_MARKS.findall(" ".join(
                _squash(el.text_content()) for el in root.iter("h2", "h3", "h4", "li", "a")
            )))) and sum(
                1 for el in root.iter("h2", "h3", "h4", "a")
                if _JOB_MARKS.search(el.text_content() or "")
            )
        facts.append(("open_positions", str(postings)))
