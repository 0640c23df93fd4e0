"""Import behavioural signals and CRM lifecycle marks into ``activities``.

``prospecting signals DB FILE`` reads a CSV (any common delimiter and encoding) or JSONL
file of web visits (an analytics or reverse-IP tool's export), product usage (events from
a trial or freemium account, for PQLs) or CRM lifecycle marks (a contact marked
sales-qualified or customer), and stores one activity per row for the people it names by
email. The score stage reads them.

* People are matched by email, normalised as the suppression list does it; only the
  sha256 of the address is stored with the activity, so ``forget`` leaves no trace.
* A row that cannot be used goes to ``quarantine`` with the file, row number and reason:
  no email, no person with this email, unreadable or future date, unknown kind.
* A CRM row whose stage is not a mark the score stage uses (``lead``, ``subscriber``…)
  is counted as skipped, not quarantined: it is valid, just not a signal. So is a row
  for a forgotten address, which must not come back in clear.
* Re-importing the same file adds nothing: an activity's id hashes its source, address
  hash, kind, time, detail and campaign.

Columns are found by name (case, accents and punctuation ignored), for example::

    email        email, e-mail, email address, user email, courriel, adresse e-mail
    occurred_at  occurred at, timestamp, date, time, visited at, event time, horodatage
    detail       detail, url, page, page url, path, event, event name, feature
    kind         kind, type, event type, signal (when --kind is not given)
    stage        lifecycle stage, stage, status, statut, étape (for --kind crm)
    campaign     campaign, utm campaign, campagne

Dates are ISO 8601, ``DD/MM/YYYY[ HH:MM[:SS]]`` (French order), or Unix seconds or
milliseconds; a time without a zone is UTC.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from .connectors.csv_file import Record, open_tabular
from .dates import as_utc, iso_moment
from .errors import ConfigError
from .headers import normalize_header, shown_columns
from .importer import quarantine_row
from .privacy import SuppressionMatcher, clean_emails, email_hash, normalize_email_key
from .runs import Progress, RunState
from .store import Store, utc_now

__all__ = ["KIND_OPTIONS", "SIGNAL_KINDS", "import_signals", "parse_moment"]

# What a row may become: the score stage's behavioural signals and CRM marks.
SIGNAL_KINDS = ("visit", "product_usage", "sales_qualified", "customer")
# --kind: one of the kinds for every row, or "crm" (each row's lifecycle stage decides).
KIND_OPTIONS = (*SIGNAL_KINDS, "crm")
_DATED = frozenset({"visit", "product_usage"})

_COLUMNS: dict[str, tuple[str, ...]] = {
    "email": ("email", "e mail", "email address", "e mail address", "user email",
              "contact email", "courriel", "adresse email", "adresse e mail", "mail",
              "email adresse", "visitor email", "work email"),
    "occurred_at": ("occurred at", "timestamp", "date", "datetime", "date time", "time",
                    "visited at", "visit date", "event time", "event date", "created at",
                    "last seen", "date de visite", "horodatage", "date heure", "ts"),
    "detail": ("detail", "details", "url", "page", "page url", "page path", "path",
               "event", "event name", "feature", "action", "page visitee"),
    "kind": ("kind", "type", "event type", "signal", "activity type"),
    "stage": ("lifecycle stage", "lifecyclestage", "stage", "status", "statut", "etape",
              "lead status", "lifecycle", "cycle de vie", "phase du cycle de vie"),
    "campaign": ("campaign", "utm campaign", "campagne", "campaign name"),
}

# CRM stage values (HubSpot, Salesforce, Pipedrive, French CRMs) and the mark they are.
_CRM_MARKS = {
    "sales qualified lead": "sales_qualified", "salesqualifiedlead": "sales_qualified",
    "sql": "sales_qualified", "sales qualified": "sales_qualified",
    "sales_qualified": "sales_qualified", "opportunity": "sales_qualified",
    "opportunite": "sales_qualified", "qualified": "sales_qualified",
    "qualifie": "sales_qualified", "lead qualifie": "sales_qualified",
    "customer": "customer", "client": "customer", "evangelist": "customer",
    "closed won": "customer", "gagne": "customer", "cliente": "customer",
}
_KIND_ALIASES = {
    "visit": "visit", "visite": "visit", "page view": "visit", "pageview": "visit",
    "web visit": "visit", "website visit": "visit",
    "product usage": "product_usage", "product_usage": "product_usage", "usage": "product_usage",
    "product event": "product_usage", "usage produit": "product_usage",
    **_CRM_MARKS,
}


_ADDRESS = re.compile(r"[^\s@/?&=:;,<>\"']+(?:@|%40)[^\s@/?&=:;,<>\"']+\.[^\s@/?&=:;,<>\"']+")


def parse_moment(text: str) -> datetime | None:
    """An aware UTC datetime from ISO 8601, ``DD/MM/YYYY[ HH:MM[:SS]]`` or epoch digits."""
    value = text.strip()
    if not value:
        return None
    if re.fullmatch(r"\d{10}(?:\.\d+)?|\d{13}", value):
        seconds = float(value) / (1000 if len(value) == 13 else 1)
        return datetime.fromtimestamp(seconds, UTC)
    match = re.fullmatch(
        r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?", value
    )
    if not match:
        return iso_moment(value)
    day, month, year, hour, minute, second = match.groups()
    try:
        return as_utc(datetime(int(year), int(month), int(day), int(hour or 0),
                               int(minute or 0), int(second or 0)))
    except ValueError:
        return None


class _Columns:
    """Where each known column is in the file's header."""

    def __init__(self, headers: Sequence[str]) -> None:
        folded = [normalize_header(h) for h in headers]
        self.index: dict[str, int] = {}
        for name, aliases in _COLUMNS.items():
            for alias in aliases:
                if alias in folded:
                    self.index[name] = folded.index(alias)
                    break

    def get(self, cells: Sequence[str], name: str) -> str:
        at = self.index.get(name)
        if at is None or at >= len(cells):
            return ""
        return (cells[at] or "").strip()


def import_signals(
    store: Store, path: Path, state: RunState, *, kind: str | None = None,
    source: str | None = None, batch_size: int = 2000, progress: Progress | None = None,
) -> None:
    """Import one file of signals into ``activities``; counts go to ``state``."""
    if kind is not None and kind not in KIND_OPTIONS:
        raise ConfigError(f"--kind must be one of {', '.join(KIND_OPTIONS)}, not '{kind}'")
    source_name = source or path.stem
    people = {key: golden for key, (golden, _) in store.golden_by_email().items()}
    matcher = SuppressionMatcher.load(store.conn)
    now = datetime.now(UTC)
    with open_tabular(path) as table:
        headers = list(table.headers)
        columns = _Columns(headers) if table.kind == "csv" else None
        if columns is not None:
            _check_columns(path, headers, columns, kind)
        rows: list[tuple[Any, ...]] = []
        quarantine: list[dict[str, Any]] = []
        done = 0
        for record in table.records():
            state.add("read")
            if record.error:
                quarantine.append(_quarantined(path, record, record.error, state))
                continue
            if columns is None:  # JSONL: each object its own keys
                values = record.values or {}
                cols = _Columns(list(values))
                cells: Sequence[str] = list(values.values())
                if "email" not in cols.index:
                    quarantine.append(_quarantined(path, record, "no email field", state))
                    continue
            else:
                cols, cells = columns, record.cells or []
            outcome = _row(cols, cells, kind, people, source_name, now, matcher)
            if isinstance(outcome, str):
                if outcome.startswith("skip:"):
                    state.add("skipped")
                    state.add(f"skipped: {outcome[5:]}")
                else:
                    quarantine.append(_quarantined(path, record, outcome, state))
                continue
            rows.append((*outcome, state.run_id, utc_now()))
            if len(rows) + len(quarantine) >= batch_size:
                done += _flush(store, rows, quarantine, state)
                rows, quarantine = [], []
                if progress:
                    progress(done, None)
        done += _flush(store, rows, quarantine, state)
        if progress:
            progress(done, done)
        state.add("blank", table.skipped_blank)


def _check_columns(path: Path, headers: list[str], columns: _Columns, kind: str | None) -> None:
    shown = shown_columns(headers)
    if "email" not in columns.index:
        raise ConfigError(f"{path}: no email column (columns: {shown})")
    if kind == "crm" and "stage" not in columns.index:
        raise ConfigError(
            f"{path}: --kind crm needs a lifecycle stage column such as 'Lifecycle Stage'"
            f" (columns: {shown})"
        )
    if kind is None and "kind" not in columns.index:
        raise ConfigError(
            f"{path}: no kind column; pass --kind {'|'.join(KIND_OPTIONS)} (columns: {shown})"
        )


def _row(
    cols: _Columns, cells: Sequence[str], kind: str | None, people: dict[str, str],
    source: str, now: datetime, matcher: SuppressionMatcher,
) -> tuple[Any, ...] | str:
    """The activity row for one record, or why not (``skip:…`` for a valid non-signal)."""
    if kind == "crm":
        stage = cols.get(cells, "stage")
        if not stage:
            return "skip:no lifecycle stage"
        mark = _CRM_MARKS.get(normalize_header(stage)) or _CRM_MARKS.get(stage.strip().lower())
        if mark is None:
            return f"skip:stage '{stage[:40]}' is not a mark"
        row_kind = mark
    elif kind is not None:
        row_kind = kind
    else:
        written = cols.get(cells, "kind")
        row_kind = (_KIND_ALIASES.get(normalize_header(written))
                    or _KIND_ALIASES.get(written.lower(), ""))
        if not row_kind:
            return f"unknown kind '{written[:40]}' (expected one of {', '.join(SIGNAL_KINDS)})"
    addresses = [a for a in clean_emails(cols.get(cells, "email")) if "@" in a]
    if not addresses:
        return "no email"
    key = normalize_email_key(addresses[0])
    person_id = people.get(key)
    if person_id is None:
        if matcher.matches([key]):
            # A forgotten address (only its hash is left): no plaintext copy goes back
            # into quarantine.
            return "skip:suppressed or forgotten address"
        return "no person with this email"
    when = cols.get(cells, "occurred_at")
    moment = parse_moment(when) if when else None
    if when and moment is None:
        return f"unreadable date '{when[:40]}'"
    if moment is None and row_kind in _DATED:
        return "no date"
    if moment is not None and moment > now + timedelta(days=1):
        return f"date in the future ({moment.date().isoformat()})"
    occurred_at = moment.isoformat() if moment else None
    # An address in a URL (?email=…) would be a plaintext copy: only the hash is kept.
    detail = _ADDRESS.sub("[email]", cols.get(cells, "detail"))[:2000] or None
    campaign = cols.get(cells, "campaign")[:500] or None
    digest = email_hash(key)
    activity_id = hashlib.sha256(
        "\x1f".join((source, digest, row_kind, occurred_at or "", detail or "",
                     campaign or "")).encode()
    ).hexdigest()[:32]
    return (activity_id, person_id, digest, row_kind, detail, occurred_at, source, campaign)


def _quarantined(path: Path, record: Record, reason: str, state: RunState) -> dict[str, Any]:
    state.add("quarantined")
    return quarantine_row(path.name, record, reason, state.run_id, utc_now())


def _flush(
    store: Store, rows: list[tuple[Any, ...]], quarantine: list[dict[str, Any]],
    state: RunState,
) -> int:
    if not rows and not quarantine:
        return 0
    with store.write():
        before = store.conn.total_changes
        store.conn.executemany(
            "INSERT OR IGNORE INTO activities (id, person_id, email_sha256, kind, detail,"
            " occurred_at, source, campaign, run_id, imported_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        added = store.conn.total_changes - before
        store.add_quarantine(quarantine)
    state.add("written", added)
    if len(rows) > added:
        state.add("already stored", len(rows) - added)
    for row in rows:
        state.add(f"kind {row[3]}")
    return len(rows) + len(quarantine)
