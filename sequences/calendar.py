"""When a touch may happen: the prospect's time zone, send days, window and holidays.

The zone comes, in order, from the prospect's phone number (when it maps to exactly
one zone: the enricher's ``phone_check`` result, else libphonenumber), from their
address (US states and Canadian provinces, which span several zones), from their
country's main zone, else from their company's country; UTC when nothing is known.
Public holidays come from the ``holidays`` package for the prospect's country.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_lib

__all__ = [
    "SendCalendar",
    "country_zone",
    "holidays_for",
    "phone_region",
    "region_zone",
    "zone_for",
]

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# The zone most of a multi-zone country's business population lives in (zone.tab lists
# zones west to east or by age, not by population).
_MAIN_ZONE = {
    "US": "America/New_York", "CA": "America/Toronto", "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo", "RU": "Europe/Moscow", "MX": "America/Mexico_City",
    "ID": "Asia/Jakarta", "KZ": "Asia/Almaty", "AR": "America/Argentina/Buenos_Aires",
    "CL": "America/Santiago", "ES": "Europe/Madrid", "PT": "Europe/Lisbon",
    "DE": "Europe/Berlin", "CN": "Asia/Shanghai", "UA": "Europe/Kyiv",
    "NZ": "Pacific/Auckland", "EC": "America/Guayaquil", "CD": "Africa/Kinshasa",
    "MN": "Asia/Ulaanbaatar", "MY": "Asia/Kuala_Lumpur", "PG": "Pacific/Port_Moresby",
    "FM": "Pacific/Pohnpei", "KI": "Pacific/Tarawa", "UZ": "Asia/Tashkent",
    "GL": "America/Nuuk", "PF": "Pacific/Tahiti", "CY": "Asia/Nicosia",
}

_US_CENTRAL = (
    "AL", "AR", "IL", "IA", "KS", "LA", "MN", "MS", "MO", "NE", "ND", "OK", "SD", "TN", "TX", "WI",
)
_US_MOUNTAIN = ["CO", "ID", "MT", "NM", "UT", "WY"]
_US_PACIFIC = ["CA", "NV", "OR", "WA"]
_US_STATES = {
    "alabama": "AL", "arkansas": "AR", "illinois": "IL", "iowa": "IA", "kansas": "KS",
    "louisiana": "LA", "minnesota": "MN", "mississippi": "MS", "missouri": "MO",
    "nebraska": "NE", "north dakota": "ND", "oklahoma": "OK", "south dakota": "SD",
    "tennessee": "TN", "texas": "TX", "wisconsin": "WI", "colorado": "CO", "idaho": "ID",
    "montana": "MT", "new mexico": "NM", "utah": "UT", "wyoming": "WY", "california": "CA",
    "nevada": "NV", "oregon": "OR", "washington": "WA", "arizona": "AZ", "alaska": "AK",
    "hawaii": "HI",
}
_CA_PROVINCES = {
    "BC": "America/Vancouver", "british columbia": "America/Vancouver",
    "AB": "America/Edmonton", "alberta": "America/Edmonton",
    "SK": "America/Regina", "saskatchewan": "America/Regina",
    "MB": "America/Winnipeg", "manitoba": "America/Winnipeg",
    "ON": "America/Toronto", "ontario": "America/Toronto",
    "QC": "America/Toronto", "quebec": "America/Toronto", "québec": "America/Toronto",
    "NS": "America/Halifax", "nova scotia": "America/Halifax", "nouvelle-écosse":
    "America/Halifax", "NB": "America/Moncton", "new brunswick": "America/Moncton",
    "PE": "America/Halifax", "prince edward island": "America/Halifax",
    "NL": "America/St_Johns", "newfoundland and labrador": "America/St_Johns",
    "YT": "America/Whitehorse", "NT": "America/Yellowknife", "NU": "America/Iqaluit",
}


@lru_cache(maxsize=1)
def _zone_table() -> dict[str, list[str]]:
    """Country code → zones, from the IANA ``zone.tab`` shipped with tzdata."""
    text = None
    try:
        text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        system = Path("/usr/share/zoneinfo/zone.tab")
        if system.is_file():
            text = system.read_text("utf-8")
    table: dict[str, list[str]] = {}
    for line in (text or "").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            table.setdefault(parts[0], []).append(parts[2])
    return table


def _valid_zone(name: str | None) -> str | None:
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def country_zone(country: str | None) -> str | None:
    """The main IANA zone of an ISO 3166-1 alpha-2 country, or None."""
    if not country or len(country) != 2:
        return None
    code = country.upper()
    if code in _MAIN_ZONE:
        return _valid_zone(_MAIN_ZONE[code])
    zones = _zone_table().get(code)
    return _valid_zone(zones[0]) if zones else None


def region_zone(country: str | None, region: str | None) -> str | None:
    """The zone of a US state or Canadian province (name or code), else None."""
    if not country or not region:
        return None
    key = region.strip()
    if country.upper() == "US":
        code = key.upper() if len(key) == 2 else _US_STATES.get(key.casefold())
        if code is None:
            return None
        if code in _US_CENTRAL:
            return "America/Chicago"
        if code in _US_MOUNTAIN:
            return "America/Denver"
        if code in _US_PACIFIC:
            return "America/Los_Angeles"
        return {"AZ": "America/Phoenix", "AK": "America/Anchorage",
                "HI": "Pacific/Honolulu"}.get(code, "America/New_York")
    if country.upper() == "CA":
        return _CA_PROVINCES.get(key.upper()) or _CA_PROVINCES.get(key.casefold())
    return None


def phone_zone(e164: str | None, known: tuple[str, ...] | None = None) -> str | None:
    """The zone of a phone number when it maps to exactly one."""
    if not e164:
        return None
    zones = known
    if zones is None:
        import phonenumbers
        from phonenumbers import timezone as phone_timezone

        try:
            number = phonenumbers.parse(e164, None)
        except phonenumbers.NumberParseException:
            return None
        zones = tuple(
            z for z in phone_timezone.time_zones_for_number(number) if z != "Etc/Unknown"
        )
    return _valid_zone(zones[0]) if len(zones) == 1 else None


def phone_region(e164: str | None) -> str | None:
    """The country of an E.164 number (its holidays apply when no country is known)."""
    if not e164:
        return None
    import phonenumbers

    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return None
    return region if region and region != "ZZ" else None


def zone_for(
    *, phone: str | None, phone_zones: tuple[str, ...] | None, country: str | None,
    region: str | None, company_country: str | None,
) -> str:
    """The prospect's IANA zone (see the module docstring for the order); UTC if unknown."""
    return (
        phone_zone(phone, phone_zones)
        or region_zone(country, region)
        or country_zone(country)
        or country_zone(company_country)
        or "UTC"
    )


@lru_cache(maxsize=256)
def holidays_for(country: str | None) -> Any:
    """The country's public holidays (a date container), empty when unknown."""
    if not country or len(country) != 2:
        return frozenset()
    try:
        return holidays_lib.country_holidays(country.upper())
    except NotImplementedError:
        return frozenset()


@lru_cache(maxsize=65536)
def _is_holiday(country: str | None, day: date) -> bool:
    return day in holidays_for(country)


@dataclass(frozen=True)
class SendCalendar:
    """Send days and window from ``[sequences]`` settings, applied per prospect."""

    send_days: frozenset[int]
    window_start: time
    window_end: time

    @classmethod
    def from_settings(cls, settings: Any) -> SendCalendar:
        def clock(text: str) -> time:
            hours, minutes = text.split(":")
            return time(int(hours), int(minutes))

        return cls(
            send_days=frozenset(_WEEKDAYS.index(d) for d in settings.send_days),
            window_start=clock(settings.window_start),
            window_end=clock(settings.window_end),
        )

    def is_business_day(self, day: date, country: str | None) -> bool:
        return day.weekday() < 5 and not _is_holiday(country, day)

    def is_send_day(self, day: date, country: str | None) -> bool:
        return day.weekday() in self.send_days and not _is_holiday(country, day)

    def add_business_days(self, day: date, count: int, country: str | None) -> date:
        """``count`` business days (Mon–Fri, not a holiday) after ``day``."""
        while count > 0:
            day += timedelta(days=1)
            if self.is_business_day(day, country):
                count -= 1
        return day

    def next_send_day(self, day: date, country: str | None) -> date:
        """``day`` itself when touches may go out on it, else the next day they may."""
        for _ in range(400):
            if self.is_send_day(day, country):
                return day
            day += timedelta(days=1)
        raise ValueError(f"no send day within a year of {day} for country {country}")

    def slot(self, day: date, zone: str, key: str) -> datetime:
        """The touch's local date-time on ``day``: inside the window, spread by ``key``.

        The same key always lands on the same minute, so a re-run plans the same times
        while a company's contacts do not all receive their email at 9:00 sharp.
        """
        start = self.window_start.hour * 60 + self.window_start.minute
        end = self.window_end.hour * 60 + self.window_end.minute
        slots = max(1, (end - start) // 5)
        digest = hashlib.sha1(key.encode(), usedforsecurity=False).digest()
        minute = start + 5 * (int.from_bytes(digest[:4], "big") % slots)
        return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=ZoneInfo(zone))
