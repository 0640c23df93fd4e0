"""The one place that decides whether a person is ``enriched`` or ``non-enriched``.

Cold outreach lists are built per segment: a *non-enriched* contact has a name and
one way to reach them, so it gets a short, generic sequence (or goes through
enrichment first); an *enriched* contact has a usable contact method plus enough
context (company, title, location, a second channel, company firmographics) to
personalise. The thresholds come from the ``[tags]`` section of the settings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from prospecting.models import usable_address

__all__ = ["ENRICHED", "NON_ENRICHED", "channels_of", "company_extras", "extras_present",
           "no_calls", "person_extras", "tag_from", "tag_person"]

ENRICHED = "enriched"
NON_ENRICHED = "non-enriched"

_DEFAULT_EXTRAS = ("company", "title", "location", "second_channel", "firmographics")
_DEFAULT_MIN = 2


def no_calls(person: Mapping[str, Any]) -> bool:
    """Whether a source marks the person "Do Not Call" (the importer's extra
    ``do_not_call``): no call is planned and no tool gets their number."""
    return (person.get("extra") or {}).get("do_not_call") == "true"


def channels_of(
    person: Mapping[str, Any], emails: Any = None, phones: Any = None
) -> list[str]:
    """Contact channels not known to be dead: email, phone, LinkedIn."""
    channels = []
    emails = _as_list(person.get("emails") if emails is None else emails)
    # A guessed address is a channel only once a mail server confirmed it.
    if any(usable_address(e) for e in emails) or (not emails and person.get("email")):
        channels.append("email")
    phones = _as_list(person.get("phones") if phones is None else phones)
    if any(p.get("valid") is not False for p in phones) or (not phones and person.get("phone")):
        channels.append("phone")
    if person.get("linkedin_url"):
        channels.append("linkedin")
    return channels


def _as_list(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, str):
        value = json.loads(value or "[]")
    return list(value or [])


def company_extras(company: Mapping[str, Any] | None) -> tuple[bool, bool]:
    """What a company gives a person's tag: (a named company, its firmographics)."""
    if not company:
        return False, False
    return (bool(company.get("name") or company.get("domain")),
            any(company.get(k) for k in ("industry", "naf", "headcount", "siren")))


def person_extras(person: Mapping[str, Any], channels: list[str] | tuple[str, ...]
                  ) -> tuple[str, ...]:
    """The person's own part of :func:`extras_present`: title, location, second channel."""
    found = []
    if person.get("title"):
        found.append("title")
    if person.get("city") or person.get("region") or person.get("country") or person.get(
        "address"
    ):
        found.append("location")
    if len(channels) >= 2:
        found.append("second_channel")
    return tuple(found)


def extras_present(
    person: Mapping[str, Any], company: Mapping[str, Any] | None,
    channels: list[str] | None = None,
) -> list[str]:
    """Which kinds of context beyond a name and one contact method the person has."""
    named, firmographics = company_extras(company)
    own = person_extras(person, channels_of(person) if channels is None else channels)
    return ["company"] * named + list(own) + ["firmographics"] * firmographics


def tag_person(
    person: Mapping[str, Any], company: Mapping[str, Any] | None, rule: Any = None, *,
    emails: list[dict[str, Any]] | None = None, phones: list[dict[str, Any]] | None = None,
    channels: list[str] | None = None,
) -> list[str]:
    """``["enriched"]`` or ``["non-enriched"]``: exactly one, always.

    ``rule`` is the ``[tags]`` settings section (``enriched_extras``,
    ``enriched_min_extras``); without it the defaults apply: a usable contact
    method plus at least two of company, title, location, second channel and
    company firmographics. ``channels`` (from :func:`channels_of`) saves reading
    ``emails`` and ``phones`` again.
    """
    if channels is None:
        channels = channels_of(person, emails, phones)
    if not channels:
        return [NON_ENRICHED]
    return tag_from(channels, person_extras(person, channels), company_extras(company), rule)


def tag_from(
    channels: list[str] | tuple[str, ...], own: tuple[str, ...],
    company: tuple[bool, bool], rule: Any = None,
) -> list[str]:
    """:func:`tag_person` from its parts: the person's channels, their own extras
    (:func:`person_extras`) and their company's (:func:`company_extras`), e.g. when the
    person's part was computed in another process."""
    if not channels:
        return [NON_ENRICHED]
    wanted = tuple(getattr(rule, "enriched_extras", _DEFAULT_EXTRAS))
    minimum = int(getattr(rule, "enriched_min_extras", _DEFAULT_MIN))
    named, firmographics = company
    count = sum(1 for e in own if e in wanted)
    count += (named and "company" in wanted) + (firmographics and "firmographics" in wanted)
    return [ENRICHED] if count >= minimum else [NON_ENRICHED]
