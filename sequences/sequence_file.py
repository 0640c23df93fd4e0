"""Sequence files: the steps of one outreach cadence, validated before anything is planned.

A sequence is a TOML file (examples in ``data/sequences/``)::

    name = "enriched-multichannel"
    segment = "enriched"            # enriched | non-enriched | any
    description = "Personalised, email + call + LinkedIn"

    [[steps]]
    name = "intro"
    channel = "email"               # email | call | linkedin
    delay_days = 0                  # business days after the previous step (or the start)
    template = "enriched-intro"     # templates/<name>.txt, beside the file or bundled
    fallback = "non-enriched-intro" # rendered instead when a variable is missing

Every problem (unknown key, wrong type, unknown channel, missing template, a Jinja2
syntax error, an email template without its subject, opt-out or source notice) is
gathered and raised once as :class:`~prospecting.errors.ConfigError` naming the file and
line, before the database is touched.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

from prospecting.tomlconf import (
    Context,
    at_least,
    build,
    read_toml,
    schema,
    setting,
    to_dict,
)

from .segments import ENRICHED, NON_ENRICHED

__all__ = [
    "ANY_SEGMENT",
    "CHANNELS",
    "CONDITIONS",
    "DEFAULT_SEQUENCES",
    "Sequence",
    "Step",
    "default_sequences",
    "load_sequence",
]

CHANNELS = ("email", "call", "linkedin")
ANY_SEGMENT = "any"
# When a step is planned. ``always``: whenever its channel is usable. The others are read
# from the activities imported back (``prospecting results``) at planning time: a step
# whose condition is already false is skipped, with the reason.
CONDITIONS = ("always", "not_opened", "not_clicked", "opened", "clicked")
# The bundled default sequence of each segment (data/sequences/<file>).
DEFAULT_SEQUENCES = {ENRICHED: "enriched.toml", NON_ENRICHED: "non-enriched.toml"}


def _choice(options: tuple[str, ...], what: str) -> Any:
    def check(value: str) -> str | None:
        return None if value in options else (
            f"unknown {what} {value!r} (expected one of {', '.join(options)})"
        )
    return check


def _slug(value: str) -> str | None:
    if not value or any(not (c.isalnum() or c in "-_.") for c in value):
        return f"use letters, digits, '-', '_' or '.' only, got {value!r}"
    return None


@schema
class Step:
    """One touch of a sequence: a channel, when, and what it says."""

    channel: str = setting(help="email, call or linkedin.", check=_choice(CHANNELS, "channel"))
    delay_days: int = setting(
        0, help="Business days after the previous step (the first: after the start).",
        check=at_least(0),
    )
    name: str | None = setting(None, help="How reports name the step (default: step N).")
    template: str | None = setting(
        None, help="Template name: templates/<name>.txt beside the file, else bundled.",
        check=_slug,
    )
    fallback: str | None = setting(
        None, help="Template rendered instead when the first one lacks a variable.",
        check=_slug,
    )
    condition: str = setting(
        "always", help="One of " + ", ".join(CONDITIONS) + ".",
        check=_choice(CONDITIONS, "condition"),
    )


@schema
class Sequence:
    """A loaded sequence file."""

    name: str = setting(help="Unique name; plans and exports refer to it.", check=_slug)
    segment: str = setting(
        ANY_SEGMENT, help="Who it is for: enriched, non-enriched or any.",
        check=_choice((ENRICHED, NON_ENRICHED, ANY_SEGMENT), "segment"),
    )
    description: str | None = setting(None, help="What the sequence is for.")
    steps: tuple[Step, ...] = setting((), help="[[steps]] entries, in order.")
    source: str | None = setting(None, help="Path of the file it was read from.", skip=True)
    template_dirs: tuple[str, ...] = setting((), help="Where templates are looked up.", skip=True)

    @classmethod
    def _config_check(cls, values: dict[str, Any], prefix: str, ctx: Context) -> None:
        steps = values.get("steps")
        if not steps:
            ctx.problem("steps", "a sequence needs at least one [[steps]] entry")

    @functools.cached_property
    def content_hash(self) -> str:
        canonical = json.dumps(to_dict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def step_name(self, number: int) -> str:
        return self.steps[number - 1].name or f"step {number}"


def _bundled(folder: str) -> Path:
    return Path(str(resources.files("prospecting.data").joinpath(folder)))


def load_sequence(path: str | Path) -> Sequence:
    """Read and validate a sequence file and every template it names."""
    from .templates import check_templates

    path = Path(path)
    data, text = read_toml(path)
    ctx = Context(str(path), text, env={}, allow_secrets=False)
    sequence = build(Sequence, data, "", ctx)
    ctx.raise_if_any("sequence file")
    dirs = tuple(dict.fromkeys(
        str(d) for d in (path.parent / "templates", path.parent.parent / "templates",
                         _bundled("templates"))
    ))
    sequence = dataclasses.replace(sequence, source=str(path), template_dirs=dirs)
    for key, message in check_templates(sequence):
        ctx.problem(key, message)
    ctx.raise_if_any("sequence file")
    return sequence


def default_sequences() -> list[Sequence]:
    """The bundled default sequence of each segment, in segment order."""
    folder = _bundled("sequences")
    return [load_sequence(folder / name) for name in DEFAULT_SEQUENCES.values()]

