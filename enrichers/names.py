"""Person names: civility, given name, middle, family name, suffix; particle-aware casing.

:func:`split_name` takes a full name or separate first/last fields and never raises.
:func:`recase_name` fixes the casing of text typed in ALL CAPS or all lower case and keeps
mixed-case text as the person wrote it (reliability DD-5):

- particles: ``de``, ``du``, ``des``, ``d'``, ``van``, ``von``, ``der``, ``den``, ``da``,
  ``dos`` are lower case; the French article after them keeps its capital
  (``DE LA FONTAINE`` → ``de La Fontaine``, ``LE PEN`` → ``Le Pen``, ``BEN ALI`` →
  ``Ben Ali``); a particle that is the last word is a name (``LE`` → ``Le``);
- hyphens and apostrophes: ``JEAN-PIERRE`` → ``Jean-Pierre``, ``O'NEIL`` → ``O'Neil``,
  ``D'ARTAGNAN`` → ``d'Artagnan``; typographic apostrophes become ``'``;
- ``Mc`` always (``MCDONALD``, ``McDONALD`` → ``McDonald``), ``Mac`` only for known names
  (``MacLeod`` but ``Macron``);
- in mixed-case text only shouting words are re-cased (``Jean DUPONT`` → ``Jean Dupont``);
  ``de la Fontaine`` stays as written.

Word order: ``LAST, First`` and the French ``DUPONT Jean`` (a word in capitals among
mixed-case words is the family name) are recognised; otherwise the given name comes first
and the family name starts at its first particle (``Anne van der Berg``).

The splitter is this module's own: nameparser reads ``M.`` as a first name and splits
``Ben Ali``, and runs at a few thousand names a second. Results are cached per input.

Reasons: ``ok``, ``empty``, ``not a person`` (a role such as ``Direction Commerciale``,
``Service client``, ``Contact``: no parts), ``first_name_only``, ``last_name_only``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources

from prospecting.models import strip_accents
from prospecting.privacy import untagged

__all__ = ["NameParts", "recase_name", "recase_place", "split_name"]


@dataclass(frozen=True, slots=True)
class NameParts:
    """One person's name in parts; ``initials`` is true when the given name is initials."""

    civility: str | None
    first_name: str | None
    middle: str | None
    last_name: str | None
    suffix: str | None
    full_name: str | None
    initials: bool
    reason: str
    # What a full name held beside the name, cut off by " - " or " | " ("Julie Martin |
    # Head of Sales": "Head of Sales"), for the caller to read (a title, a company).
    aside: str | None = None


# Lower case inside a family name (unless last): French, Dutch, German, Portuguese.
# fmt: off
_LOWER_PARTICLES = frozenset(
    {"de", "du", "des", "d", "van", "von", "der", "den", "ter", "ten", "te", "da", "das",
     "dos", "do", "zu", "zum", "zur", "y", "e"}
)
# fmt: on
# Particles that start a family name but keep their capital (French articles, Italian and
# Arabic particles).
# fmt: off
_CAPITAL_PARTICLES = frozenset(
    {"le", "la", "les", "di", "del", "della", "dello", "dalla", "ben", "bin", "ibn", "el",
     "al", "st", "ste", "saint", "sainte", "mac", "mc", "ap", "ou"}
)
# fmt: on
_JOINING = (_LOWER_PARTICLES | _CAPITAL_PARTICLES) - {"y", "e", "mac", "mc", "ou", "ap"}

# fmt: off
_MAC_NAMES = frozenset(
    {"macdonald", "macleod", "mackenzie", "mackay", "macarthur", "macgregor", "macintyre",
     "macmillan", "maclean", "macneil", "macneill", "macpherson", "macaulay", "macbride",
     "macdougall", "macfarlane", "maclaren", "maclachlan", "macintosh", "mackintosh",
     "macnamara", "macinnes", "mackinnon", "macrae", "macdowell", "macquarrie", "macallister",
     "macalister", "maccallum", "macdonnell", "macewan", "macgillivray", "mackenna",
     "maclennan", "macnab", "macnaughton", "macqueen", "macdermott", "macmahon"}
)
# fmt: on

# fmt: off
_CIVILITIES = {
    "m.": "M.", "mr": "Mr", "mr.": "Mr", "monsieur": "M.", "mister": "Mr",
    "mme": "Mme", "mme.": "Mme", "madame": "Mme",
    "mlle": "Mlle", "mlle.": "Mlle", "melle": "Mlle", "mademoiselle": "Mlle",
    "dr": "Dr", "dr.": "Dr", "docteur": "Dr", "doctor": "Dr",
    "pr": "Pr", "pr.": "Pr", "prof": "Pr", "prof.": "Pr", "professeur": "Pr", "professor": "Pr",
    "me": "Me", "me.": "Me", "maitre": "Me",
    "mrs": "Mrs", "mrs.": "Mrs", "ms": "Ms", "ms.": "Ms", "miss": "Miss",
    "herr": "Herr", "frau": "Frau", "sir": "Sir", "dame": "Dame",
    # Spanish, Portuguese and Italian: señor, señora, señorita, doctora; signore,
    # signora, signorina, dottore, dottoressa, avvocato.
    "sr": "Sr.", "sr.": "Sr.", "sra": "Sra.", "sra.": "Sra.", "srta": "Srta.",
    "srta.": "Srta.", "dra": "Dra.", "dra.": "Dra.", "sig.": "Sig.", "sig.ra": "Sig.ra",
    "sig.na": "Sig.na", "dott.": "Dott.", "dott.ssa": "Dott.ssa", "avv.": "Avv.",
    "prof.ssa": "Prof.ssa",
}
# fmt: on
# fmt: off
_SUFFIXES = {
    "jr": "Jr.", "jr.": "Jr.", "sr": "Sr.", "sr.": "Sr.",
    "ii": "II", "iii": "III", "iv": "IV", "phd": "PhD", "ph.d.": "PhD", "ph.d": "PhD",
    "md": "MD", "m.d.": "MD", "esq": "Esq.", "esq.": "Esq.", "mba": "MBA",
}
# Letters after a name (accountancy, finance, surveying, engineering, honours), read only
# as written, in capitals or as below: "Obe" may be a surname. (Not KC nor CA: surnames
# in Nepal and Vietnam written in capitals.)
_POSTNOMINALS = {
    k.lower(): k for k in (
        "FCA", "ACA", "CPA", "CFA", "ACCA", "FCCA", "CIMA", "ACMA", "FCMA", "CGMA",
        "MRICS", "FRICS", "CEng", "MBE", "OBE", "CBE", "PMP", "CISSP", "MSc", "LLM",
        "FRCS", "FRCP", "FCIPD", "MCIPD", "CIPD")
}
# fmt: on
# A "name" made only of these words (and the small words below) is a role, not a person.
_ROLE_WORDS_TEXT = """
direction directeur directrice dirigeant service services contact contacts accueil
standard secretariat secretaire comptabilite compta commercial commerciale commerciaux
ventes vente sales marketing communication support info infos information informations
administration administratif administrative admin webmaster team equipe department
departement dept client clients clientele customer customers care rh hr ressources
humaines human resources recrutement recruitment recruiting jobs emploi carrieres careers
presse press media medias reception helpdesk hotline facturation billing achats
purchasing juridique legal technique technical office bureau siege agence magasin
boutique shop store sav apres noreply newsletter management gestion partenariats
partnerships manager responsable president presidente ceo pdg gerant gerante fondateur
founder general generale relations relation commande commandes orders export
international assistance support technique informatique it devis quote quotes
service-client inconnu unknown anonymous anonyme destinataire recipient utilisateur user
"""
_ROLE_WORDS = frozenset(_ROLE_WORDS_TEXT.split())
_SMALL_WORDS_TEXT = "de du des la le les l d et and of the en a au aux pour for to"
_SMALL_WORDS = frozenset(_SMALL_WORDS_TEXT.split())
# fmt: off
_PLACEHOLDERS = frozenset(
    {"", "n/a", "na", "nc", "n.c.", "n.a.", "-", "--", "?", "none", "null", "nan", "nil",
     "test", "xxx", "x", "xx", "inconnu", "unknown", "aucun", "vide", "empty"}
)
# fmt: on

_CROSSES = frozenset({"x", "xx", "xxx", "xxxx"})  # "Jean X": family name not known
_APOSTROPHES = str.maketrans(dict.fromkeys("’‘ʼʹ′`´‛", "'"))
# Those of the apostrophes that are letters to str.isalpha (modifier letters).
_APOSTROPHE_LETTERS = frozenset(c for c in "’‘ʼʹ′`´‛" if c.isalpha())
_HYPHENS = str.maketrans(dict.fromkeys("‐‑‒﹣－", "-"))
_SEGMENT = re.compile(r"([-'.])")
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|\{[^{}]*\}|\"[^\"]*\"|“[^”]*”|«[^»]*»")
_PIECES = re.compile(r"\s+[-–—|/•·]\s+|\s*[|•]\s*")
# An email address inside a name cell (not a headline's "CEO @ Acme").
_ADDRESS_IN = re.compile(r"[^\s@]@[^\s@]+\.[^\s@]")
# A headline's "@ Acme" after a title, up to the next piece.
_AT_COMPANY = re.compile(r"\s*@[^|•·–—]*")
_SPACES = re.compile(r"\s+")
# A name written as the local part of an address: two words of letters, lower case, joined
# by a dot or an underscore ("jean.petit", "marie_curie", "jean-pierre.dupont").
_LOGIN_WORD = r"[^\W\d_A-Z]{2,}(?:-[^\W\d_A-Z]{2,})*"
_LOGIN = re.compile(rf"{_LOGIN_WORD}[._]{_LOGIN_WORD}")
_UNUSUAL = re.compile(r"[^\w\s\-'.,]|[\d_|•/–—]")
_VOWELS = frozenset("aeiouyàâäéèêëïîôöùûüÿœæ")
_EMPTY = NameParts(None, None, None, None, None, None, False, "empty")
_NOT_A_PERSON = NameParts(None, None, None, None, None, None, False, "not a person")


# ---------------------------------------------------------------------------------------------
# Casing


def recase_name(text: str) -> str:
    """Particle-aware casing of ALL CAPS or all lower case text; mixed case is kept.

    Whitespace is collapsed and typographic apostrophes become ``'``. Idempotent; never
    raises.
    """
    if not isinstance(text, str):
        return ""
    return _recase(text)


def recase_place(text: str) -> str:
    """A town written in ALL CAPS or all lower case, cased as its name is written
    (``AIX-EN-PROVENCE`` → ``Aix-en-Provence``, ``LES SABLES-D'OLONNE`` → ``Les
    Sables-d'Olonne``, ``FRANKFURT AM MAIN`` → ``Frankfurt am Main``, ``PARIS 11E`` →
    ``Paris 11e``); mixed case is kept as written. Idempotent; never raises."""
    if not isinstance(text, str):
        return ""
    return _recase_place(text)


@functools.lru_cache(maxsize=1 << 14)
def _recase_place(text: str) -> str:
    text = _SPACES.sub(" ", text.translate(_APOSTROPHES).translate(_HYPHENS)).strip()
    # A capital may bring a sign back ("ŉ" → "ʼN"): written as the text was.
    result = _recase_place_once(text).translate(_APOSTROPHES).translate(_HYPHENS)
    # As for names: a letter without a reversible case ("ß" → "SS") keeps the text.
    if result != text and _recase_place_once(result) != result:
        return text
    return result


def _recase_place_once(text: str) -> str:
    if not _is_uniform(text):
        return text
    out = []
    for index, part in enumerate(_PLACE_PARTS.split(text)):
        if not part or part in " -" or not any(c.isalpha() for c in part):
            out.append(part)
        elif part[0].isdigit():
            out.append(part.lower())  # 11E, 2EME: an arrondissement's ordinal
        elif index and part.lower() in _PLACE_SMALL:
            out.append(part.lower())  # en, sur, lès, am, upon...
        elif index and part.lower()[:2] in ("d'", "l'") and len(part) > 2:
            out.append(part[:2].lower() + _capitalize_place(part[2:]))  # d'Olonne
        else:
            out.append(_capitalize_place(part))
    return "".join(out)


def _capitalize_place(word: str) -> str:
    head, apostrophe, tail = word.partition("'")
    if apostrophe and len(head) == 1:  # L'ISLE: L'Isle
        return head.upper() + "'" + tail[:1].upper() + tail[1:].lower()
    return word[:1].upper() + word[1:].lower()


_PLACE_PARTS = re.compile(r"([ -])")
# Words a town's name keeps in lower case after its first word (French, German, English,
# Spanish, Italian, Dutch).
_PLACE_SMALL = frozenset({
    "en", "sur", "sous", "lès", "les", "de", "du", "des", "la", "le", "et", "aux", "au", "à",
    "am", "an", "der", "im", "in", "ob", "bei", "vor", "auf", "upon", "on", "of", "the",
    "del", "di", "da", "dei", "della", "y", "aan", "den", "op",
})


@functools.lru_cache(maxsize=1 << 16)
def _recase(text: str) -> str:
    text = _SPACES.sub(" ", text.translate(_APOSTROPHES).translate(_HYPHENS)).strip()
    return _case(text, particles=True)


def _case(text: str, *, particles: bool) -> str:
    """:func:`_case_once`, kept only when a second pass would not change it again.

    A few letters have no reversible case mapping (a leading letter with no capital, some
    ligatures and digraphs); then the text is returned as it came, so casing is idempotent.
    """
    result = _case_once(text, particles=particles)
    if result != text and _case_once(result, particles=particles) != result:
        return text
    return result


def _case_once(text: str, *, particles: bool) -> str:
    words = text.split(" ") if text else []
    uniform = _is_uniform(text)
    last = len(words) - 1
    return " ".join(
        _recase_word(word, followed=index < last, particles=particles)
        if uniform or _is_shouting(word)
        else word
        for index, word in enumerate(words)
    )


def _is_uniform(text: str) -> bool:
    """True for text in ALL CAPS or all lower case (with at least one cased letter)."""
    if text.isascii():
        return text.isupper() or text.islower()
    has_upper = has_lower = False
    for char in text:
        if char.isupper():
            has_upper = True
        elif char.islower():
            has_lower = True
        if has_upper and has_lower:
            return False
    return has_upper or has_lower


def _is_shouting(word: str) -> bool:
    """A word in capitals inside mixed-case text (``DUPONT``, ``McDONALD``), not initials."""
    if word.islower() or (word[:1].isupper() and word[1:].islower()):
        return False  # lower case or Capitalised
    if _is_initials(word):
        return False
    cased = [c for c in word if c.isupper() or c.islower()]
    if len(cased) >= 2 and all(c.isupper() for c in cased):
        return True
    run = 0
    for char in word:
        run = run + 1 if char.isupper() else 0
        if run >= 3:
            return True
    return False


def _recase_word(word: str, *, followed: bool, particles: bool = True) -> str:
    """One word: particles lower case when a name follows, every other part capitalised."""
    if _is_initials(word) and not any(c.islower() for c in word) and "." not in word:
        return word  # JP, JB: initials typed in capitals stay so
    folded = _fold_word(word)
    if particles and followed and folded in _LOWER_PARTICLES:
        return word.lower()
    segments = _SEGMENT.split(word)
    out: list[str] = []
    for i, segment in enumerate(segments):
        if not segment or segment in "-'.":
            out.append(segment)
            continue
        before_apostrophe = i + 1 < len(segments) and segments[i + 1] == "'"
        if particles and before_apostrophe and i == 0 and _fold_word(segment) == "d":
            # d'Artagnan, d'Estaing: the elided particle stays lower case.
            out.append(segment.lower())
            continue
        out.append(_capitalize(segment))
    return "".join(out)


def _capitalize(segment: str) -> str:
    lower = segment.lower()
    folded = _fold_word(lower)
    if len(folded) > 3 and folded.startswith("mc"):
        return "Mc" + _title(lower[2:])
    if folded in _MAC_NAMES:
        return "Mac" + _title(lower[3:])
    if segment[:1].isupper():
        return segment[0] + segment[1:].lower()  # keeps İ whole: its lower case is two letters
    return _title(lower)


def _title(text: str) -> str:
    if not text:
        return text
    head = text[0].upper()
    if len(head) != 1:  # 'ŉ'.upper() is two characters: keep the letter as it is
        head = text[0]
    return head + text[1:]


def _fold_word(word: str) -> str:
    if word.isascii():
        return word.lower().strip(".'")
    return strip_accents(word).casefold().strip(".'")


def _is_initials(word: str) -> bool:
    """``J.``, ``J.-P.``, ``J.P.``, ``J``, ``JP`` (capitals with no vowel)."""
    if len(word) > 3 and "." not in word:
        return False
    letters = [c for c in word if c.isalpha()]
    if not letters or len(letters) > 3:
        return False
    if "." in word:
        return all(len(seg) <= 1 for seg in re.split(r"[.\-\s]+", word) if seg)
    if len(letters) == 1:
        return True
    return all(c.isupper() for c in letters) and not any(
        strip_accents(c).lower() in _VOWELS for c in letters
    )


# ---------------------------------------------------------------------------------------------
# Splitting


def split_name(
    full: str | None = None, *, first: str | None = None, last: str | None = None
) -> NameParts:
    """Split and re-case a name, from ``full`` or from separate ``first``/``last`` fields.

    When ``first`` or ``last`` is given they are used as they are split (a person's own
    fields); ``full`` is then ignored. Never raises.
    """
    full = full if isinstance(full, str) else None
    first = first if isinstance(first, str) else None
    last = last if isinstance(last, str) else None
    try:
        return _split(full, first, last)
    except Exception:  # a name that trips the splitter is reported, never raised
        return _EMPTY


@functools.lru_cache(maxsize=1 << 16)
def _split(full: str | None, first: str | None, last: str | None) -> NameParts:
    first_clean = _clean(first) if first else ""
    last_clean = _clean(last) if last else ""
    if first_clean or last_clean:
        return _from_fields(first_clean, last_clean)
    if not full:
        return _EMPTY
    parts = _from_full(full)
    if parts.first_name or parts.last_name:
        # A headline's "CEO @ Acme": the title, without the company it is held at.
        aside = _aside(_AT_COMPANY.sub("", full) if "@" in full else full)
        if aside:
            return replace(parts, aside=aside)
    return parts


def _aside(full: str) -> str | None:
    """The pieces of ``full`` other than the name :func:`_from_full` reads, joined."""
    pieces, person = _pieces(_clean(full))
    others = (p.strip(" ,") for i, p in enumerate(pieces) if i != person)
    return " - ".join(p for p in others if p) or None


def _pieces(text: str) -> tuple[list[str], int | None]:
    """A cleaned full name cut at `` - ``, `` | ``…, and which piece is the person's: the
    first that is not only role words (``Service client - Jean Dupont``), if any."""
    pieces = [p for p in _PIECES.split(text) if p.strip()]
    return pieces, next((i for i, p in enumerate(pieces) if not _is_role(p.split())), None)


def _from_fields(first: str, last: str) -> NameParts:
    first_words, last_words = first.split(), last.split()
    if not first_words and len(last_words) >= 2:
        classes = {_word_class(w) for w in last_words}
        if "caps" in classes and "mixed" in classes:
            # French CRMs put "MARTIN Sophie" in the surname field and leave the given
            # name's empty: read as a full name, the capitals are the surname.
            return _from_full(last)
    civility, first_words = _take_civility(first_words)
    if civility is None and not first_words:
        civility, last_words = _take_civility(last_words)
    # A last-name field holds only the surname: "Dupont, PhD", "Lee, MBA, CFA" end with
    # suffixes even when there are only two words.
    suffix, last_words = _take_suffix(last_words, least=2)
    while suffix is not None and len(last_words) >= 2:
        more, shorter = _take_suffix(last_words, least=2)
        if more is None:
            break
        last_words = shorter
    if last_words and last_words[-1].endswith(","):
        last_words = [*last_words[:-1], last_words[-1].rstrip(",")]
    if _is_role(first_words + last_words):
        return _NOT_A_PERSON
    return _parts(civility, first_words, [], last_words, suffix)


def _from_full(full: str) -> NameParts:
    if "://" in full or "www." in full.lower() or ("@" in full and _ADDRESS_IN.search(full)):
        return _NOT_A_PERSON  # an address or a link, not a name ("CEO @ Acme" is a title)
    text = _clean(full)
    if not text:
        return _EMPTY
    pieces, person = _pieces(text)
    if person is None:
        return _NOT_A_PERSON
    text = pieces[person].strip(" ,")
    if _LOGIN.fullmatch(text):
        text = text.replace(".", " ").replace("_", " ")  # jean.petit, as in an address
    words = text.replace(",", " , ").split()
    civility, words = _take_civility(words)
    suffix, words = _take_suffix(words)
    if "," in words:
        given, family, comma_suffix = _comma_order(words)
        suffix = suffix or comma_suffix
        if given is not None:
            if _is_role(given + family):
                return _NOT_A_PERSON
            given_civility, given = _take_civility(given, keep_one=False)  # Dupont, M. Jean
            family_suffix, family = _take_suffix(family, least=2)  # Smith Jr., John
            suffix = suffix or family_suffix
            return _parts(civility or given_civility, given[:1], given[1:], family, suffix)
        words = family
    if not words:
        return _EMPTY if civility is None else _parts(civility, [], [], [], suffix)
    if _is_role(words):
        return _NOT_A_PERSON
    if civility and len(words) == 1:
        return _parts(civility, [], [], words, suffix)  # M. Dupont, Dr Martin
    given, middle, family = _order(words)
    if given and family:
        inner, rest = _take_civility([*given, *middle], keep_one=False)  # DUPONT Mme Marie
        if inner:
            civility = civility or inner
            given, middle = rest[:1], rest[1:]
    return _parts(civility, given, middle, family, suffix)


def _comma_order(words: list[str]) -> tuple[list[str] | None, list[str], str | None]:
    """``Dupont, Jean`` → given ``Jean``, family ``Dupont``; drops a trailing suffix or role."""
    groups: list[list[str]] = [[]]
    for word in words:
        if word == ",":
            groups.append([])
        else:
            groups[-1].append(word)
    groups = [g for g in groups if g]
    suffix = None
    while len(groups) > 1:
        tail = groups[-1]
        if len(tail) == 1 and (found := _suffix_of(tail[0])) is not None:
            suffix = found
            groups.pop()
        elif _is_role(tail):
            groups.pop()
        else:
            break
    if len(groups) == 2:
        return groups[1], groups[0], suffix
    return None, [w for g in groups for w in g], suffix


def _order(words: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Given, middle and family words of a name without a comma."""
    if len(words) == 1:
        return ([], [], words) if _looks_like_surname(words[0]) else (words, [], [])
    if (
        words[0].islower()
        and _fold_word(words[0]) in _LOWER_PARTICLES
        and not _is_uniform(" ".join(words))
    ):
        # "de la Fontaine Jean": a name that opens on a lower-case particle is a family name.
        end = 0
        while end < len(words) - 1 and _fold_word(words[end]) in _JOINING:
            end += 1
        return words[end + 1 : end + 2], words[end + 2 :], words[: end + 1]
    end = _particles_first(words)
    if end:
        # "Le Bris Alexandre", "Da Silva Maria", "DE LA FONTAINE JEAN": a capitalised
        # particle no given name is, then the surname, then a given name.
        return words[end + 1 : end + 2], words[end + 2 :], words[: end + 1]
    if (len(words) >= 3 and _fold_word(words[0]) in _VIETNAMESE_SURNAMES
            and _fold_word(words[1]) in _VIETNAMESE_MIDDLE):
        # "Nguyen Van Anh": the family name first, then the middle name (not the
        # particle "van") and the given name (see _parts).
        return words[1:2], words[2:], words[:1]
    if (_is_initials(words[-1]) and not any(_is_initials(w) for w in words[:-1])
            and _suffix_of(words[-1]) is None
            and _fold_word(words[0].split("-")[0]) not in _known_given_names()):
        # "Dos Santos J-C", "DUPONT J.-P.", "Le Gall A.": initials after words that open
        # on no given name are the given name's, the surname first (a list sorted by
        # surname). "Sarah K." keeps its order: a given name, then a surname's initial.
        return words[-1:], [], words[:-1]
    classes = [_word_class(w) for w in words]
    if "caps" in classes and "mixed" in classes:
        # French order: the words in capitals are the family name (DUPONT Jean, Jean DUPONT).
        if classes[0] in ("caps", "particle"):
            end = 0
            while end < len(words) and classes[end] in ("caps", "particle"):
                end += 1
            if "caps" in classes[:end]:
                return words[end : end + 1], words[end + 1 :], words[:end]
        if classes[-1] == "caps":
            start = len(words)
            while start > 0 and classes[start - 1] in ("caps", "particle"):
                start -= 1
            return words[:1], words[1:start], words[start:]
    start = len(words) - 1
    for i in range(1, len(words) - 1):
        if _fold_word(words[i]) in _JOINING:
            start = i
            break
    return words[:1], words[1:start], words[start:]


def ordered_by_address(parts: NameParts, emails: Sequence[str]) -> NameParts:
    """``parts`` split from a full name of two words, the other way round where the
    person's own address writes them so: "Martin Sophie" at ``sophie.martin@``,
    ``smartin@`` or ``sophiemartin@`` is Sophie Martin, "Dupont Marie" at
    ``marie.dupont@`` Marie Dupont. Only towards a given name the lists know: "Marie
    Dupont" at ``dupont.marie@`` (a company writing the surname first) stays as it is.
    """
    given, family = parts.first_name, parts.last_name
    if not given or not family or parts.middle or parts.initials or " " in given + family:
        return parts
    g, f = _address_word(given), _address_word(family)
    known = _known_given_names()
    if len(g) < 2 or len(f) < 2 or g == f or (
            f not in known and f.split("-")[0] not in known):
        return parts
    flat_g, flat_f = g.replace("-", ""), f.replace("-", "")
    as_split = ((flat_g, flat_f), (g[0], flat_f))  # jean.dupont, j.dupont
    swapped = ((flat_f, flat_g), (f[0], flat_g))
    split_joined = {"".join(w) for w in as_split}
    swapped_joined = {"".join(w) for w in swapped}
    for email in emails:
        local = untagged(email.rpartition("@")[0].casefold()).rstrip("0123456789")
        words = tuple(w for w in re.split(r"[._-]+", strip_accents(local)) if w)
        joined = "".join(words)
        if words in as_split or joined in split_joined:
            return parts  # the address writes them in this order
        if words in swapped or joined in swapped_joined:
            return replace(parts, first_name=family, last_name=given,
                           full_name=_finish(f"{family} {given}") if parts.full_name
                           else None)
    return parts


def _address_word(name: str) -> str:
    """A name as an address writes it: no accents, lower case, hyphens kept."""
    return strip_accents(name).casefold().replace("'", "").replace(" ", "")


def swapped_fields(first: str, last: str) -> bool:
    """Whether a given-name field and a surname field were filled the other way round,
    as a particle shows: "Le Gall" / "Jean-Marc", "du Moulin" / "Anne" (see
    :func:`_particles_first`: a particle that is no given name opens the given-name
    field, its surname ends it, and the surname field begins with a given name).

    Dedupe reads such records swapped. :func:`split_name` keeps a person's own fields as
    they are: it also reads "Jean, Le O'Neil" as given name "Le O'Neil", and splitting
    its own fields again must give them back."""
    words, after = first.split(), last.split()[:1]
    if len(words) < 2 or not after or _fold_word(words[0]) not in _JOINING or _fold_word(
            after[0]) in _JOINING:  # "van Jean": a particle, whatever else it is
        return False
    if _fold_word(words[-1]).split("-")[0] in _known_given_names():
        return False  # "De Jean": a given name after the particle, no telling
    return _particles_first([*words, *after]) == len(words) - 1


def _particles_first(words: list[str]) -> int:
    """How many particles open a name written surname first ("Le Gall Valérie": 1), or
    0 when it is not one. The first word is a particle that is no given name (not
    "Van", "Ben" or "El" alone: "Van Nguyen", "Ben Carter"; "Van Der Berg Anne" is), the
    surname follows the particles, and a known given name the surname."""
    if len(words) < 3:
        return 0
    head = _fold_word(words[0])
    if head not in _JOINING or (head in _known_given_names()
                                and _fold_word(words[1]) not in _JOINING):
        return 0
    end = 0
    while end < len(words) - 2 and _fold_word(words[end + 1]) in _JOINING:
        end += 1
    if end + 2 > len(words) - 1:
        return 0
    given = _fold_word(words[end + 2]).split("-")[0]
    return end + 1 if given in _known_given_names() else 0


@functools.lru_cache(maxsize=1)
def given_name_marks() -> dict[str, str]:
    """data/given_names.txt (Faker's lists, see data/make_given_names.py): each folded
    given name and its marks, the lists that hold it (``M``, ``F``: a men's, a women's
    list of the languages that say whose a name is; ``m``, ``f``: of the others)."""
    text = resources.files("prospecting.data").joinpath("given_names.txt").read_text("utf-8")
    marks: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, held = line.partition("\t")
            marks[name] = marks.get(name, "") + held
    return marks


@functools.lru_cache(maxsize=1)
def _known_given_names() -> frozenset[str]:
    """Folded given names: data/given_names.txt (Faker's lists) and the nickname table's."""
    names = set(given_name_marks())
    for head, variants in nickname_table():
        names.update(_fold_word(n.split()[0]) for n in (head, *variants) if n.split())
    return frozenset(names)


def _looks_like_surname(word: str) -> bool:
    """A lone word in capitals is a family name (DUPONT); a lone ``Julie`` a given name."""
    letters = [c for c in word if (c.isupper() or c.islower()) and c != "ß"]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and not _is_initials(word)


def _word_class(word: str) -> str:
    if word[:1].isupper() and word[1:].islower():
        return "mixed"  # Capitalised, the common case
    if _is_initials(word):
        return "initials"
    letters = [c for c in word if (c.isupper() or c.islower()) and c != "ß"]  # STRAUß is caps
    if not letters:
        return "other"
    if all(c.isupper() for c in letters):
        return "particle" if _fold_word(word) in _JOINING and len(letters) <= 3 else "caps"
    if all(c.islower() for c in letters):
        return "particle" if _fold_word(word) in _JOINING else "lower"
    return "mixed"


@functools.lru_cache(maxsize=1)
def nickname_table() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """data/nicknames.txt, line by line: each canonical form and its variants, as
    written (comments and blank lines left out)."""
    text = resources.files("prospecting.data").joinpath("nicknames.txt").read_text("utf-8")
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        head, _, rest = line.partition(":")
        rows.append((head.strip(), tuple(name.strip() for name in rest.split(","))))
    return tuple(rows)


@functools.lru_cache(maxsize=1)
def _compound_given_names() -> frozenset[str]:
    """Compound given names of data/nicknames.txt (``jean pierre``, ``marie claire``,
    ``anne sophie``…), folded, words apart."""
    found = set()
    for head, variants in nickname_table():
        for name in (head, *variants):
            words = [_fold_word(w) for w in name.replace("-", " ").split()]
            if len(words) == 2:
                found.add(" ".join(words))
    return frozenset(found)


# The commonest Vietnamese family names, folded (Nguyễn, Trần, Phạm…), and the middle
# names that open a given name (Thị, Văn).
_VIETNAMESE_SURNAMES = frozenset({
    "nguyen", "tran", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "ngo",
    "duong", "trinh", "dinh", "truong", "doan", "luong", "quach",
})  # fmt: skip
_VIETNAMESE_MIDDLE = frozenset({"thi", "van"})


def _parts(
    civility: str | None,
    given: list[str],
    middle: list[str],
    family: list[str],
    suffix: str | None,
) -> NameParts:
    # "Jean Pierre Vasseur", "DUPONT Marie Claire": a compound given name written without
    # its hyphen is the given name, not a given name and a middle one (Jean Pierre and
    # Jean Paul Vasseur are two brothers).
    if len(given) == 1 and middle and (
            f"{_fold_word(given[0])} {_fold_word(middle[0])}" in _compound_given_names()):
        given, middle = [*given, middle[0]], middle[1:]
    # "NGUYEN Thi Lan", "Thi Lan Nguyen": a Vietnamese name's middle name (Thị for women,
    # Văn for men) before the given name the person goes by, and so in the full name.
    middle_first = (len(family) == 1 and bool(given)
                    and _fold_word(given[0]) in _VIETNAMESE_MIDDLE
                    and _fold_word(family[0]) in _VIETNAMESE_SURNAMES
                    and (len(given) > 1 or bool(middle)))
    if middle_first:
        named = [*given, *middle]
        given, middle = named[-1:], named[:-1]
    first_name = _given_case(" ".join(given)) or None
    middle_name = _given_case(" ".join(middle)) or None
    last_name = recase_name(" ".join(family)) or None
    if first_name is None and middle_name:
        first_name, middle_name = middle_name, None
    if first_name is None and last_name is None:
        if civility is None:
            return _EMPTY
        return NameParts(civility, None, None, None, suffix, None, False, "empty")
    names = (middle_name, first_name) if middle_first else (first_name, middle_name)
    full_name = " ".join(p for p in (*names, last_name, suffix) if p)
    if first_name and last_name:
        reason = "ok"
    elif first_name:
        reason = "first_name_only"
    else:
        reason = "last_name_only"
    initials = bool(first_name) and all(_is_initials(w) for w in first_name.split())
    return NameParts(
        civility, first_name, middle_name, last_name, suffix, full_name, initials, reason
    )


def _given_case(text: str) -> str:
    """A given name never takes particle casing (``Van``, ``Al``, ``D'Arcy`` are names)."""
    return _case(text, particles=False) if text else ""


def _take_civility(words: list[str], *, keep_one: bool = True) -> tuple[str | None, list[str]]:
    """Leading civilities off; with ``keep_one`` a lone word stays (``Me`` may be a name).

    A doctor's field after ``Dr.`` (``Dr. med.``, ``Prof. Dr. rer. nat.``) goes with it; a
    couple (``M. et Mme``, ``Mr & Mrs``) is one civility of both."""
    civility = None
    least = 2 if keep_one else 1
    while len(words) >= least:
        key = _fold_key(words[0])
        this = _CIVILITIES.get(key)
        if this is None:
            if not _is_degree(key):
                break
            words = words[1:]  # Dipl.-Ing. Hans Müller: a degree, not a given name
            continue
        words = words[1:]
        if this in _COUPLES and words:
            joined = _fold_key(words[0]) in _AND and len(words) > 1
            other = _CIVILITIES.get(_fold_key(words[1 if joined else 0]))
            if other in _COUPLES[this][1]:
                this = f"{this} {_COUPLES[this][0]} {other}"
                words = words[2 if joined else 1:]
        elif this in ("Dr", "Pr"):
            while len(words) >= least and _fold_key(words[0]) in _DOCTOR_FIELDS:
                words = words[1:]
        civility = civility or this
    return civility, words


def _is_degree(key: str) -> bool:
    """Whether a word (folded, see ``_fold_key``) is a degree written before a name."""
    return key.startswith(("dipl.-", "dipl-")) or key in _DEGREES


# A couple's civilities, in either order (as French, English and German write them): the
# word between them and the civilities that make a couple with the first.
_COUPLES = {
    "M.": ("et", {"Mme", "Mlle"}),
    "Mme": ("et", {"M."}),
    "Mlle": ("et", {"M."}),
    "Mr": ("and", {"Mrs", "Ms", "Miss"}),
    "Mrs": ("and", {"Mr"}),
    "Ms": ("and", {"Mr"}),
    "Miss": ("and", {"Mr"}),
    "Herr": ("und", {"Frau"}),
    "Frau": ("und", {"Herr"}),
}
# German and Austrian degrees written before a name ("Dipl.-Ing.", "Mag.", "Ing.").
_DEGREES = frozenset({"mag.", "ing.", "dr.-ing.", "bsc.", "msc."})
_AND = frozenset({"et", "and", "und", "&"})
# Fields a German (or Austrian, Swiss) doctorate names after "Dr.": "Dr. med.", "Dr. rer.
# nat.", "Dr. med. dent.", "Dr. h.c."; with their dot, never a given name ("Dr. Nat King").
_DOCTOR_FIELDS = frozenset({
    "med.", "med", "rer.", "nat.", "phil.", "jur.", "dent.", "vet.", "habil.", "h.c.",
    "mult.", "oec.", "pol.", "sc.", "techn.", "ing.", "theol.", "paed.", "pharm.", "agr.",
    "soc.", "publ.", "iur.",
})


def _take_suffix(words: list[str], *, least: int = 3) -> tuple[str | None, list[str]]:
    """A trailing Jr., III, PhD… off when ``least`` words (the suffix included) are there."""
    if len(words) >= least:
        found = _suffix_of(words[-1])
        if found is not None:
            return found, words[:-1]
    return None, words


def _suffix_of(word: str) -> str | None:
    """The suffix ``word`` is (its usual spelling), if it is one: Jr., PhD, or letters
    after a name written as such (``FCA``, ``CEng``; not ``Obe``)."""
    key = _fold_key(word)
    found = _SUFFIXES.get(key)
    if found is None:
        letters = word.strip(",")
        found = _POSTNOMINALS.get(key)
        if found is not None and letters != found and not letters.isupper():
            found = None
    return found


def is_civility(word: str) -> bool:
    """Whether ``word`` is a civility or an honorific ("M.", "Mme", "Dr", "Maître", "Herr")."""
    key = _fold_key(word)
    return key in _CIVILITIES or key + "." in _CIVILITIES


# The degrees of _SUFFIXES, and a master's, written after a name ("Martin PhD"); its
# generations (Jr., III) are part of the name.
_DEGREES_AFTER = frozenset(
    {k for k, v in _SUFFIXES.items() if v in ("PhD", "MD", "Esq.", "MBA")} | {"msc"}
    | _POSTNOMINALS.keys())


def is_degree_after(word: str) -> bool:
    """Whether ``word`` is a degree written after a name ("PhD", "MD", "Esq.", "MBA")."""
    return _fold_key(word) in _DEGREES_AFTER


def _fold_key(word: str) -> str:
    if word.isascii():
        return word.lower().strip(",")
    return strip_accents(word).casefold().strip(",")


def _is_role(words: list[str]) -> bool:
    """Only role words (``Direction Commerciale``, ``Service client``, ``Contact``)."""
    content = []
    for word in words:
        key = _fold_key(word).strip(".,'-").rpartition("'")[2]  # d'accueil → accueil
        if not key or (key in _SMALL_WORDS and not (len(key) == 1 and word.isupper())):
            continue  # small words, but a lone capital is an initial
        content.append(key)
    return bool(content) and all(k in _ROLE_WORDS for k in content)


def _clean(text: str) -> str:
    """Letters, marks, spaces, ``-``, ``'``, ``.`` and ``,``; decoration and emoji removed."""
    if _fold_key(text.strip()) in _PLACEHOLDERS:
        return ""
    if text.isalpha() and unicodedata.is_normalized("NFKC", text) and (
            text.isascii() or _APOSTROPHE_LETTERS.isdisjoint(text)):
        # One word of letters (most name fields): nothing below would change it.
        return "" if text.lower() in _CROSSES else text
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).translate(_HYPHENS)
    stripped = _BRACKETED.sub(" ", text)
    if stripped.strip():
        text = stripped
    if _UNUSUAL.search(text) is None:
        return _finish(text)  # letters, spaces and name punctuation only: the common case
    out: list[str] = []
    previous_letter = False
    for char in text:
        category = unicodedata.category(char)
        if category[0] == "L":
            out.append(char)
            previous_letter = True
        elif category[0] == "M":
            if previous_letter:
                out.append(char)
        elif char in "-'.,":
            out.append(char)
            previous_letter = False
        elif char in "|•/–—":
            out.append(f" {char} ")
            previous_letter = False
        else:
            out.append(" ")
            previous_letter = False
    return _finish("".join(out))


def _finish(text: str) -> str:
    cleaned = re.sub(r"\s[-–—]+\s", " | ", _SPACES.sub(" ", text))  # "Julie Martin - CEO"
    cleaned = re.sub(r"\s*,\s*", ", ", cleaned)
    cleaned = re.sub(r"(?<![\w.])[-']+|[-']+(?![\w.])", " ", cleaned)
    words = [w.lstrip(".") for w in cleaned.split()]  # a word never starts with a dot
    words = [
        w
        for w in words
        if any(c.isalpha() or c == "|" for c in w) and w.lower().strip(",") not in _CROSSES
    ]
    return " ".join(words).strip(" ,")
