"""Building outreach lists per segment and planning each member's touches.

Who is planned: golden people (``merged_into IS NULL``), not suppressed (the flag and
the suppression list, checked again here), whose stage is not ``disqualified``,
``customer`` or ``opted_out`` (no stage yet: planned), with a usable channel for at
least one step, taken by score (highest first, unscored last). The segment is the
person's tag; each sequence file names the segment it is for.

Rules every plan keeps, across all sequences and earlier runs (they read the
``sequence_members`` and ``planned_touches`` tables, not just this run):

* each touch is due on a send day inside the send window, in the prospect's own time
  zone, never on a weekend or a public holiday of their country;
* no one gets more than ``max_emails_per_30_days`` (at most 3) emails in any 30 days:
  an email that would break the cap moves to the earliest send day that keeps it;
* at most ``max_new_per_company_per_week`` people of one company start per ISO week:
  the others start the week after (or later);
* stop rules: a reply, bounce or unsubscribe imported back (``prospecting results``),
  a suppression or an excluding stage stop the member's remaining touches.

Re-running plans nothing twice: a member keeps their plan unless ``start`` names a
different day or the sequence file changed, and then only unsent touches are planned
again. A missing template variable (with no fallback template) quarantines the
member with the person, template and variable named.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from prospecting.models import dumps
from prospecting.privacy import SuppressionMatcher
from prospecting.runs import RunState
from prospecting.store import Store, chunked, utc_now

from .calendar import SendCalendar, phone_region, zone_for
from .segments import ENRICHED, NON_ENRICHED, no_calls
from .sequence_file import ANY_SEGMENT, Sequence
from .templates import MissingVariable, render_step, template_context

__all__ = [
    "EXCLUDED_STAGES", "STOP_KINDS", "apply_stop_rules", "plan_sequences", "refresh_conditions",
]

EXCLUDED_STAGES = ("disqualified", "customer", "opted_out")
STOP_KINDS = ("reply", "bounce", "unsubscribe")
COUNTED = ("planned", "sent")  # touch statuses the email cap counts
WINDOW = timedelta(days=30)
_MAX_PUSHES = 200

_PEOPLE_SQL = """
SELECT p.id, p.first_name, p.last_name, p.full_name, p.title, p.email, p.emails, p.phone,
       p.phones, p.linkedin_url, p.tags, p.suppressed, p.stage, p.score, p.city, p.region,
       p.country, p.extra, p.company_id, c.name, c.domain, c.country
FROM people AS p LEFT JOIN companies AS c ON c.id = p.company_id
WHERE p.merged_into IS NULL
ORDER BY p.score IS NULL, p.score DESC, p.id
"""


@dataclass
class Member:
    person_id: str
    sequence: str
    company_key: str | None
    anchor: date
    start: date
    zone: str
    country: str | None
    status: str
    sequence_hash: str


@dataclass
class Touch:
    person_id: str
    sequence: str
    step: int
    step_name: str
    channel: str
    condition: str
    due: datetime
    status: str
    reason: str | None = None
    template: str | None = None
    subject: str | None = None
    body: str | None = None
    output_hash: str | None = None

    @property
    def id(self) -> str:
        return f"{self.person_id}|{self.sequence}|{self.step}"


@dataclass
class _Ledger:
    """What earlier runs and this one planned: emails per person, starts per company."""

    emails: dict[str, list[tuple[datetime, str]]] = field(default_factory=lambda: defaultdict(list))
    starts: dict[tuple[str, tuple[int, int]], set[str]] = field(
        default_factory=lambda: defaultdict(set)
    )
    # (person, sequence, channel) of the planned touches, to check usability cheaply.
    channels: set[tuple[str, str, str]] = field(default_factory=set)

    def email_times(self, person_id: str, exclude_sequence: str) -> list[datetime]:
        return [t for t, seq in self.emails[person_id] if seq != exclude_sequence]


def _week(day: date) -> tuple[int, int]:
    iso = day.isocalendar()
    return (iso[0], iso[1])


def _to_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _cap_ok(times: list[datetime], candidate: datetime, cap: int) -> bool:
    """True when adding ``candidate`` leaves no 30-day window with more than ``cap``."""
    ordered = sorted([*times, candidate])
    return all(ordered[i + cap] - ordered[i] >= WINDOW for i in range(len(ordered) - cap))


def _load_ledger(store: Store) -> _Ledger:
    ledger = _Ledger()
    for person_id, sequence, due_utc in store.conn.execute(
        "SELECT person_id, sequence, due_utc FROM planned_touches WHERE channel = 'email'"
        f" AND status IN ({', '.join(repr(s) for s in COUNTED)})"
    ):
        ledger.emails[person_id].append((datetime.fromisoformat(due_utc), sequence))
    for person_id, sequence, channel in store.conn.execute(
        "SELECT DISTINCT person_id, sequence, channel FROM planned_touches"
        " WHERE status = 'planned'"
    ):
        ledger.channels.add((person_id, sequence, channel))
    for person_id, company_key, start in store.conn.execute(
        "SELECT person_id, company_key, start_date FROM sequence_members"
        " WHERE company_key IS NOT NULL"
    ):
        ledger.starts[(company_key, _week(date.fromisoformat(start)))].add(person_id)
    return ledger


def _usable(person: dict[str, Any], channel: str) -> bool:
    if channel == "email":
        email = person["email"]
        return bool(email) and any(
            e["value"] == email and e["status"] != "invalid" for e in person["emails"]
        )
    if channel == "call":
        return bool(person["phone"]) and not no_calls(person)
    return bool(person["linkedin_url"])


def _company_key(person: dict[str, Any]) -> str | None:
    if person["company_id"]:
        return person["company_id"]
    email = person["email"]
    if not email:
        return None
    flags = next((e["flags"] for e in person["emails"] if e["value"] == email), [])
    if "free" in flags:
        return None
    return "@" + email.rpartition("@")[2].lower()


def _phone_zones(store: Store, ids: list[str]) -> dict[str, dict[str, tuple[str, ...]]]:
    """The enricher's time zones per person and E.164 number (``phone_check`` facts)."""
    found: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)
    for chunk in chunked(ids, 500):
        marks = ", ".join("?" for _ in chunk)
        for entity_id, value in store.conn.execute(
            f"SELECT entity_id, value FROM observations WHERE entity_id IN ({marks})"
            " AND field = 'phone_check'", chunk,
        ):
            try:
                check = json.loads(value)
            except ValueError:
                continue
            if check.get("e164"):
                found[entity_id][check["e164"]] = tuple(check.get("timezones") or ())
    return found


def _activity_kinds(store: Store) -> dict[str, set[str]]:
    kinds: dict[str, set[str]] = defaultdict(set)
    for person_id, kind in store.conn.execute(
        "SELECT DISTINCT person_id, kind FROM activities WHERE person_id IS NOT NULL"
    ):
        kinds[person_id].add(kind)
    return kinds


def _condition_holds(condition: str, kinds: set[str]) -> tuple[bool, str | None]:
    if condition == "always":
        return True, None
    if condition == "not_opened":
        return ("open" not in kinds), "condition not_opened: an open was recorded"
    if condition == "not_clicked":
        return ("click" not in kinds), "condition not_clicked: a click was recorded"
    if condition == "opened":
        return ("open" in kinds), "condition opened: no open recorded yet"
    if condition == "clicked":
        return ("click" in kinds), "condition clicked: no click recorded yet"
    return True, None


def _person(row: tuple[Any, ...]) -> dict[str, Any]:
    emails = json.loads(row[6])
    extra = json.loads(row[17])
    return {
        "id": row[0], "first_name": row[1], "last_name": row[2],
        "full_name": row[3] or " ".join(v for v in (row[1], row[2]) if v) or None,
        "title": row[4], "email": row[5], "emails": emails, "phone": row[7],
        "phones": json.loads(row[8]), "linkedin_url": row[9], "tags": json.loads(row[10]),
        "suppressed": bool(row[11]), "stage": row[12], "score": row[13], "city": row[14],
        "region": row[15], "country": row[16], "extra": extra, "company_id": row[18],
        "company": None if row[18] is None else {
            "name": row[19], "domain": row[20], "country": row[21],
        },
    }


def _members(store: Store) -> dict[tuple[str, str], Member]:
    found = {}
    for row in store.conn.execute(
        "SELECT person_id, sequence, company_key, anchor_date, start_date, time_zone, country,"
        " status, sequence_hash FROM sequence_members"
    ):
        found[(row[0], row[1])] = Member(
            row[0], row[1], row[2], date.fromisoformat(row[3]), date.fromisoformat(row[4]),
            row[5], row[6], row[7], row[8],
        )
    return found


def apply_stop_rules(store: Store, state: RunState, *, now: str | None = None) -> int:
    """Stop active members who replied, bounced, unsubscribed, are suppressed or excluded.

    Their unsent touches become ``stopped`` with the reason; sent ones stay as they were.
    Returns how many members were stopped.
    """
    now = now or utc_now()
    matcher = SuppressionMatcher.load(store.conn)
    reasons: dict[str, str] = {}
    for person_id, kind in store.conn.execute(
        "SELECT person_id, kind FROM activities WHERE person_id IS NOT NULL AND kind IN"
        f" ({', '.join(repr(k) for k in STOP_KINDS)}) ORDER BY occurred_at"
    ):
        reasons.setdefault(person_id, kind)
    active = store.conn.execute(
        "SELECT DISTINCT m.person_id, p.id, p.suppressed, p.stage, p.emails, p.merged_into"
        " FROM sequence_members AS m LEFT JOIN people AS p ON p.id = m.person_id"
        " WHERE m.status = 'active'"
    ).fetchall()
    for person_id, found, suppressed, stage, emails, merged_into in active:
        if person_id in reasons:
            continue
        if found is None:
            reasons[person_id] = "person no longer in the store"
        elif merged_into:
            reasons[person_id] = f"merged into {merged_into}"
        elif suppressed or matcher.matches(e["value"] for e in json.loads(emails)):
            reasons[person_id] = "suppressed"
        elif stage in EXCLUDED_STAGES:
            reasons[person_id] = f"stage {stage}"
    stopped = 0
    for person_id, reason in reasons.items():
        cursor = store.conn.execute(
            "UPDATE sequence_members SET status = 'stopped', reason = ?, updated_at = ?"
            " WHERE person_id = ? AND status = 'active'", (reason, now, person_id),
        )
        if cursor.rowcount:
            stopped += cursor.rowcount
            store.conn.execute(
                "UPDATE planned_touches SET status = 'stopped', reason = ?, updated_at = ?"
                " WHERE person_id = ? AND status IN ('planned', 'skipped')",
                (reason, now, person_id),
            )
    state.add("members_stopped", stopped)
    return stopped


def plan_sequences(
    store: Store, state: RunState, sequences: list[Sequence], *, settings: Any,
    start: date | None = None, today: date | None = None, batch_size: int = 500,
    render: bool = True,
) -> None:
    """Build each sequence's list and plan its touches (see the module docstring).

    With ``render`` off (the sender's details are not configured yet) the dates are
    planned and the messages left empty; the next run with ``render`` on writes them.
    """
    calendar = SendCalendar.from_settings(settings)
    cap = settings.max_emails_per_30_days
    per_week = settings.max_new_per_company_per_week
    anchor_default = start or today or datetime.now(UTC).date()
    with store.write():
        apply_stop_rules(store, state)
        state.add("touches_rechecked", refresh_conditions(store, cap=cap))
    matcher = SuppressionMatcher.load(store.conn)
    members = _members(store)
    ledger = _load_ledger(store)
    kinds = _activity_kinds(store)
    taken = {(p, s) for (p, s), m in members.items() if m.status == "stopped"}
    cursor = store.conn.execute(_PEOPLE_SQL)
    while rows := cursor.fetchmany(batch_size):
        people = [_person(r) for r in rows]
        zones = _phone_zones(store, [p["id"] for p in people])
        with store.write():
            for person in people:
                state.add("read")
                if not _eligible(person, matcher, state, kinds.get(person["id"], set())):
                    continue
                # Leave the other segment's sequences first: their emails no longer count.
                for sequence in sequences:
                    if not _in_segment(person, sequence):
                        _leave(store, state, members.get((person["id"], sequence.name)),
                               person, ledger)
                for sequence in sequences:
                    if not _in_segment(person, sequence):
                        continue
                    key = (person["id"], sequence.name)
                    if key in taken:
                        state.add("skipped")
                        state.add("skipped_stopped")
                        continue
                    _plan_member(
                        store, state, person, sequence, members.get(key), ledger, kinds,
                        zones.get(person["id"], {}), calendar, settings, cap, per_week,
                        start, anchor_default, render,
                    )
    _summarise(store, state, sequences)


def _eligible(
    person: dict[str, Any], matcher: SuppressionMatcher, state: RunState, kinds: set[str]
) -> bool:
    reason = None
    if person["suppressed"] or matcher.matches(e["value"] for e in person["emails"]):
        reason = "suppressed"
    elif person["stage"] in EXCLUDED_STAGES:
        reason = f"stage_{person['stage']}"
    elif "reply" in kinds or "unsubscribe" in kinds:
        # A conversation started (or was refused): no new sequence starts on its own.
        reason = "replied" if "reply" in kinds else "unsubscribed"
    if reason:
        state.add("skipped")
        state.add(f"skipped_{reason}")
        return False
    return True


def _leave(
    store: Store, state: RunState, member: Member | None, person: dict[str, Any],
    ledger: _Ledger,
) -> None:
    """A member whose segment changed (enriched since) leaves the other segment's sequence."""
    if member is None or member.status != "active":
        return
    reason = f"segment now {_segment(person)}"
    now = utc_now()
    store.conn.execute(
        "UPDATE sequence_members SET status = 'stopped', reason = ?, updated_at = ?"
        " WHERE person_id = ? AND sequence = ?", (reason, now, member.person_id, member.sequence),
    )
    store.conn.execute(
        "UPDATE planned_touches SET status = 'stopped', reason = ?, updated_at = ?"
        " WHERE person_id = ? AND sequence = ? AND status IN ('planned', 'skipped')",
        (reason, now, member.person_id, member.sequence),
    )
    member.status = "stopped"
    ledger.emails[member.person_id] = [
        (t, s) for t, s in ledger.emails[member.person_id] if s != member.sequence
    ]
    state.add("members_stopped")


def _in_segment(person: dict[str, Any], sequence: Sequence) -> bool:
    if sequence.segment == ANY_SEGMENT:
        return True
    return sequence.segment in person["tags"]


def _plan_member(
    store: Store, state: RunState, person: dict[str, Any], sequence: Sequence,
    member: Member | None, ledger: _Ledger, kinds: dict[str, set[str]],
    phone_zones: dict[str, tuple[str, ...]], calendar: SendCalendar, settings: Any, cap: int,
    per_week: int, start: date | None, anchor_default: date, render: bool = True,
) -> None:
    pid = person["id"]
    plan_hash = sequence.content_hash if render else f"{sequence.content_hash}:unrendered"
    usable = [s for s in sequence.steps if _usable(person, s.channel)]
    if member is not None:
        # A channel that stopped being usable (an address found invalid…) takes its
        # planned touches with it.
        for channel in ("email", "call", "linkedin"):
            if (pid, sequence.name, channel) in ledger.channels and not _usable(
                person, channel
            ):
                store.conn.execute(
                    "UPDATE planned_touches SET status = 'skipped', reason = ?, updated_at = ?"
                    " WHERE person_id = ? AND sequence = ? AND channel = ?"
                    " AND status = 'planned'",
                    (f"no usable {channel}", utc_now(), pid, sequence.name, channel),
                )
    if not usable:
        state.add("skipped")
        state.add("skipped_no_usable_channel")
        return
    if member is not None:
        same_start = start is None or start == member.anchor
        if same_start and member.sequence_hash == plan_hash:
            state.add("members_kept")
            return
    company = person["company"] or {}
    country = person["country"] or company.get("country") or phone_region(person["phone"])
    zone = zone_for(
        phone=person["phone"], phone_zones=phone_zones.get(person["phone"] or ""),
        country=person["country"], region=person["region"],
        company_country=company.get("country"),
    )
    anchor = start or (member.anchor if member else anchor_default)
    sent = {
        row[0]: row[1] for row in store.conn.execute(
            "SELECT step, due FROM planned_touches WHERE person_id = ? AND sequence = ?"
            " AND status = 'sent'", (pid, sequence.name),
        )
    }
    company_key = _company_key(person)
    begin = calendar.next_send_day(anchor, country)
    if not sent:
        begin = _company_week(ledger, company_key, pid, begin, per_week, calendar, country)
    touches = _timeline(
        person, sequence, begin, sent, zone, country, calendar, ledger, cap, kinds.get(pid, set())
    )
    try:
        if render:
            _render(person, sequence, touches, settings)
    except MissingVariable as exc:
        _quarantine(store, state, person, sequence, exc)
        return
    # The new plan replaces the unsent part of the old one.
    store.conn.execute(
        "DELETE FROM planned_touches WHERE person_id = ? AND sequence = ? AND status != 'sent'",
        (pid, sequence.name),
    )
    sent_emails = [
        (datetime.fromisoformat(due).astimezone(UTC), sequence.name)
        for step, due in sent.items()
        if step <= len(sequence.steps) and sequence.steps[step - 1].channel == "email"
    ]
    ledger.emails[pid] = [
        (t, s) for t, s in ledger.emails[pid] if s != sequence.name
    ] + sent_emails
    now = utc_now()
    for touch in touches:
        store.conn.execute(
            "INSERT INTO planned_touches (id, person_id, sequence, step, step_name, channel,"
            " condition, due, due_utc, status, reason, template, subject, body, output_hash,"
            " run_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (touch.id, pid, sequence.name, touch.step, touch.step_name, touch.channel,
             touch.condition, touch.due.isoformat(timespec="seconds"), _to_utc(touch.due),
             touch.status, touch.reason, touch.template, touch.subject, touch.body,
             touch.output_hash, state.run_id, now),
        )
        if touch.channel == "email" and touch.status in COUNTED:
            ledger.emails[pid].append((touch.due.astimezone(UTC), sequence.name))
        state.add(f"touches_{touch.status}")
    if member is not None and company_key:
        ledger.starts[(company_key, _week(member.start))].discard(pid)
    if company_key:
        ledger.starts[(company_key, _week(begin))].add(pid)
    store.conn.execute(
        "INSERT INTO sequence_members (person_id, sequence, segment, company_key, anchor_date,"
        " start_date, time_zone, country, status, reason, sequence_hash, run_id, added_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', NULL, ?, ?, ?, ?)"
        " ON CONFLICT(person_id, sequence) DO UPDATE SET company_key = excluded.company_key,"
        " anchor_date = excluded.anchor_date, start_date = excluded.start_date,"
        " time_zone = excluded.time_zone, country = excluded.country,"
        " sequence_hash = excluded.sequence_hash, run_id = excluded.run_id,"
        " updated_at = excluded.updated_at",
        (pid, sequence.name, _segment(person), company_key, anchor.isoformat(),
         begin.isoformat(), zone, country, plan_hash, state.run_id, now, now),
    )
    state.add("members_replanned" if member is not None else "members_added")
    state.add("written")


def _segment(person: dict[str, Any]) -> str | None:
    return next((t for t in (ENRICHED, NON_ENRICHED) if t in person["tags"]), None)


def _company_week(
    ledger: _Ledger, company_key: str | None, pid: str, begin: date, per_week: int,
    calendar: SendCalendar, country: str | None,
) -> date:
    """The first send day of the earliest week the company still has room in."""
    if not company_key:
        return begin
    for _ in range(520):
        started = ledger.starts[(company_key, _week(begin))] - {pid}
        if len(started) < per_week:
            return begin
        monday = begin - timedelta(days=begin.weekday()) + timedelta(days=7)
        begin = calendar.next_send_day(monday, country)
    return begin


def _timeline(
    person: dict[str, Any], sequence: Sequence, begin: date, sent: dict[int, str], zone: str,
    country: str | None, calendar: SendCalendar, ledger: _Ledger, cap: int, kinds: set[str],
) -> list[Touch]:
    pid = person["id"]
    emails = ledger.email_times(pid, sequence.name) + [
        datetime.fromisoformat(due) for step, due in sent.items()
        if step <= len(sequence.steps) and sequence.steps[step - 1].channel == "email"
    ]
    touches: list[Touch] = []
    previous: date | None = None
    for number, step in enumerate(sequence.steps, start=1):
        if number in sent:
            previous = datetime.fromisoformat(sent[number]).date()
            continue
        if previous is None:
            day = calendar.add_business_days(begin, step.delay_days, country)
        else:
            day = calendar.add_business_days(max(previous, begin), step.delay_days, country)
        day = calendar.next_send_day(day, country)
        key = f"{pid}|{sequence.name}|{number}"
        due = calendar.slot(day, zone, key)
        capped = False
        if step.channel == "email":
            for _ in range(_MAX_PUSHES):
                if _cap_ok(emails, due, cap):
                    break
                day = calendar.next_send_day(day + timedelta(days=1), country)
                due = calendar.slot(day, zone, key)
            else:
                capped = True  # never planned past the cap, however far it had to look
        previous = day
        if not _usable(person, step.channel):
            continue
        holds, why = _condition_holds(step.condition, kinds)
        if capped:
            holds, why = False, f"no send day within {_MAX_PUSHES} keeps {cap} emails in 30 days"
        touch = Touch(
            pid, sequence.name, number, sequence.step_name(number), step.channel,
            step.condition, due, "planned" if holds else "skipped", None if holds else why,
        )
        touches.append(touch)
        if step.channel == "email" and holds:
            emails.append(due)
    return touches


def _render(
    person: dict[str, Any], sequence: Sequence, touches: list[Touch], settings: Any
) -> None:
    base = template_context(person, settings, sequence=sequence.name) if touches else {}
    for touch in touches:
        step = sequence.steps[touch.step - 1]
        context = {**base, "step": touch.step}
        rendered = render_step(
            sequence.template_dirs, step.channel, step.template, step.fallback, context
        )
        if rendered is None:
            continue
        touch.template = rendered.template
        touch.subject = rendered.subject
        touch.body = rendered.body
        touch.output_hash = rendered.output_hash


def _quarantine(
    store: Store, state: RunState, person: dict[str, Any], sequence: Sequence,
    exc: MissingVariable,
) -> None:
    name = person["full_name"] or person["id"]
    reason = (
        f"sequence '{sequence.name}': template '{exc.template}' needs '{exc.variable}', "
        f"which {name} ({person['id']}) has no value for"
    )
    digest = hashlib.sha1(
        f"{person['id']}|{sequence.name}|{reason}".encode(), usedforsecurity=False
    ).hexdigest()
    store.add_quarantine([{
        "id": f"sequence:{digest[:24]}", "source": f"sequence:{sequence.name}", "row": None,
        "field": exc.variable, "reason": reason,
        "raw": dumps({"person_id": person["id"], "template": exc.template}),
        "run_id": state.run_id, "created_at": utc_now(),
    }])
    state.add("quarantined")


def refresh_conditions(
    store: Store, person_ids: Iterable[str] | None = None, *, cap: int = 3
) -> int:
    """Re-read conditional touches against the activities known now (results imported).

    A touch whose condition now holds is planned again only if the email cap allows it.
    Returns how many touches changed between ``planned`` and ``skipped``.
    """
    kinds = _activity_kinds(store)
    ledger = _load_ledger(store)
    ids = list(person_ids) if person_ids is not None else list(kinds)
    now = utc_now()
    changed = 0
    for chunk in chunked(ids, 500):
        marks = ", ".join("?" for _ in chunk)
        for touch_id, person_id, sequence, channel, due_utc, condition, status in (
            store.conn.execute(
                "SELECT id, person_id, sequence, channel, due_utc, condition, status"
                f" FROM planned_touches WHERE person_id IN ({marks}) AND condition != 'always'"
                " AND (status = 'planned' OR (status = 'skipped' AND reason LIKE 'condition %'))",
                chunk,
            ).fetchall()
        ):
            holds, why = _condition_holds(condition, kinds.get(person_id, set()))
            if holds and status == "skipped" and channel == "email":
                due = datetime.fromisoformat(due_utc)
                if not _cap_ok([t for t, _ in ledger.emails[person_id]], due, cap):
                    holds, why = False, f"condition {condition}: holds, but {cap} emails in 30 days"
                else:
                    ledger.emails[person_id].append((due, sequence))
            wanted = "planned" if holds else "skipped"
            if wanted != status:
                changed += 1
                store.conn.execute(
                    "UPDATE planned_touches SET status = ?, reason = ?, updated_at = ?"
                    " WHERE id = ?", (wanted, None if holds else why, now, touch_id),
                )
    return changed


def _summarise(store: Store, state: RunState, sequences: list[Sequence]) -> None:
    for sequence in sequences:
        members, touches = store.conn.execute(
            "SELECT count(DISTINCT m.person_id), count(t.id) FROM sequence_members AS m"
            " LEFT JOIN planned_touches AS t ON t.person_id = m.person_id"
            " AND t.sequence = m.sequence AND t.status = 'planned'"
            " WHERE m.sequence = ? AND m.status = 'active'", (sequence.name,),
        ).fetchone()
        state.messages.append(
            f"{sequence.name} ({sequence.segment}): {members} active member(s), "
            f"{touches} planned touch(es)"
        )
