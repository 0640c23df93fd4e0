"""Job titles → seniority and department, from the rules in ``data/titles.toml``.

The rules file explains the matching; in short, a title and each pattern are compared word
by word without case or accents (``CTO`` never matches inside ``director``), inclusive
spellings lose their ending (``Chargé(e)``, ``Directeur·rice``), aliases turn feminine,
plural and abbreviated words into one form, a longer pattern hides the shorter ones inside
it, the seniority with the highest priority wins and the department comes from the
highest-priority, then first, department word.

Users extend the rules with a file of the same shape::

    rules = load_title_rules(Path("my_titles.toml"))
    classify_title("Growth Ninja", rules)

``confidence`` is 0.9 when both seniority and department are found, 0.6 when one is, 0
when none; 0.1 less when the seniority only comes from a plain role word (``Consultant``)
or when two departments tie.

Example::

    >>> found = classify_title("Directrice commerciale")
    >>> found.seniority, found.department, found.matched
    ('director', 'sales', 'directeur + commercial')
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from prospecting.errors import ConfigError
from prospecting.icp import DEPARTMENTS, SENIORITIES

__all__ = ["TitleClass", "TitleRules", "classify_title", "load_title_rules"]

_DEFAULT_PRIORITY = 50
_PLAIN_ROLE_PRIORITY = 20  # a seniority below this only says "an individual contributor"
_MAX_TITLE = 300


@dataclass(frozen=True, slots=True)
class TitleClass:
    """Seniority and department of one job title (None when nothing says)."""

    seniority: str | None
    department: str | None
    confidence: float
    matched: str | None


_NOTHING = TitleClass(None, None, 0.0, None)


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: str  # as written in the file, for ``matched``
    words: tuple[str, ...]
    seniority: str | None
    department: str | None
    priority: int
    department_priority: int


@dataclass(frozen=True, slots=True)
class _Match:
    start: int
    end: int
    rule: _Rule


# Inclusive writing: "chargé(e)", "directeur·rice", "commercial.e", "salarié-e".
_INCLUSIVE = re.compile(
    r"(?<=[a-z])(?:\(\s*(?:e|es|ne|nes|le|les|se|rice|trice|euse|ere|iere|ve|te)\s*\)"
    r"|[·•.\-/](?:e|es|ne|le|se|rice|trice|euse|ere|iere|ve|te)(?![a-z]))"
)
_NON_WORD = re.compile(r"[^0-9a-z]+")
_SERVING = re.compile(r"(?<=\S)(?<!\bgo)\s+(?:to|aupres)\s+(?=\S)")
# Where a title names its employer after it: "Sales Manager chez Finogo & Partner",
# "Head of Sales at Acme", "Einkäufer bei Müller GmbH", "CTO @ Vieltis".
_EMPLOYER = re.compile(r"(?<=\S)\s+(?:at|chez|bei|@)\s+(?=\S)", re.IGNORECASE)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(text: str, aliases: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    folded = _INCLUSIVE.sub("", _fold(text))
    out: list[str] = []
    for word in _NON_WORD.split(folded):
        if word:
            out.extend(aliases.get(word, (word,)))
    return tuple(out)


class TitleRules:
    """A loaded rule set; :meth:`classify` caches its answers per distinct title."""

    def __init__(self, aliases: dict[str, tuple[str, ...]], rules: Iterable[_Rule]) -> None:
        self.aliases = aliases
        index: dict[str, list[_Rule]] = {}
        for rule in rules:
            index.setdefault(rule.words[0], []).append(rule)
        self._index = {
            first: tuple(sorted(group, key=lambda r: -len(r.words)))
            for first, group in index.items()
        }
        self.classify = functools.lru_cache(maxsize=1 << 16)(self._classify)

    def __len__(self) -> int:
        return sum(len(group) for group in self._index.values())

    def _classify(self, title: str) -> TitleClass:
        if not isinstance(title, str) or not title.strip():
            return _NOTHING
        try:
            text = title[:_MAX_TITLE]
            # The employer's name says nothing of the role ("& Partner" is no partner).
            employer = _EMPLOYER.search(text)
            if employer is not None:
                text = text[:employer.start()]
            return self._decide(self._matches(_words(text, self.aliases)),
                                self._served_from(text))
        except Exception:  # a title that trips the matcher is unclassified, never fatal
            return _NOTHING

    def _matches(self, words: tuple[str, ...]) -> list[_Match]:
        found: list[_Match] = []
        for start, word in enumerate(words):
            for rule in self._index.get(word, ()):
                end = start + len(rule.words)
                if words[start:end] == rule.words:
                    found.append(_Match(start, end, rule))
        # A longer pattern hides the shorter patterns inside it.
        return [
            m
            for m in found
            if not any(
                o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
                for o in found
            )
        ]

    def _served_from(self, title: str) -> int | None:
        """Where the words naming whom the title serves begin ("Assistant to the CEO",
        "Chargé de mission auprès du DG"): the index of the word after "to" or "auprès"
        written apart, None without one. ("Go-to-market" is no such "to"; "Assistante
        du PDG" has patterns of its own: "du" also opens a department, "Directeur du
        développement".)"""
        folded = _fold(title)
        found = _SERVING.search(folded)
        if found is None:
            return None
        return len(_words(folded[:found.start()], self.aliases)) + 1

    @staticmethod
    def _decide(matches: list[_Match], served: int | None = None) -> TitleClass:
        """``served``: where the words naming whom the title serves begin; a match from
        there gives its department, not its seniority."""
        by_seniority = [m for m in matches if m.rule.seniority
                        and (served is None or m.start < served)]
        by_department = [m for m in matches if m.rule.department]
        if not by_seniority and not by_department:
            return _NOTHING
        seniority = (
            max(by_seniority, key=lambda m: (m.rule.priority, -m.start)) if by_seniority else None
        )
        department = (
            max(by_department, key=lambda m: (m.rule.department_priority, -m.start))
            if by_department
            else None
        )
        confidence = 0.9 if seniority and department else 0.6
        if seniority and seniority.rule.priority < _PLAIN_ROLE_PRIORITY:
            confidence -= 0.1
        if department and any(
            m.rule.department != department.rule.department
            and m.rule.department_priority == department.rule.department_priority
            for m in by_department
        ):
            confidence -= 0.1
        deciding = sorted({m for m in (seniority, department) if m}, key=lambda m: m.start)
        matched = " + ".join(dict.fromkeys(m.rule.pattern for m in deciding))
        return TitleClass(
            seniority=seniority.rule.seniority if seniority else None,
            department=department.rule.department if department else None,
            confidence=round(confidence, 2),
            matched=matched,
        )



def classify_title(title: str, rules: TitleRules | None = None) -> TitleClass:
    """Seniority (owner … intern) and department (sales, marketing …) of a job title.

    Uses the built-in rules unless ``rules`` is given. Never raises.
    """
    return (rules or _default_rules()).classify(title)


@functools.cache
def _default_rules() -> TitleRules:
    return load_title_rules()


def load_title_rules(extra: Path | None = None) -> TitleRules:
    """The built-in rules, extended by ``extra`` (a TOML file of the same shape).

    The extra file's aliases are added; its rules are added, and a pattern it lists replaces
    the same pattern of the built-in rules. Every problem of a file is reported at once in
    one :class:`~prospecting.errors.ConfigError`.
    """
    builtin = resources.files("prospecting.data").joinpath("titles.toml")
    layers = [("titles.toml", builtin.read_text("utf-8"))]
    if extra is not None:
        path = Path(extra)
        try:
            layers.append((str(path), path.read_text("utf-8")))
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read the title rules ({exc.strerror})") from exc
    aliases: dict[str, tuple[str, ...]] = {}
    by_pattern: dict[tuple[str, ...], list[_Rule]] = {}
    for name, text in layers:
        file_aliases, raw_rules = _parse(name, text)
        aliases.update(file_aliases)
        layer: dict[tuple[str, ...], list[_Rule]] = {}
        for spec in raw_rules:
            for pattern in spec["patterns"]:
                words = _words(pattern, aliases)
                if not words:
                    continue
                rule = _Rule(
                    pattern=_fold(pattern).strip(),
                    words=words,
                    seniority=spec.get("seniority"),
                    department=spec.get("department"),
                    priority=spec.get("priority", _DEFAULT_PRIORITY),
                    department_priority=spec.get("department_priority", _DEFAULT_PRIORITY),
                )
                layer.setdefault(words, []).append(rule)
        by_pattern.update(layer)
    return TitleRules(aliases, (rule for group in by_pattern.values() for rule in group))


_RULE_KEYS = {"patterns", "seniority", "department", "priority", "department_priority"}


def _parse(name: str, text: str) -> tuple[dict[str, tuple[str, ...]], list[dict[str, Any]]]:
    """Aliases and rules of one file, after checking every entry."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: not valid TOML ({exc})") from exc
    problems: list[str] = []
    for key in data.keys() - {"aliases", "rule"}:
        problems.append(f"{name}: unknown key {key!r} (expected 'aliases' or 'rule')")
    raw_aliases = data.get("aliases", {})
    aliases: dict[str, tuple[str, ...]] = {}
    if not isinstance(raw_aliases, dict):
        problems.append(f"{name}: 'aliases' must be a table of word = \"canonical word\"")
        raw_aliases = {}
    for word, canonical in raw_aliases.items():
        if not isinstance(canonical, str) or not _words(canonical, {}):
            problems.append(f"{name}: aliases.{word}: must be a non-empty string")
            continue
        for key in _words(word, {}):
            aliases[key] = _words(canonical, {})
    rules = data.get("rule", [])
    if not isinstance(rules, list):
        problems.append(f"{name}: 'rule' must be an array of tables ([[rule]])")
        rules = []
    for number, rule in enumerate(rules, 1):
        where = f"{name}: rule #{number}"
        if not isinstance(rule, dict):
            problems.append(f"{where}: must be a table")
            continue
        for key in rule.keys() - _RULE_KEYS:
            problems.append(f"{where}: unknown key {key!r}")
        patterns = rule.get("patterns")
        if (
            not isinstance(patterns, list)
            or not patterns
            or not all(isinstance(p, str) and _words(p, {}) for p in patterns)
        ):
            problems.append(f"{where}: 'patterns' must be a non-empty list of words")
        if rule.get("seniority") is None and rule.get("department") is None:
            problems.append(f"{where}: give a 'seniority', a 'department' or both")
        if rule.get("seniority") is not None and rule["seniority"] not in SENIORITIES:
            problems.append(
                f"{where}: seniority {rule['seniority']!r} is not one of {', '.join(SENIORITIES)}"
            )
        if rule.get("department") is not None and rule["department"] not in DEPARTMENTS:
            problems.append(
                f"{where}: department {rule['department']!r} is not one of {', '.join(DEPARTMENTS)}"
            )
        for key in ("priority", "department_priority"):
            value = rule.get(key, _DEFAULT_PRIORITY)
            if not isinstance(value, int) or isinstance(value, bool):
                problems.append(f"{where}: {key!r} must be an integer")
    if problems:
        raise ConfigError(f"{name}: {len(problems)} problem(s) in the title rules", problems)
    return aliases, rules
