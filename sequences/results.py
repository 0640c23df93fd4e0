"""Importing what happened in the email tool back: sent, opens, clicks, replies, bounces.

``prospecting results DB FILE`` reads an activity or lead export of lemlist, Instantly,
Smartlead, HubSpot, Brevo or Mailchimp, recognised by its own column names, in either
of the two shapes tools export:

* one row per event: an event column (lemlist ``type`` = ``emailsBounced``; HubSpot
  ``Event type`` = ``BOUNCE``; Brevo ``Event`` = ``hardBounces``…), the address, a date;
* one row per lead: status flags and counters (Smartlead ``is_unsubscribed``,
  ``reply_count``; Instantly ``Email Reply Count``, ``Status``; Mailchimp's cleaned and
  unsubscribed audience exports with ``CLEAN_TIME`` / ``UNSUB_TIME``…).

Each event becomes an ``activities`` row keeping only the sha256 of the address; its id
hashes tool, address, kind, time and campaign, so importing the file again adds
nothing. Effects: a bounce states the address ``invalid`` (reason ``bounced``) through
the store's normal derivation of ``emails[].status``; an unsubscribe (or a spam
complaint) adds the address to the suppression list; a reply, bounce or unsubscribe
stops the person's sequences; a send marks the planned touch ``sent``. Rows without a
usable address, with an unknown event or date, or whose address matches nobody go to
``quarantine`` with their row number and reason (an unmatched unsubscribe is still
suppressed: the objection holds whoever it is).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prospecting.connectors.csv_file import open_tabular
from prospecting.dates import as_utc, iso_moment
from prospecting.errors import InputError
from prospecting.headers import shown_columns
from prospecting.models import dumps
from prospecting.privacy import email_hash, normalize_email_key
from prospecting.runs import RunState
from prospecting.store import BOUNCE_CONFIDENCE, Store, bounce_fact, utc_now

__all__ = ["TOOLS", "detect_tool", "import_results"]

TOOLS = ("lemlist", "instantly", "smartlead", "hubspot", "brevo", "mailchimp")


def _fold(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.casefold())


# Column names, folded (lower case, letters and digits only).
_EMAIL = ("email", "leademail", "emailaddress", "recipient", "recipientemail", "toemail",
          "contactemail", "to", "leadsemail", "mail", "adressemail")
_EVENT = ("type", "event", "eventtype", "activity", "activitytype", "action", "eventname")
_STATUS = ("status", "leadstatus", "laststate", "state")
_TIME = ("createdat", "date", "timestamp", "created", "eventdate", "occurredat", "time",
         "datetime", "sentat", "eventtime", "lastcontacted", "lastcontactedat", "updatedat")
_CAMPAIGN = ("campaignname", "campaign", "emailcampaign", "campaigntitle", "emailname",
             "sequencename", "campaignid", "emailcampaignid", "unsubcampaigntitle",
             "cleancampaigntitle")
_STEP = ("sequencestep", "step", "emailstep", "stepnumber", "lastemailsequencesent",
         "sequencenumber")

# Event names as tools write them (folded) → our kinds; None: known but not used.
_EVENTS: dict[str, str | None] = {}
for _kind, _names in {
    "sent": "sent send emailssent emailsent delivered emailsdelivered emaildelivered "
            "requests request processed",
    "open": "open opened opens emailsopened emailopened uniqueopened opened1 loadedbyproxy",
    "click": "click clicked clicks emailsclicked emailclicked linkclicked",
    "reply": "reply replied replies emailsreplied emailreplied interested emailsinterested",
    "bounce": "bounce bounced hardbounce hardbounces emailsbounced emailbounced cleaned "
              "invalidemail",
    "unsubscribe": "unsubscribe unsubscribed unsub optout optedout emailsunsubscribed "
                   "emailunsubscribed spam spamreport complaint complained markedasspam",
}.items():
    for _name in _names.split():
        _EVENTS[_name] = _kind
for _name in ("softbounce", "softbounces", "deferred", "dropped", "blocked", "mtadropped",
              "statuschange", "forward", "print", "active", "completed", "paused", "notsent",
              "inprogress", "started", "stopped", "contacted", "notcontacted", "pending",
              "scheduled", "notinterested", "emailsnotsent", "skipped", "subscribed",
              "imported", "unbounce", "linkedininvitesent", "linkedinvisit", "error"):
    _EVENTS[_name] = None

# Lead-export columns: a flag or a counter that says an event happened, per kind.
_FLAGS = {
    # HubSpot contact exports: "Unsubscribed from all email" (hs_email_optout); Brevo:
    # emailBlacklisted.
    "unsubscribe": ("isunsubscribed", "unsubscribed", "optedout", "unsubscribedfromallemail",
                    "hsemailoptout", "emailblacklisted", "blacklisted"),
    "bounce": ("isbounced", "bounced", "hardbounced"),
    "reply": ("isreplied", "replied"),
}
_COUNTS = {
    "reply": ("replycount", "emailreplycount", "replies", "repliescount",
              "marketingemailsreplied", "hsemailreplied"),
    "open": ("opencount", "emailopencount", "opens", "openscount", "marketingemailsopened",
             "hsemailopen"),
    "click": ("clickcount", "emailclickcount", "clicks", "clickscount",
              "marketingemailsclicked", "hsemailclick"),
    "sent": ("sentcount", "emailssent", "emailsentcount", "marketingemailsdelivered",
             "hsemaildelivered"),
    "bounce": ("marketingemailsbounced", "hsemailbounce", "bouncecount"),
}
_KIND_TIME = {
    "reply": ("timestamplastreply", "lastreplied", "lastreplyat", "replytime", "repliedat"),
    "open": ("timestamplastopen", "lastopened", "lastopenat", "opentime", "openedat"),
    "click": ("timestamplastclick", "lastclicked", "lastclickat", "clicktime", "clickedat"),
    "unsubscribe": ("unsubtime", "unsubscribedate", "unsubscribedat", "optouttime"),
    "bounce": ("cleantime", "bouncedate", "bouncedat", "bouncetime"),
    "sent": ("lastcontacted", "lastcontactedat", "sentat", "lastsentat"),
}

# Headers only one tool writes, to name the source when --tool is not given.
_SIGNATURES = {
    "lemlist": ("leademail", "campaignname", "leadid", "sequencestep", "emailsbounced"),
    "instantly": ("emailopencount", "emailreplycount", "ltintereststatus", "timestamplastopen",
                  "emailclickcount"),
    "smartlead": ("isunsubscribed", "campaignleadmapid", "lastemailsequencesent", "replycount",
                  "opencount"),
    "hubspot": ("recipient", "eventtype", "emailcampaign", "emailcampaignid", "recordid",
                "marketingemailsbounced", "unsubscribedfromallemail", "hsemailoptout",
                "lifecyclestage"),
    "brevo": ("hardbounces", "softbounces", "messageid", "emailblacklisted"),
    "mailchimp": ("emailaddress", "unsubtime", "cleantime", "memberrating", "bouncetype",
                  "unsubcampaigntitle", "cleancampaigntitle", "leid", "euid"),
}


@dataclass(frozen=True)
class _Layout:
    email: int
    event: int | None
    status: int | None
    time: int | None
    campaign: int | None
    step: int | None
    bounce_type: int | None
    flags: dict[str, int]
    counts: dict[str, int]
    kind_time: dict[str, int]
    fixed_kind: str | None  # Mailchimp's per-status files: every row is that event


def _find(folded: list[str], names: Iterable[str]) -> int | None:
    for name in names:
        if name in folded:
            return folded.index(name)
    return None


def detect_tool(headers: list[str]) -> str | None:
    """The tool whose own column names the header holds most of, or None."""
    folded = {_fold(h) for h in headers}
    scores = {tool: len(folded & set(names)) for tool, names in _SIGNATURES.items()}
    best = max(scores, key=lambda t: scores[t])
    return best if scores[best] else None


def _layout(headers: list[str], path: Path) -> _Layout:
    folded = [_fold(h) for h in headers]
    email = _find(folded, _EMAIL)
    if email is None:
        raise InputError(
            f"{path}: no email column (looked for email, leadEmail, Email Address, "
            f"Recipient…; the file has {shown_columns(headers) or 'no columns'})"
        )
    flags = {k: i for k, names in _FLAGS.items() if (i := _find(folded, names)) is not None}
    counts = {k: i for k, names in _COUNTS.items() if (i := _find(folded, names)) is not None}
    kind_time = {
        k: i for k, names in _KIND_TIME.items() if (i := _find(folded, names)) is not None
    }
    fixed = None
    if "cleantime" in folded:
        fixed = "bounce"
    elif "unsubtime" in folded:
        fixed = "unsubscribe"
    event = _find(folded, _EVENT)
    status = _find(folded, _STATUS)
    layout = _Layout(
        email=email, event=event, status=status, time=_find(folded, _TIME),
        campaign=_find(folded, _CAMPAIGN), step=_find(folded, _STEP),
        bounce_type=_find(folded, ("bouncetype",)), flags=flags, counts=counts,
        kind_time=kind_time, fixed_kind=fixed,
    )
    if not (event is not None or status is not None or flags or counts or fixed
            or layout.bounce_type is not None):
        raise InputError(
            f"{path}: no event, status, flag or counter column (looked for type, Event, "
            f"Event type, status, is_unsubscribed, reply_count, Email Reply Count…)"
        )
    return layout


_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S %Z", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S",
                 "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%m/%d/%Y",
                 "%d/%m/%Y", "%b %d, %Y %I:%M %p", "%d %b %Y %H:%M")


def parse_time(text: str) -> str | None:
    """An export's date as ISO 8601 UTC; naive times are taken as UTC. None if unreadable."""
    text = text.strip()
    if re.fullmatch(r"\d{10}(\d{3})?", text):  # Unix seconds or milliseconds
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")
    moment = iso_moment(text.replace(" UTC", "+00:00"))
    if moment is None:
        for fmt in _TIME_FORMATS:
            try:
                moment = as_utc(datetime.strptime(text, fmt))
                break
            except ValueError:
                continue
    return moment.isoformat(timespec="seconds") if moment else None


def _truthy(value: str) -> bool:
    return value.strip().casefold() in ("true", "1", "yes", "y", "oui", "x", "vrai")


def _count(value: str) -> int:
    try:
        return int(float(value.strip() or 0))
    except ValueError:
        return 0


@dataclass
class _Event:
    kind: str
    occurred_at: str | None
    campaign: str | None
    step: int | None
    detail: str | None


class _RowProblem(Exception):
    pass


def _events(cells: list[str], layout: _Layout, headers: list[str]) -> list[_Event]:
    def cell(index: int | None) -> str:
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def when(index: int | None) -> str | None:
        text = cell(index)
        if not text:
            return None
        parsed = parse_time(text)
        if parsed is None:
            raise _RowProblem(f"unreadable date '{text}' in column '{headers[index or 0]}'")
        return parsed

    campaign = cell(layout.campaign) or None
    step_text = cell(layout.step)
    step = (_count(step_text) or None) if step_text else None
    base_time = when(layout.time)
    found: list[_Event] = []

    def add(kind: str, detail: str | None = None, time_index: int | None = None) -> None:
        at = when(time_index) if time_index is not None else None
        found.append(_Event(kind, at or base_time, campaign, step, detail))

    if layout.event is not None and cell(layout.event):
        value = cell(layout.event)
        key = _fold(value)
        if key not in _EVENTS:
            raise _RowProblem(f"unknown event '{value}' in column '{headers[layout.event]}'")
        kind = _EVENTS[key]
        if kind:
            add(kind, value)
    if layout.fixed_kind:
        add(layout.fixed_kind, None, layout.kind_time.get(layout.fixed_kind))
    if cell(layout.bounce_type).casefold().startswith("hard"):  # Mailchimp: soft ones retry
        add("bounce", f"{cell(layout.bounce_type)} bounce", layout.kind_time.get("bounce"))
    for kind, index in layout.flags.items():
        if _truthy(cell(index)):
            add(kind, headers[index], layout.kind_time.get(kind))
    for kind, index in layout.counts.items():
        if _count(cell(index)) > 0:
            add(kind, f"{headers[index]} {cell(index)}", layout.kind_time.get(kind))
    if layout.status is not None and layout.status != layout.event and cell(layout.status):
        kind = _EVENTS.get(_fold(cell(layout.status)))
        if kind:
            add(kind, cell(layout.status), layout.kind_time.get(kind))
    # One event per kind and row: a flag and a counter may say the same thing.
    unique: dict[str, _Event] = {}
    for event in found:
        unique.setdefault(event.kind, event)
    return list(unique.values())


def import_results(
    store: Store, state: RunState, path: str | Path, *, tool: str | None = None,
    batch_size: int = 2000,
) -> str:
    """Import one tool export; returns the tool it was read as (see the module docstring)."""
    from .planner import apply_stop_rules, refresh_conditions

    path = Path(path)
    if tool is not None and tool not in TOOLS:
        raise InputError(f"--tool must be one of {', '.join(TOOLS)}, not '{tool}'")
    with open_tabular(path) as table:
        headers = list(table.headers)
        layout = _layout(headers, path)
        tool = tool or detect_tool(headers) or "generic"
        source = f"results:{tool}"
        index = store.golden_by_email()
        batch: list[tuple[int, list[str] | None, str | None, str]] = []
        for record in table.records():
            cells = record.cells
            if cells is None and record.values is not None:
                cells = [record.values.get(h, "") for h in headers]
            batch.append((record.row, cells, record.error, record.raw))
            if len(batch) >= batch_size:
                _flush(store, state, batch, layout, headers, index, source, path)
                batch = []
        _flush(store, state, batch, layout, headers, index, source, path)
    with store.write():
        apply_stop_rules(store, state)
        cap = store.settings.sequences.max_emails_per_30_days if store.settings else 3
        state.add("touches_rechecked", refresh_conditions(store, cap=cap))
    return tool


def _flush(
    store: Store, state: RunState, batch: list[tuple[int, list[str] | None, str | None, str]],
    layout: _Layout, headers: list[str], index: Mapping[str, tuple[str, str]], source: str,
    path: Path,
) -> None:
    now = utc_now()
    quarantine: list[dict[str, Any]] = []
    bounced: dict[str, set[str]] = {}
    touched: set[str] = set()

    def reject(row: int, reason: str, raw: str, field: str | None = None) -> None:
        digest = hashlib.sha1(
            f"{source}|{path.name}|{row}|{reason}".encode(), usedforsecurity=False
        ).hexdigest()
        quarantine.append({
            "id": f"results:{digest[:24]}", "source": f"{source}:{path.name}", "row": row,
            "field": field, "reason": reason, "raw": raw, "run_id": state.run_id,
            "created_at": now,
        })

    with store.write():
        for row, cells, error, raw in batch:
            state.add("read")
            text = raw or dumps(cells)
            if error or cells is None:
                reject(row, error or "unreadable row", text)
                continue
            address = cells[layout.email].strip() if layout.email < len(cells) else ""
            key = normalize_email_key(address)
            if "@" not in key:
                reject(row, f"no usable email address ('{address}')", text,
                       headers[layout.email])
                continue
            try:
                events = _events(cells, layout, headers)
            except _RowProblem as exc:
                reject(row, str(exc), text)
                continue
            if not events:
                state.add("skipped")
                state.add("skipped_no_event")
                continue
            digest = email_hash(key)
            match = index.get(key)
            if any(e.kind == "unsubscribe" for e in events):
                _suppress(store, state, key, digest, source)
                if match:
                    touched.add(match[0])
            if match is None:
                reject(row, "no person with this address in the store", text,
                       headers[layout.email])
                continue
            person_id, stored = match
            for event in events:
                activity_id = hashlib.sha1(
                    "|".join((source, digest, event.kind, event.occurred_at or "",
                              event.campaign or "", str(event.step or ""))).encode(),
                    usedforsecurity=False,
                ).hexdigest()
                cursor = store.conn.execute(
                    "INSERT OR IGNORE INTO activities (id, person_id, email_sha256, kind, detail,"
                    " occurred_at, source, campaign, run_id, imported_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (activity_id, person_id, digest, event.kind, event.detail,
                     event.occurred_at, source, event.campaign, state.run_id, now),
                )
                if cursor.rowcount:
                    state.add("written")
                    state.add(f"activities_{event.kind}")
                    if event.kind == "sent":  # once per send, however often it is imported
                        _mark_sent(store, person_id, event, now)
                else:
                    state.add("skipped")
                    state.add("skipped_already_imported")
                if event.kind == "bounce":
                    bounced.setdefault(person_id, set()).add(stored)
        if bounced:
            _state_bounces(store, state, bounced, source, now)
            touched |= set(bounced)
        if touched:
            store.refresh_people(sorted(touched))
        if quarantine:
            store.add_quarantine(quarantine)
            state.add("quarantined", len(quarantine))


def _suppress(store: Store, state: RunState, key: str, digest: str, source: str) -> None:
    if store.add_suppressions([("email", key, digest, f"unsubscribed ({source})")],
                              state.run_id):
        state.add("suppressions_added")


def _state_bounces(
    store: Store, state: RunState, bounced: dict[str, set[str]], source: str, now: str
) -> None:
    """An ``email_status`` statement per bounced address: the view derives ``invalid``."""
    items = []
    for person_id, addresses in sorted(bounced.items()):
        facts: list[Any] = []
        for address in sorted(addresses):
            facts.append(bounce_fact(address))
        items.append((person_id, source, None, now, BOUNCE_CONFIDENCE, state.run_id, facts))
    added = store.state_facts(items).added
    state.add("emails_invalidated", added)


def _mark_sent(store: Store, person_id: str, event: _Event, now: str) -> None:
    """The earliest planned email touch (of the campaign's sequence when it is named
    after one) becomes ``sent``. Tools number their own steps, not ours, so the step
    number is not used to match."""
    clauses = ["person_id = ?", "channel = 'email'", "status = 'planned'"]
    params: list[Any] = [person_id]
    if event.campaign:
        named = store.conn.execute(
            "SELECT 1 FROM planned_touches WHERE person_id = ? AND sequence = ? LIMIT 1",
            (person_id, event.campaign),
        ).fetchone()
        if named:
            clauses.append("sequence = ?")
            params.append(event.campaign)
    row = store.conn.execute(
        f"SELECT id FROM planned_touches WHERE {' AND '.join(clauses)}"
        " ORDER BY due_utc LIMIT 1", params,
    ).fetchone()
    if row:
        store.conn.execute(
            "UPDATE planned_touches SET status = 'sent', reason = ?, updated_at = ?"
            " WHERE id = ?", (f"sent {event.occurred_at or ''}".strip(), now, row[0]),
        )
