"""Guess a person's work address from their name and company domain.

A domain's addresses follow one house pattern (``first.last``, ``flast``…). The pattern is
learnt from addresses already observed there, candidates are ranked with a confidence that
says how much evidence backs them, and the SMTP probe may then confirm one. On a catch-all
domain the server accepts anything, so the best guess stays a guess.

Names are reduced to lower-case ASCII the way mail administrators do it: accents stripped
(Hélène → helene), apostrophes dropped (O'Neil → oneil), particles joined, hyphenated or left
out (de La Fontaine → delafontaine, de-la-fontaine, lafontaine, fontaine), compound first
names kept whole, joined or reduced to initials (Jean-Pierre → jean-pierre, jeanpierre, jp).

Example::

    >>> stats = learn_patterns([("Marie", "Martin", "marie.martin@exemple.fr"),
    ...                         ("Paul", "Durand", "paul.durand@exemple.fr"),
    ...                         ("Léa", "Petit", "lea.petit@exemple.fr")])
    >>> best = candidates("Hélène", "de La Fontaine", "exemple.fr", stats)[0]
    >>> best.email, best.confidence
    ('helene.delafontaine@exemple.fr', 0.884)
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import string
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from prospecting.models import plain_letters

if TYPE_CHECKING:
    from enrichers.email_smtp import DomainProbe, SmtpProber

__all__ = [
    "PATTERNS",
    "Candidate",
    "FinderResult",
    "PatternStats",
    "candidates",
    "find_email",
    "learn_patterns",
    "verify_candidates",
]

# Pattern → (template, prior). The prior is the share of B2B domains thought to use the
# pattern when nothing is known about the domain: first.last leads, and no prior exceeds
# 0.35 because a guess without evidence is never better than that.
PATTERNS: Final[Mapping[str, tuple[str, float]]] = {
    "first.last": ("{first}.{last}", 0.30),
    "flast": ("{f}{last}", 0.14),
    "first": ("{first}", 0.10),
    "f.last": ("{f}.{last}", 0.07),
    "firstlast": ("{first}{last}", 0.06),
    "first_last": ("{first}_{last}", 0.03),
    "last": ("{last}", 0.03),
    "last.first": ("{last}.{first}", 0.03),
    "first-last": ("{first}-{last}", 0.02),
    "lastf": ("{last}{f}", 0.02),
    "firstl": ("{first}{l}", 0.02),
    "first.l": ("{first}.{l}", 0.015),
    "last_first": ("{last}_{first}", 0.01),
    "lastfirst": ("{last}{first}", 0.01),
    "f_last": ("{f}_{last}", 0.01),
    "last.f": ("{last}.{f}", 0.01),
    "last-first": ("{last}-{first}", 0.005),
    "f-last": ("{f}-{last}", 0.005),
}

# How fast evidence overrides the prior: after n observed addresses the prior keeps a
# weight of exp(-0.6 n) (1 address: 55 %, 3: 17 %, 5: 5 %).
_EVIDENCE_RATE = 0.6
_MAX_GUESS_CONFIDENCE = 0.97
# Each step away from a name's usual spelling halves a candidate's confidence.
_VARIANT_DECAY = 0.5
# An address the server accepted, on a domain shown not to accept everything.
_VERIFIED_CONFIDENCE = 0.95
# Accepted, but whether the domain accepts everything is unknown.
_ACCEPTED_CONFIDENCE = 0.8

_PREPOSITIONS = frozenset(
    {"de", "d", "du", "des", "van", "von", "di", "da", "del", "della", "dello", "dos", "das",
     "do", "zu", "zur", "ten", "ter", "af", "av", "y"}
)  # fmt: skip
_ARTICLES = frozenset({"la", "le", "les", "l", "der", "den", "het", "lo", "los", "las", "el"})
_APOSTROPHES = frozenset("'’ʼ‘`´")
_HYPHENS = frozenset("-‐‑‒–—")
_ASCII_ALNUM = frozenset(string.ascii_lowercase + string.digits)
# RFC 5321 §4.5.3.1.1: at most 64 octets; dot-atoms only, and only the characters people
# put in work addresses.
_LOCAL_PART = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*")
_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}")


# -- names ----------------------------------------------------------------------------------


def _ascii_fold(text: str) -> str:
    if text.isascii():  # most addresses and names: nothing to decompose or replace
        return text.lower()
    return plain_letters(text.lower())


def _segments(name: str) -> list[tuple[str, str]]:
    """``(glue, word)`` pairs: glue is "'" (elision), "-" (hyphen) or " " before the word."""
    segments: list[tuple[str, str]] = []
    word: list[str] = []
    glue = ""
    for char in _ascii_fold(name):
        if char in _ASCII_ALNUM:
            word.append(char)
            continue
        if word:
            segments.append((glue, "".join(word)))
            word, glue = [], ""
        if not segments:
            continue
        if char in _APOSTROPHES:
            glue = "'"
        elif char in _HYPHENS and glue != "'":
            glue = "-"
        elif not glue:
            glue = " "
    if word:
        segments.append((glue, "".join(word)))
    return segments


def _join(segments: Sequence[tuple[str, str]], separator: str) -> str:
    """Words joined by ``separator``; an elided particle (d'Estaing) always sticks."""
    out = ""
    for index, (glue, word) in enumerate(segments):
        if index and glue != "'":
            out += separator
        out += word
    return out


def _first_forms(first: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Spellings of the ``first`` slot and of the ``f`` (initial) slot."""
    words = [w for _, w in _segments(first)]
    if not words:
        return [], []
    if len(words) == 1:
        return [("plain", words[0])], [("initial", words[0][0])]
    full = [
        ("hyphen", "-".join(words)),
        ("joined", "".join(words)),
        ("first_part", words[0]),
    ]
    return full, [("initial", words[0][0]), ("initials", "".join(w[0] for w in words))]


def _last_forms(last: str) -> list[tuple[str, str]]:
    segments = _segments(last)
    if not segments:
        return []
    forms = [("joined", _join(segments, "")), ("hyphen", _join(segments, "-"))]
    rest = list(segments)
    while len(rest) > 1 and rest[0][1] in _PREPOSITIONS:
        rest.pop(0)
    if len(rest) < len(segments):
        forms.append(("no_particle", _join(rest, "")))
        if len(rest) > 1 and rest[0][1] in _ARTICLES:
            forms.append(("no_particles", _join(rest[1:], "")))
    return _unique(forms)


def _unique(forms: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: set[str] = set()
    out = []
    for style, text in forms:
        if text and text not in seen:
            seen.add(text)
            out.append((style, text))
    return out


@dataclass(frozen=True)
class _NameForms:
    """Every spelling of each slot of a pattern, most usual first."""

    slots: Mapping[str, list[tuple[str, str]]]

    @classmethod
    def of(cls, first: object, last: object) -> _NameForms:
        return _name_forms(str(first or ""), str(last or ""))

    @property
    def usable(self) -> bool:
        return bool(self.slots["first"] or self.slots["last"])

    def slot(self, name: str) -> list[tuple[str, str]]:
        return self.slots[name]

    def reordered(self, stats: PatternStats | None) -> _NameForms:
        """Spellings the domain was seen to use move to the front (a stable sort)."""
        if stats is None or not stats.spellings:
            return self
        used = stats.spellings
        return _NameForms(
            {
                slot: sorted(forms, key=lambda form, s=slot: -used.get(f"{s}:{form[0]}", 0))
                if len(forms) > 1 else forms
                for slot, forms in self.slots.items()
            }
        )


@functools.lru_cache(maxsize=65_536)
def _name_forms(first: str, last: str) -> _NameForms:
    """Built once per name (the same names recur across domains); never mutated."""
    full, initials = _first_forms(first)
    surnames = _last_forms(last)
    return _NameForms({"first": full, "f": initials, "last": surnames, "l": _initials(surnames)})


def _initials(forms: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return _unique((style, text[0]) for style, text in forms)


@functools.cache
def _template(template: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A template's slots and the text around them: ``"{first}.{last}"`` gives
    ``(("first", "last"), ("", ".", ""))``."""
    pieces = re.split(r"\{(\w+)\}", template)
    return tuple(pieces[1::2]), tuple(pieces[0::2])


def _spellings(
    template: str, forms: _NameForms
) -> Iterable[tuple[str, int, tuple[tuple[str, str], ...]]]:
    """``(local part, steps from the usual spelling, (slot, style)…)`` for one pattern, in
    the order of the slots' spellings (the first slot's varying slowest).

    Every pattern has one or two slots; those are spelled directly (this runs for every
    name the finder learns from or guesses for, most of them seen once).
    """
    slots, texts = _template(template)
    if len(slots) == 1:
        (slot,) = slots
        head, tail = texts
        for i, (style, text) in enumerate(forms.slot(slot)):
            local = f"{head}{text}{tail}"
            if len(local) <= 64 and _LOCAL_PART.fullmatch(local):
                yield local, i, ((slot, style),)
        return
    if len(slots) == 2:
        a, b = slots
        head, middle, tail = texts
        seconds = list(enumerate(forms.slot(b)))
        for i, (style_a, text_a) in enumerate(forms.slot(a)):
            for j, (style_b, text_b) in seconds:
                local = f"{head}{text_a}{middle}{text_b}{tail}"
                if len(local) <= 64 and _LOCAL_PART.fullmatch(local):
                    yield local, i + j, ((a, style_a), (b, style_b))
        return
    choices = [list(enumerate(forms.slot(slot))) for slot in slots]
    for combo in itertools.product(*choices):
        local = texts[0] + "".join(
            text + after for (_, (_, text)), after in zip(combo, texts[1:], strict=True))
        if len(local) <= 64 and _LOCAL_PART.fullmatch(local):
            yield (local, sum(index for index, _ in combo),
                   tuple((slot, style) for slot, (_, (style, _)) in zip(slots, combo, strict=True)))


# -- learning -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PatternStats:
    """How many addresses seen at one domain each pattern fits.

    ``total`` counts every usable address, fitting or not, so a domain where few addresses
    fit any pattern gives little confidence. ``spellings`` counts, as ``slot:style``, how the
    domain spells compound and particle names (``first:joined``, ``last:no_particle``…).
    """

    total: int = 0
    counts: Mapping[str, int] = field(default_factory=dict)
    spellings: Mapping[str, int] = field(default_factory=dict)
    # (pattern, domain) -> (confidence, evidence), worked out once for all the names
    # guessed at the domain.
    _scores: dict[tuple[str, str], tuple[float, str]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def confidence(self, pattern: str) -> float:
        """The prior moved towards the observed share of fitting addresses."""
        prior = PATTERNS[pattern][1]
        if self.total <= 0:
            return prior
        share = self.counts.get(pattern, 0) / self.total
        weight = 1 - math.exp(-_EVIDENCE_RATE * self.total)
        return min(prior + (share - prior) * weight, _MAX_GUESS_CONFIDENCE)

    def evidence(self, pattern: str, domain: str) -> str:
        if self.total <= 0:
            return _prior_evidence(pattern, domain)
        fits = self.counts.get(pattern, 0)
        return f"{fits} of {self.total} known addresses at {domain} fit {pattern}"

    def scored(self, pattern: str, domain: str) -> tuple[float, str]:
        """(:meth:`confidence`, :meth:`evidence`) of ``pattern`` at ``domain``."""
        found = self._scores.get((pattern, domain))
        if found is None:
            found = self._scores[(pattern, domain)] = (
                self.confidence(pattern), self.evidence(pattern, domain)
            )
        return found

    @property
    def best(self) -> str | None:
        """The pattern most addresses fit (the more usual one on a tie); None without any."""
        fitting = [p for p in PATTERNS if self.counts.get(p, 0) > 0]
        return max(fitting, key=lambda p: (self.counts[p], PATTERNS[p][1]), default=None)


def _prior_evidence(pattern: str, domain: str) -> str:
    return f"no known addresses at {domain}; prior for {pattern} from common B2B usage"


def _local_part(email: str) -> str:
    local = email.strip().rpartition("@")[0]
    local = local.partition("+")[0]  # RFC 5233 sub-addressing: the tag is not the pattern
    return _ascii_fold(local)


def learn_patterns(known: Iterable[tuple[str, str, str]]) -> PatternStats:
    """Count the patterns that ``(first_name, last_name, email)`` triples of one domain fit.

    Triples without a usable name or address are ignored; an address that fits no pattern
    still counts towards the total.
    """
    total = 0
    counts: Counter[str] = Counter()
    spellings: Counter[str] = Counter()
    for first, last, email in known:
        if not isinstance(email, str) or "@" not in email:
            continue
        local = _local_part(email)
        forms = _NameForms.of(first, last)
        if not local or not forms.usable:
            continue
        total += 1
        for pattern, styles in _fits(forms, local):
            counts[pattern] += 1
            for slot, style in styles:
                if len(forms.slot(slot)) > 1:
                    spellings[f"{slot}:{style}"] += 1
    return PatternStats(total, dict(counts), dict(spellings))


@functools.cache
def _patterns_with(
    dot: bool, underscore: bool, hyphen: bool
) -> tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...]:
    """(pattern, template, slots, texts) of the patterns that may spell a local part with
    or without a dot, an underscore and a hyphen, in ``PATTERNS`` order. A name's
    spellings hold letters, digits and hyphens only: a dot or an underscore comes from
    the template, and one the template has must be there."""
    found = []
    for pattern, (template, _) in PATTERNS.items():
        slots, texts = _template(template)
        literals = "".join(texts)
        if ("." in literals) != dot or ("_" in literals) != underscore or (
                "-" in literals and not hyphen):
            continue
        found.append((pattern, template, slots, texts))
    return tuple(found)


def _fits(
    forms: _NameForms, local: str
) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """Each pattern that spells ``local`` from the name's ``forms`` (in ``PATTERNS``
    order), with the styles of the pattern's first (most usual) spelling of it.

    Read off the local part itself: a pattern of two slots fits when the local part
    starts with a spelling of the first slot and the separator, and what is left is a
    spelling of the second. A few string comparisons per pattern, where spelling out all
    of a name's addresses costs ten times more, and most names are seen once.
    """
    if len(local) > 64 or not _LOCAL_PART.fullmatch(local):
        return []
    found = []
    for pattern, template, slots, texts in _patterns_with("." in local, "_" in local,
                                                          "-" in local):
        if len(slots) == 1:
            head, tail = texts
            if not (local.startswith(head) and local.endswith(tail)):
                continue
            core = local[len(head):len(local) - len(tail)]
            for style, text in forms.slot(slots[0]):
                if text == core:
                    found.append((pattern, ((slots[0], style),)))
                    break
        elif len(slots) == 2:
            (a, b), (head, middle, tail) = slots, texts
            if not (local.startswith(head) and local.endswith(tail)):
                continue
            seconds = forms.slot(b)
            end = len(local) - len(tail)
            for style_a, text_a in forms.slot(a):
                prefix = f"{head}{text_a}{middle}"
                if not local.startswith(prefix):
                    continue
                rest = local[len(prefix):end]
                style_b = next((style for style, text in seconds if text == rest), None)
                if style_b is not None:
                    found.append((pattern, ((a, style_a), (b, style_b))))
                    break
        else:
            for spelled, _, styles in _spellings(template, forms):
                if spelled == local:
                    found.append((pattern, styles))
                    break
    return found


# -- candidates -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One guessed address; ``evidence`` says in words why it has its confidence."""

    email: str
    pattern: str
    confidence: float
    evidence: str


def _ascii_domain(domain: str) -> str | None:
    domain = domain.strip().strip(".").lstrip("@").lower()
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")  # RFC 3490 ToASCII
        except (UnicodeError, ValueError):
            return None
    return domain if len(domain) <= 253 and _DOMAIN.fullmatch(domain) else None


def candidates(
    first: str,
    last: str,
    domain: str,
    stats: PatternStats | None = None,
    *,
    limit: int | None = None,
) -> list[Candidate]:
    """Addresses ``first`` ``last`` may have at ``domain``, most likely first.

    Never raises: names or a domain that yield no usable address give an empty list.
    """
    try:
        ascii_domain = _ascii_domain(str(domain or ""))
        forms = _NameForms.of(first, last)
    except (TypeError, ValueError):
        return []
    if ascii_domain is None or not forms.usable:
        return []
    forms = forms.reordered(stats)
    key = tuple((slot, tuple(spellings)) for slot, spellings in forms.slots.items())
    learnt = stats is not None and stats.total > 0
    # Per address its sort key (confidence and prior negated, the address itself) and
    # what its Candidate needs; sorted as tuples, the address breaks every tie.
    best: dict[str, tuple[float, float, str, str, str, str]] = {}
    for pattern, prior, spelled in _spelled(key):
        if learnt:
            base, evidence = stats.scored(pattern, ascii_domain)
        else:
            base, evidence = prior, _prior_evidence(pattern, ascii_domain)
        usual = -round(base, 3)
        for local, steps, unusual in spelled:
            email = f"{local}@{ascii_domain}"
            confidence = -round(base * _VARIANT_DECAY**steps, 3) if steps else usual
            held = best.get(email)
            if held is not None and held[0] <= confidence:
                continue
            best[email] = (confidence, -prior, email, pattern, evidence, unusual)
    ranked = sorted(best.values())
    if limit is not None:
        ranked = ranked[:limit]
    return [Candidate(email, pattern, -confidence, evidence + unusual)
            for confidence, _, email, pattern, evidence, unusual in ranked]


@functools.lru_cache(maxsize=8192)
def _spelled(
    key: tuple[tuple[str, tuple[tuple[str, str], ...]], ...],
) -> tuple[tuple[str, float, tuple[tuple[str, int, str], ...]], ...]:
    """Per pattern the name fills: (pattern, prior, (local part, steps, note on unusual
    spellings)…) for a name's spellings per slot (``key``, in the order its domain
    prefers). What :func:`candidates` needs that does not depend on the domain, built
    once per name and order."""
    forms = _NameForms({slot: list(spellings) for slot, spellings in key})
    usual = {slot: spellings[0][0] for slot, spellings in key if spellings}
    found = []
    for pattern, (template, prior) in PATTERNS.items():
        spelled = []
        for local, steps, styles in _spellings(template, forms):
            # A slot's spellings have styles of their own: no step, no unusual one.
            unusual = [
                f"{slot} {style}" for slot, style in styles if style != usual[slot]
            ] if steps else None
            note = "; less usual spelling: " + ", ".join(unusual) if unusual else ""
            spelled.append((local, steps, note))
        if spelled:
            found.append((pattern, prior, tuple(spelled)))
    return tuple(found)


# -- verification ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FinderResult:
    """The address found for one person, or the best guess and why it is only a guess.

    ``status``: ``deliverable`` (the server accepted it and does not accept everything),
    ``full_inbox`` (the mailbox exists but is full), ``catch_all`` (the domain accepts any
    address: the top guess, never valid), ``unverified`` (no SMTP verdict: the top guess not
    refused), ``not_found`` (every candidate refused, or no usable name).
    """

    email: str | None
    status: str
    confidence: float
    catch_all: bool | None
    candidate: Candidate | None
    reason: str
    retry_after_s: float | None = None


def verify_candidates(candidates: Sequence[Candidate], probe: DomainProbe) -> FinderResult:
    """Choose among ``candidates`` with what the domain's mail server said about them."""
    ranked = sorted(candidates, key=lambda c: -c.confidence)
    if not ranked:
        return FinderResult(None, "not_found", 0.0, probe.catch_all, None, "no candidates")
    status = {c.email: probe.results[c.email].status for c in ranked if c.email in probe.results}
    where = probe.mx_host or probe.domain

    if probe.catch_all or "catch_all" in status.values():
        top = next((c for c in ranked if status.get(c.email) != "undeliverable"), ranked[0])
        return FinderResult(
            top.email,
            "catch_all",
            top.confidence,
            True,
            top,
            f"{probe.domain} accepts any address, so the server cannot confirm one; "
            f"best guess: {top.evidence}",
        )

    for wanted in ("deliverable", "full_inbox"):
        accepted = [c for c in ranked if status.get(c.email) == wanted]
        if not accepted:
            continue
        chosen = accepted[0]
        sure = _VERIFIED_CONFIDENCE if probe.catch_all is False else _ACCEPTED_CONFIDENCE
        reason = f"{where} accepted {chosen.email}"
        if probe.catch_all is None:
            reason += " (whether it accepts any address is unknown)"
        if len(accepted) > 1:
            reason += f"; it also accepted {len(accepted) - 1} other candidate(s)"
        return FinderResult(
            chosen.email, wanted, max(chosen.confidence, sure), probe.catch_all, chosen, reason
        )

    refused = [c for c in ranked if status.get(c.email) == "undeliverable"]
    remaining = [c for c in ranked if status.get(c.email) != "undeliverable"]
    if not remaining:
        return FinderResult(
            None,
            "not_found",
            0.0,
            probe.catch_all,
            None,
            f"{where} refused all {len(refused)} candidates",
        )
    top = remaining[0]
    verdicts = sorted({status[c.email] for c in remaining if c.email in status})
    why = f"no SMTP verdict ({', '.join(verdicts)})" if verdicts else "not probed"
    if refused:
        why += f"; {len(refused)} other candidate(s) refused"
    return FinderResult(
        top.email,
        "unverified",
        top.confidence,
        probe.catch_all,
        top,
        f"{why}; best remaining guess: {top.evidence}",
        probe.retry_after_s,
    )


def find_email(
    first: str,
    last: str,
    domain: str,
    *,
    stats: PatternStats | None = None,
    prober: SmtpProber | None = None,
    mx_hosts: Sequence[str | tuple[str, int]] = (),
    max_probes: int = 5,
) -> FinderResult:
    """Rank candidates, then ask the mail server about the ``max_probes`` best when allowed.

    Without a prober or MX hosts the top candidate comes back ``unverified``.
    """
    ranked = candidates(first, last, domain, stats)
    if not ranked:
        return FinderResult(None, "not_found", 0.0, None, None, "no usable name or domain")
    if prober is None or not mx_hosts:
        top = ranked[0]
        return FinderResult(
            top.email,
            "unverified",
            top.confidence,
            None,
            top,
            f"not checked over SMTP; best guess: {top.evidence}",
        )
    ascii_domain = ranked[0].email.rpartition("@")[2]
    probe = prober.probe_domain(ascii_domain, mx_hosts, [c.email for c in ranked[:max_probes]])
    return verify_candidates(ranked, probe)
