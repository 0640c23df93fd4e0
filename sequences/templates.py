"""Rendering a sequence step's template for one person (Jinja2, StrictUndefined).

A template is a text file ``templates/<name>.txt``. An email template starts with a
``Subject:`` line, then a blank line, then the body; a call or LinkedIn template is a
plain task note. Variables (only those with a value exist, so a missing one fails
instead of printing blank or ``None``)::

    first_name last_name full_name title company company_domain city country email
    phone linkedin_url icebreaker extra.<column>
    sender_name sender_company sender_address     ([sequences] settings)
    opt_out                                       the opt-out line, every email
    source_notice                                 GDPR Art. 14: where the address was found
                                                  (EU/EEA, UK, CH prospects; empty elsewhere)
    sequence step

Every email template must use ``opt_out`` and ``source_notice`` (L.34-5 CPCE and
CAN-SPAM want an opt-out in every message; Art. 14 GDPR wants the source at the
latest at the first communication); the check runs when the sequence file is loaded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import jinja2
import jinja2.meta

from enrichers.names import recase_place

if TYPE_CHECKING:
    from .sequence_file import Sequence

__all__ = [
    "EU_COUNTRIES",
    "MissingVariable",
    "Rendered",
    "check_sender_settings",
    "check_templates",
    "render_step",
    "template_context",
]

# GDPR applies in the EU and the EEA; the UK and Switzerland keep Art. 14 equivalents.
EU_COUNTRIES = frozenset((
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
    "GB", "CH",
))
REQUIRED_IN_EMAIL = ("opt_out", "source_notice")


class MissingVariable(Exception):
    """A template used a variable the person has no value for."""

    def __init__(self, template: str, variable: str) -> None:
        super().__init__(f"template '{template}' needs '{variable}'")
        self.template = template
        self.variable = variable


@dataclass(frozen=True)
class Rendered:
    template: str
    subject: str | None
    body: str

    @property
    def output_hash(self) -> str:
        text = f"{self.template}\x1f{self.subject or ''}\x1f{self.body}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=16)
def _environment(dirs: tuple[str, ...]) -> jinja2.Environment:
    return jinja2.Environment(  # noqa: S701 - plain-text emails, not HTML
        loader=jinja2.FileSystemLoader(list(dirs)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        auto_reload=False,  # one run renders thousands of people with the same files
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _file(name: str) -> str:
    return f"{name}.txt"


def check_templates(sequence: Sequence) -> list[tuple[str, str]]:
    """Problems with the templates a sequence names, as (key, message) pairs."""
    env = _environment(sequence.template_dirs)
    problems: list[tuple[str, str]] = []
    for index, step in enumerate(sequence.steps):
        key = f"steps[{index}]"
        if step.channel == "email" and not step.template:
            problems.append((key, "an email step needs a template"))
        for field in ("template", "fallback"):
            name = getattr(step, field)
            if not name:
                continue
            try:
                source, filename, _ = env.loader.get_source(env, _file(name))  # type: ignore[union-attr]
            except jinja2.TemplateNotFound:
                problems.append((f"{key}.{field}", f"template '{name}' not found (looked for "
                                 f"{_file(name)} in {', '.join(sequence.template_dirs)})"))
                continue
            try:
                parsed = env.parse(source, name=name, filename=filename)
            except jinja2.TemplateSyntaxError as exc:
                problems.append((f"{key}.{field}",
                                 f"{filename}:{exc.lineno}: template syntax error: {exc.message}"))
                continue
            if step.channel != "email":
                continue
            if not source.lstrip().startswith("Subject:"):
                problems.append((f"{key}.{field}",
                                 f"{filename}: an email template starts with a 'Subject:' line"))
            used = jinja2.meta.find_undeclared_variables(parsed)
            for required in REQUIRED_IN_EMAIL:
                if required not in used:
                    problems.append((f"{key}.{field}", f"{filename}: every email template must "
                                     f"use {{{{ {required} }}}}"))
    return problems


SENDER_SETTINGS = ("sender_name", "sender_company", "sender_address")


def check_sender_settings(sequences: list[Sequence], settings: Any) -> list[str]:
    """Sender settings the templates use but the configuration leaves empty.

    Caught before planning: otherwise every member would fail on the same setting.
    """
    missing: dict[str, set[str]] = {}
    for sequence in sequences:
        env = _environment(sequence.template_dirs)
        for step in sequence.steps:
            for name in filter(None, (step.template, step.fallback)):
                source = env.loader.get_source(env, _file(name))[0]  # type: ignore[union-attr]
                used = jinja2.meta.find_undeclared_variables(env.parse(source))
                for key in SENDER_SETTINGS:
                    if key in used and not getattr(settings, key):
                        missing.setdefault(key, set()).add(name)
    return [
        f"[sequences] {key} is empty but template(s) {', '.join(sorted(names))} use it: "
        f"set it in prospecting.toml"
        for key, names in sorted(missing.items())
    ]


def describe_source(source: str) -> str:
    """Where an address came from, in words a prospect understands (Art. 14(2)(f))."""
    kind, _, rest = source.partition(":")
    if source.startswith(("http://", "https://")):
        return f"the public web page {source}"
    if kind == "crawl":
        host = urlsplit(rest).hostname if "://" in rest else rest
        return f"the public website {host or rest}"
    if kind == "connector":
        return f"the public register {rest}"
    if kind == "enricher" and rest == "finder":
        return "your company's usual address format (the address was inferred)"
    if kind == "enricher":
        return "our verification of your address"
    if kind in ("csv", "jsonl", "people", "companies"):
        return f"a contact list ({rest})" if rest else "a contact list"
    return source


def template_context(
    person: Mapping[str, Any], settings: Any, *, sequence: str = "", step: int = 0
) -> dict[str, Any]:
    """The variables a template may use for ``person`` (dump-shaped, see CLI.md)."""
    company = person.get("company") or {}
    extra = {k: v for k, v in (person.get("extra") or {}).items() if v not in (None, "")}
    values: dict[str, Any] = {
        "first_name": person.get("first_name"),
        "last_name": person.get("last_name"),
        "full_name": person.get("full_name"),
        "title": person.get("title"),
        "company": company.get("name"),
        "company_domain": company.get("domain"),
        "city": recase_place(person.get("city") or "") or None,  # PARIS: Paris
        "country": person.get("country") or company.get("country"),
        "email": person.get("email"),
        "phone": person.get("phone"),
        "linkedin_url": person.get("linkedin_url"),
        "icebreaker": extra.get("icebreaker") or extra.get("personalization"),
        "sender_name": settings.sender_name,
        "sender_company": settings.sender_company,
        "sender_address": settings.sender_address,
        "opt_out": settings.opt_out_text,
        "sequence": sequence,
        "step": step,
    }
    context = {k: v for k, v in values.items() if v not in (None, "")}
    context["extra"] = extra
    context["source_notice"] = _source_notice(person, settings)
    return context


def _source_notice(person: Mapping[str, Any], settings: Any) -> str:
    company = person.get("company") or {}
    country = person.get("country") or company.get("country")
    email = person.get("email")
    if not email or (country and str(country).upper() not in EU_COUNTRIES):
        return ""
    # Unknown country: the strictest rule applies, the notice is written.
    sources = next(
        (e.get("sources") or [] for e in person.get("emails") or () if e.get("value") == email),
        [],
    )
    described = "; ".join(dict.fromkeys(describe_source(s) for s in sources)) or "unknown"
    return settings.source_notice.format(
        email=email, sources=described, company=settings.sender_company or "we"
    )


def render_step(
    dirs: tuple[str, ...], channel: str, template: str | None, fallback: str | None,
    context: Mapping[str, Any],
) -> Rendered | None:
    """The step's text for one person; the fallback when the template lacks a variable.

    Raises :class:`MissingVariable` (template and variable named) when neither renders.
    """
    if not template:
        return None
    try:
        return _render(dirs, channel, template, context)
    except MissingVariable:
        if not fallback:
            raise
    return _render(dirs, channel, fallback, context)


def _render(
    dirs: tuple[str, ...], channel: str, name: str, context: Mapping[str, Any]
) -> Rendered:
    env = _environment(dirs)
    try:
        text = env.get_template(_file(name)).render(context)
    except jinja2.UndefinedError as exc:
        raise MissingVariable(name, _variable(exc)) from None
    text = text.strip()
    if channel != "email":
        return Rendered(name, None, text)
    first, _, body = text.partition("\n")
    subject = first.removeprefix("Subject:").strip()
    return Rendered(name, subject, body.strip())


def _variable(exc: jinja2.UndefinedError) -> str:
    # Jinja2 says "'company' is undefined" or "'dict object' has no attribute 'x'".
    message = str(exc.message or exc)
    if "has no attribute" in message:
        return "extra." + message.rsplit("'", 2)[-2]
    return message.split("'")[1] if message.count("'") >= 2 else message
