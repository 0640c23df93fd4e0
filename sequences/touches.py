"""Reading planned touches back for exports: the dump's ``steps`` and first-step text.

Kept apart from the planner so an export loads neither Jinja2 nor the holiday tables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from prospecting.store import Store, chunked

__all__ = ["first_email_steps", "planned_steps"]

_LIVE = "('planned', 'sent')"


def planned_steps(store: Store, person_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Planned and sent touches per person, in due order: the dump's ``steps``."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for chunk in chunked(list(person_ids), 500):
        marks = ", ".join("?" for _ in chunk)
        for person_id, sequence, step, channel, due in store.conn.execute(
            "SELECT person_id, sequence, step, channel, due FROM planned_touches"
            f" WHERE person_id IN ({marks}) AND status IN {_LIVE}"
            " ORDER BY person_id, due_utc, sequence, step", chunk,
        ):
            found[person_id].append(
                {"sequence": sequence, "step": step, "channel": channel, "due": due}
            )
    return found


def first_email_steps(store: Store, person_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Each person's first email touch (lowest step, then earliest) with its rendered text
    and the prospect's time zone."""
    found: dict[str, dict[str, Any]] = {}
    for chunk in chunked(list(person_ids), 500):
        marks = ", ".join("?" for _ in chunk)
        for person_id, sequence, step, due, subject, body, zone in store.conn.execute(
            "SELECT t.person_id, t.sequence, t.step, t.due, t.subject, t.body, m.time_zone"
            " FROM planned_touches AS t JOIN sequence_members AS m"
            " ON m.person_id = t.person_id AND m.sequence = t.sequence"
            f" WHERE t.person_id IN ({marks}) AND t.status IN {_LIVE} AND t.channel = 'email'"
            " ORDER BY t.person_id, t.step, t.due_utc, t.sequence", chunk,
        ):
            found.setdefault(person_id, {
                "sequence": sequence, "step": step, "due": due, "subject": subject,
                "body": body, "time_zone": zone,
            })
    return found
