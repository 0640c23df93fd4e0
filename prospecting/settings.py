"""Every setting of ``prospecting.toml``, declared once with its type, default and help.

Layers, lowest first: the defaults below, the file (``--config``, else ``PROSPECTING_CONFIG``,
else ``./prospecting.toml`` when present), then environment variables named
``PROSPECTING_<SECTION>_<KEY>`` (``PROSPECTING_DNS_TIMEOUT_S=2.5``; arrays comma-separated).
Command-line flags, the top layer, are applied by the caller with ``dataclasses.replace``.

Every problem (unknown key, wrong type, bad value, unset secret) is gathered and raised as
one :class:`~prospecting.errors.ConfigError` before anything is written.

Example::

    >>> Settings().dns.timeout_s
    3.0
    >>> load_settings(env={"PROSPECTING_DNS_TIMEOUT_S": "2.5"}).dns.timeout_s  # doctest: +SKIP
    2.5
"""

from __future__ import annotations

import dataclasses
import os
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from prospecting.tomlconf import (
    Context,
    SettingInfo,
    at_least,
    between,
    build,
    describe,
    non_empty,
    parse_env_value,
    positive,
    read_toml,
    schema,
    setting,
    to_dict,
)

__all__ = [
    "CONFIG_ENV_VAR",
    "DEFAULT_CONFIG_FILE",
    "ENRICHED_EXTRAS",
    "ConnectorSettings",
    "CrawlSettings",
    "DnsSettings",
    "HttpSettings",
    "ImportSettings",
    "SequenceSettings",
    "Settings",
    "SmtpSettings",
    "TagSettings",
    "describe_settings",
    "load_settings",
]

CONFIG_ENV_VAR = "PROSPECTING_CONFIG"
DEFAULT_CONFIG_FILE = "prospecting.toml"
_ENV_PREFIX = "PROSPECTING_"

# What may count towards the "enriched" tag; sequences/segments.py gives each its meaning.
ENRICHED_EXTRAS = ("company", "title", "location", "second_channel", "firmographics")

# Keys whose values are hidden by as_dict() even when written in clear in the file.
_MASKED_KEY_PARTS = ("api_key", "apikey", "token", "password", "secret", "credential")


def _looks_secret(key: str) -> bool:
    key = key.lower()
    return key == "key" or any(part in key for part in _MASKED_KEY_PARTS)


def _ip_addresses(value: tuple[str, ...]) -> str | None:
    import ipaddress

    for item in value:
        try:
            ipaddress.ip_address(item)
        except ValueError:
            return f"{item!r} is not an IP address (the resolver needs addresses, not names)"
    return None


def _http_url(value: str) -> str | None:
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"expected an http:// or https:// URL, got {value!r}"
    return None


def _email_address(value: str) -> str | None:
    local, at, domain = value.rpartition("@")
    if not at or not local or "." not in domain or " " in value:
        return f"expected an address like verify@example.com, got {value!r}"
    return None


def _hostname(value: str) -> str | None:
    if not value or " " in value or value.startswith(".") or value.endswith("."):
        return f"expected a host name like mail.example.com, got {value!r}"
    return None


@schema
class DnsSettings:
    """``[dns]``: every lookup (MX, and the MX hosts' addresses) uses these."""

    nameservers: tuple[str, ...] = setting(
        (),
        help="Resolver addresses to query; empty means the system resolver.",
        check=_ip_addresses,
    )
    port: int = setting(53, help="UDP/TCP port of the nameservers.", check=between(1, 65535))
    timeout_s: float = setting(3.0, help="Seconds per query attempt.", check=positive)


@schema
class SmtpSettings:
    """``[smtp]``: used only by ``enrich --smtp`` to ask mail servers about a mailbox."""

    port: int = setting(25, help="Port of the MX hosts.", check=between(1, 65535))
    helo: str | None = setting(
        None, help="Name sent in HELO/EHLO; unset means this machine's FQDN.", check=_hostname
    )
    mail_from: str | None = setting(
        None,
        help="Reverse-path sent in MAIL FROM; use an address of a domain you control.",
        check=_email_address,
    )
    timeout_s: float = setting(10.0, help="Seconds per connection step.", check=positive)
    max_connections_per_host: int = setting(
        2, help="Simultaneous connections to one mail host.", check=at_least(1)
    )


@schema
class HttpSettings:
    """``[http]``: the crawler and the connectors share these."""

    user_agent: str = setting(
        "prospecting-pipeline/0.1 (+https://github.com/prospecting-pipeline)",
        help="User-Agent header sent by the crawler and the connectors.",
        check=non_empty,
    )
    requests_per_second: float = setting(2.0, help="Request rate per host.", check=positive)
    max_connections_per_host: int = setting(
        4, help="Simultaneous connections to one host.", check=at_least(1)
    )
    timeout_s: float = setting(30.0, help="Seconds before a request is abandoned.", check=positive)
    retries: int = setting(
        5, help="Retries of a connector call on 429/5xx and network errors.", check=at_least(0)
    )
    backoff_factor: float = setting(
        1.0, help="Exponential back-off base (seconds) between retries.", check=at_least(0)
    )
    max_retry_wait_s: int = setting(
        120, help="Longest Retry-After honoured; a longer one stops with an error.",
        check=at_least(0),
    )
    cache: bool = setting(True, help="Keep connector answers in an HTTP cache (requests-cache).")
    cache_dir: str | None = setting(
        None, help="Folder of the HTTP cache; unset means beside the database."
    )
    cache_expire_s: float = setting(
        86400.0, help="Seconds a cached connector answer stays fresh.", check=positive
    )


@schema
class ConnectorSettings:
    """``[connectors.NAME]``: one public-data source; undeclared keys land in ``options``."""

    name: str = setting("", help="The connector's name (the table's name).", from_key=True)
    base_url: str | None = setting(
        None, help="API root; unset means the connector's public default.", check=_http_url
    )
    options: dict[str, Any] = setting(
        {}, help="Any other key of the table, for the connector to read.", extra=True
    )


@schema
class CrawlSettings:
    """``[crawl]``: the website crawler (``prospecting crawl``); rates come from ``[http]``."""

    max_age_days: float = setting(
        30.0, help="--from-db skips sites crawled more recently than this.", check=positive
    )
    max_pages: int = setting(50, help="Pages per site when --max-pages is not given.",
                             check=at_least(1))
    max_depth: int = setting(
        6, help="Links followed from the home page at most (0: no limit).", check=at_least(0)
    )
    max_page_bytes: int = setting(
        4 * 1024 * 1024, help="Pages larger than this are refused (quarantined).",
        check=at_least(1024),
    )
    retries: int = setting(2, help="Retries of a failed request (timeouts, 5xx).",
                           check=at_least(0))
    concurrent_requests: int = setting(
        32, help="Requests in flight across all sites.", check=at_least(1)
    )
    autothrottle: bool = setting(True, help="Adapt the delay to each site's latency.")
    robots_user_agent: str = setting(
        "", help="Token matched against robots.txt groups (default: the user agent's product)."
    )
    memory_limit_mb: int = setting(2048, help="The crawl process stops beyond this.",
                                   check=at_least(64))


@schema
class ImportSettings:
    """``[import]``: reading CSV and JSONL files."""

    batch_size: int = setting(50_000, help="Rows committed per transaction.",
                              check=at_least(1))
    workers: int = setting(
        2, help="Processes for a file of 256 KiB and more (on Linux): with 2, one reads and "
        "maps the next rows while the other writes; 1 does both in turn.", check=at_least(1),
    )


@schema
class TagSettings:
    """``[tags]``: the rule behind the ``enriched`` / ``non-enriched`` tag.

    A contact is ``enriched`` when at least ``enriched_min_extras`` of the facts named in
    ``enriched_extras`` are known about it; ``sequences/segments.py`` applies the rule.
    """

    enriched_min_extras: int = setting(
        2, help="How many of enriched_extras make a contact 'enriched'.", check=at_least(0)
    )
    enriched_extras: tuple[str, ...] = setting(
        ENRICHED_EXTRAS,
        help="Facts that count: " + ", ".join(ENRICHED_EXTRAS) + ".",
    )

    @classmethod
    def _config_check(cls, values: dict[str, Any], prefix: str, ctx: Context) -> None:
        extras = values.get("enriched_extras", ENRICHED_EXTRAS)
        key = f"{prefix}.enriched_extras"
        for name in extras:
            if name not in ENRICHED_EXTRAS:
                ctx.problem(
                    key,
                    f"unknown extra {name!r} (expected some of {', '.join(ENRICHED_EXTRAS)})",
                    value=name,
                )
        if len(set(extras)) != len(extras):
            ctx.problem(key, "lists an extra twice")
        minimum = values.get("enriched_min_extras", 2)
        if minimum > len(set(extras)):
            ctx.problem(
                f"{prefix}.enriched_min_extras",
                f"asks for {minimum} extras but enriched_extras lists only {len(set(extras))}",
            )


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _clock(value: str) -> str | None:
    hours, colon, minutes = value.partition(":")
    if not (colon and hours.isdigit() and minutes.isdigit() and len(minutes) == 2
            and 0 <= int(hours) <= 23 and 0 <= int(minutes) <= 59):
        return f"expected a time of day like '09:00', got {value!r}"
    return None


def _weekdays(value: tuple[str, ...]) -> str | None:
    bad = [d for d in value if d not in _WEEKDAYS]
    if bad or not value:
        return f"expected some of {', '.join(_WEEKDAYS)}, got {list(value)!r}"
    return None


@schema
class SequenceSettings:
    """``[sequences]``: when touches may be due and what every email says about its sender.

    Times are the prospect's local time; ``sequences/planner.py`` applies them.
    """

    send_days: tuple[str, ...] = setting(
        ("tue", "wed", "thu"), help="Weekdays touches may fall on (mon … sun).", check=_weekdays
    )
    window_start: str = setting("09:00", help="Earliest local time of a touch.", check=_clock)
    window_end: str = setting("11:30", help="Latest local time of a touch.", check=_clock)
    max_emails_per_30_days: int = setting(
        3, help="Emails to one person in any 30 days, across all sequences (1-3).",
        check=between(1, 3),
    )
    max_new_per_company_per_week: int = setting(
        2, help="People of one company started per week, across sequences.", check=at_least(1)
    )
    sender_name: str = setting("", help="Name the templates sign with ({{ sender_name }}).")
    sender_company: str = setting("", help="Company the templates name ({{ sender_company }}).")
    sender_address: str = setting(
        "", help="Postal address of the sender (CAN-SPAM; {{ sender_address }})."
    )
    opt_out_text: str = setting(
        "If you would rather not hear from us, reply 'stop' and we will not write again.",
        help="Opt-out line every email carries ({{ opt_out }}).", check=non_empty,
    )
    source_notice: str = setting(
        "We found your address {email} in: {sources}. {company} processes it for B2B "
        "prospecting on the basis of legitimate interest; you may object at any time.",
        help="GDPR Art. 14 line for EU prospects ({{ source_notice }}); {email}, {sources}, "
        "{company} are filled in.",
        check=non_empty,
    )

    @classmethod
    def _config_check(cls, values: dict[str, Any], prefix: str, ctx: Context) -> None:
        start, end = values.get("window_start", "09:00"), values.get("window_end", "11:30")
        if isinstance(start, str) and isinstance(end, str) and not (
            _clock(start) or _clock(end)
        ) and tuple(map(int, start.split(":"))) >= tuple(map(int, end.split(":"))):
            ctx.problem(f"{prefix}.window_end", f"must be after window_start ({start})")


@schema
class Settings:
    """The whole of ``prospecting.toml``; ``Settings()`` is the built-in defaults."""

    dns: DnsSettings = setting(factory=DnsSettings, help="DNS lookups.")
    smtp: SmtpSettings = setting(factory=SmtpSettings, help="SMTP mailbox checks.")
    http: HttpSettings = setting(factory=HttpSettings, help="HTTP for crawler and connectors.")
    connectors: dict[str, ConnectorSettings] = setting(
        {}, help="One table per public-data connector."
    )
    import_: ImportSettings = setting(factory=ImportSettings, key="import", help="File imports.")
    crawl: CrawlSettings = setting(factory=CrawlSettings, help="The website crawler.")
    enrichers: dict[str, Any] = setting({}, help="Enricher options (free keys for now).")
    dedupe: dict[str, Any] = setting({}, help="Deduplication rules (free keys for now).")
    tags: TagSettings = setting(factory=TagSettings, help="The enriched / non-enriched rule.")
    sequences: SequenceSettings = setting(
        factory=SequenceSettings, help="Send window, caps and sender details for sequences."
    )
    source: Path | None = setting(None, help="The file these settings were read from.", skip=True)

    def connector(self, name: str) -> ConnectorSettings:
        """The settings of connector ``name``; defaults when the file has no such table."""
        return self.connectors.get(name) or ConnectorSettings(name=name)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able copy keyed like the TOML file, with secrets shown as ``"***"``."""
        return to_dict(self, mask=_looks_secret)


def describe_settings() -> list[SettingInfo]:
    """Every declared setting (dotted key, type, default, help), in file order."""
    return list(describe(Settings))


def _env_sections() -> dict[str, type[Any]]:
    """The sections whose keys may be set from the environment, by TOML name."""
    sections: dict[str, type[Any]] = {}
    for field in dataclasses.fields(Settings):
        tp = field.default_factory if field.default_factory is not dataclasses.MISSING else None
        if dataclasses.is_dataclass(tp):
            sections[field.metadata.get("key") or field.name] = tp
    return sections


def _env_overrides(env: Mapping[str, str], data: dict[str, Any], ctx: Context) -> None:
    """Turn ``PROSPECTING_<SECTION>_<KEY>`` variables into overrides on ``ctx``."""
    sections = _env_sections()
    connectors = data.get("connectors")
    file_connectors = (
        sorted(connectors, key=len, reverse=True) if isinstance(connectors, dict) else []
    )
    for var in sorted(env):
        if not var.startswith(_ENV_PREFIX) or var == CONFIG_ENV_VAR:
            continue
        rest = var[len(_ENV_PREFIX) :]
        section_name, _, key_part = rest.partition("_")
        section_name = section_name.lower()
        text = env[var]
        if section_name == "connectors":
            _connector_override(var, key_part, text, file_connectors, data, ctx)
            continue
        section = sections.get(section_name)
        if section is None:
            continue  # not ours: other tools may share the prefix
        hints = typing.get_type_hints(section)
        keys = {f.name: f for f in dataclasses.fields(section) if not f.metadata.get("skip")}
        key = key_part.lower()
        dotted = f"{section_name}.{key}"
        if key not in keys:
            ctx.unknown_key(dotted, keys, origin=var)
            continue
        try:
            value = parse_env_value(text, hints[key])
        except ValueError as exc:
            ctx.problem(dotted, str(exc), origin=var)
            continue
        ctx.overrides[dotted] = (value, var)


def _connector_override(
    var: str,
    key_part: str,
    text: str,
    file_connectors: list[str],
    data: dict[str, Any],
    ctx: Context,
) -> None:
    upper = key_part.upper()
    for name in file_connectors:
        if upper.startswith(name.upper() + "_"):
            key = upper[len(name) + 1 :].lower()
            break
    else:
        if not upper.endswith("_BASE_URL"):
            ctx.note(
                var,
                "cannot tell which connector this sets; declare its "
                "[connectors.NAME] table in the configuration file",
            )
            return
        name, key = upper[: -len("_BASE_URL")].lower(), "base_url"
        connectors = data.setdefault("connectors", {})
        if isinstance(connectors, dict):
            connectors.setdefault(name, {})
    if key == "base_url":
        ctx.overrides[f"connectors.{name}.base_url"] = (text, var)
        return
    table = data["connectors"][name]
    if isinstance(table, dict):
        from prospecting.tomlconf import Secret

        table[key] = Secret(text, env=var) if _looks_secret(key) else text


def _choose_file(path: str | Path | None, env: Mapping[str, str]) -> Path | None:
    if path is not None:
        return Path(path)
    if env.get(CONFIG_ENV_VAR):
        return Path(env[CONFIG_ENV_VAR])
    default = Path(DEFAULT_CONFIG_FILE)
    return default if default.is_file() else None


def load_settings(
    path: str | Path | None = None, *, env: Mapping[str, str] | None = None
) -> Settings:
    """Read the settings: defaults < file < ``PROSPECTING_<SECTION>_<KEY>`` variables.

    ``path`` wins over ``PROSPECTING_CONFIG``, which wins over ``./prospecting.toml``; with
    none of them the defaults (plus environment) are used. ``env`` stands in for
    ``os.environ`` (tests pass a dict). Raises ConfigError listing every problem.
    """
    env = os.environ if env is None else env
    chosen = _choose_file(path, env)
    if chosen is None:
        data: dict[str, Any] = {}
        ctx = Context(None, env=env)
    else:
        data, text = read_toml(chosen)
        ctx = Context(chosen, text, env=env)
    _env_overrides(env, data, ctx)
    settings = build(Settings, data, "", ctx)
    ctx.raise_if_any("configuration")
    source = chosen.absolute() if chosen is not None else None
    return dataclasses.replace(settings, source=source)
