"""Survivorship rules on the facts of a golden record's members."""

from __future__ import annotations

import itertools

from dedupe.survivorship import apply_person_rules
from prospecting.models import Observation, group_fields

_AT = ["2026-01-01T00:00:00+00:00", "2026-02-01T00:00:00+00:00", "2026-03-01T00:00:00+00:00",
       "2026-04-01T00:00:00+00:00"]


def _golden(members: list[dict[str, str]], enriched_at: list[str] | None = None,
            emails: tuple[str, ...] = ()) -> dict:
    """The golden row apply_person_rules makes of members stated as given (member i at
    _AT[i]; their derived facts at ``enriched_at[i]``), with these addresses."""
    obs = []
    for i, facts in enumerate(members):
        for field, value in facts.items():
            derived = field in ("seniority", "department", "full_name")
            at = (enriched_at or _AT)[i] if derived else _AT[i]
            obs.append(Observation(f"p_{i}", field, value, "enricher:x" if derived else "csv:a",
                                   at, 0.9 if derived else 0.8, "r", None))
    groups = group_fields(obs)
    row = {f: groups[f][0].value if f in groups else None
           for f in ("first_name", "last_name", "full_name", "title", "seniority",
                     "department")}
    row.update(_emails=[{"value": e, "status": "unknown", "flags": []} for e in emails],
               _phones=[], email=None, phone=None)
    apply_person_rules(row, obs, {}, {}, groups)
    return row


def test_a_member_with_swapped_names_lends_neither():
    members = [
        {"first_name": "Nicolas", "last_name": "Masson", "full_name": "Nicolas Masson"},
        {"first_name": "N.", "last_name": "Masson", "full_name": "N. Masson"},
        {"first_name": "Masson", "last_name": "Nicolas", "full_name": "Masson Nicolas"},
        {"first_name": "Nicolas", "last_name": "Masson", "full_name": "Nicolas Masson"},
    ]
    for order in ([0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]):
        row = _golden([members[i] for i in order])
        assert (row["first_name"], row["last_name"], row["full_name"]) == (
            "Nicolas", "Masson", "Nicolas Masson")


def test_two_members_one_with_swapped_names():
    members = [{"first_name": "Pons", "last_name": "Agnès", "full_name": "Pons Agnès"},
               {"first_name": "Agnès", "last_name": "Pons", "full_name": "Agnès Pons"}]
    for order, enriched_at in (([0, 1], _AT[:2]), ([1, 0], _AT[:2]), ([0, 1], _AT[1::-1])):
        row = _golden([members[i] for i in order], enriched_at)
        assert (row["first_name"], row["last_name"], row["full_name"]) == (
            "Agnès", "Pons", "Agnès Pons")


def test_a_surname_from_every_member_spelling_the_given_name_kept():
    """The fullest given name comes from one member; the surname is still the best
    spelling among all the members whose given name is a spelling of it."""
    row = _golden([{"first_name": "J.-P.", "last_name": "Dupont"},
                   {"first_name": "J.-P.", "last_name": "Dupont"},
                   {"first_name": "Jean-Pierre", "last_name": "DUPONT"}])
    assert (row["first_name"], row["last_name"]) == ("Jean-Pierre", "Dupont")


def test_the_fullest_spelling_of_the_leading_name():
    row = _golden([{"first_name": "J.-P."}, {"first_name": "J.-P."},
                   {"first_name": "Jean-Pierre"}])
    assert row["first_name"] == "Jean-Pierre"
    row = _golden([{"last_name": "de La Fontaine"}, {"last_name": "DELAFONTAINE"},
                   {"last_name": "DELAFONTAINE"}])
    assert row["last_name"] == "de La Fontaine"
    # No name leads: the fullest, as before.
    assert _golden([{"last_name": "Dupont"}, {"last_name": "Dupont-Martin"}])[
        "last_name"] == "Dupont-Martin"


def test_seniority_and_department_follow_the_title_kept():
    """Whenever each member was enriched, the seniority is the kept title's."""
    members = [{"title": "Comptable", "seniority": "entry", "department": "finance"},
               {"title": "DAF", "seniority": "director", "department": "finance"},
               {"title": "Directeur commercial", "seniority": "director",
                "department": "sales"}]
    for enriched_at in (_AT[:3], _AT[:3][::-1]):
        row = _golden(members, enriched_at)
        assert (row["title"], row["seniority"], row["department"]) == (
            "Directeur commercial", "director", "sales")


def test_a_leading_name_without_letters_leaves_the_fullest():
    # Two members state a placeholder surname, one a real one: there is no spelling of
    # "—" to narrow to, so the fullest value is kept (this used to raise).
    members = [{"first_name": "Jean", "last_name": "—"}, {"first_name": "Jean", "last_name": "—"},
               {"first_name": "Jean", "last_name": "Dupont"}]
    assert _golden(members)["last_name"] == "Dupont"


def test_names_never_rest_on_when_each_member_was_stated():
    """The kept spelling is the same whichever member was stated or enriched first (a
    run stopped and run again states them at other times)."""
    def kept(members: list[dict[str, str]], field: str) -> set[str]:
        return {_golden([members[i] for i in order])[field]
                for order in itertools.permutations(range(len(members)))}

    # The surname spelled by most members among all of them, also when the given name
    # kept narrows the surname to two members who disagree (a typo).
    assert kept([{"first_name": "Fifi", "last_name": "Boyer"},
                 {"first_name": "Fifi", "last_name": "Bpyer"},
                 {"first_name": "Joséphine", "last_name": "Boyer"}], "last_name") == {"Boyer"}
    # The same letters: the spelling that keeps the words apart.
    assert kept([{"last_name": "Delafontaine"}, {"last_name": "de La Fontaine"}],
                "last_name") == {"de La Fontaine"}
    assert kept([{"first_name": "Jeanpierre"}, {"first_name": "Jean-Pierre"}],
                "first_name") == {"Jean-Pierre"}
    # Nothing tells two spellings apart: still one answer.
    assert len(kept([{"last_name": "Boyer"}, {"last_name": "Bpyer"}], "last_name")) == 1


def test_a_name_the_addresses_spell_wins_a_tie():
    # "Jnea" typed in one source, "Jean" in another, jean.dubois@ known: the greeting
    # says Jean, in whatever order the members come; the same for a surname. With no
    # address to tell, the choice is still the same every time.
    address = ("jean.dubois@initiatives.example",)
    for members in ([{"first_name": "Jnea", "last_name": "Dubois"},
                     {"first_name": "Jean", "last_name": "Dubois"}],
                    [{"first_name": "Jean", "last_name": "Dubios"},
                     {"first_name": "Jean", "last_name": "Dubois"}]):
        for order in ([0, 1], [1, 0]):
            row = _golden([members[i] for i in order], emails=address)
            assert (row["first_name"], row["last_name"]) == ("Jean", "Dubois")
        assert len({(row := _golden([members[i] for i in order]))["first_name"]
                    + row["last_name"] for order in ([0, 1], [1, 0])}) == 1


def test_a_civility_or_a_degree_is_no_part_of_the_name_kept():
    # "Dr. Paul" / "Martin PhD" from one source, "Paul" / "Martin" from another: the
    # greeting says Paul Martin. A generation stays (Jr.), and "M.-P." is initials.
    for order in ([0, 1], [1, 0]):
        members = [{"first_name": "Dr. Paul", "last_name": "Martin PhD"},
                   {"first_name": "Paul", "last_name": "Martin"}]
        row = _golden([members[i] for i in order])
        assert (row["first_name"], row["last_name"]) == ("Paul", "Martin")
        members = [{"first_name": "Maître Éric", "last_name": "Vidal"},
                   {"first_name": "Eric", "last_name": "Vidal"}]
        assert _golden([members[i] for i in order])["first_name"] == "Eric"
        members = [{"first_name": "Sam", "last_name": "Carter Jr."},
                   {"first_name": "Sam", "last_name": "Carter"}]
        assert _golden([members[i] for i in order])["last_name"] == "Carter Jr."
    assert _golden([{"first_name": "M.-P."}, {"first_name": "M.-P."},
                    {"first_name": "Marie-Pierre"}])["first_name"] == "Marie-Pierre"


def _email_of(entries: list[tuple[str, str, list[str]]]) -> str | None:
    row = {"first_name": None, "last_name": None, "full_name": None, "email": None,
           "phone": None, "_phones": [],
           "_emails": [{"value": v, "status": s, "flags": f} for v, s, f in entries]}
    apply_person_rules(row, [], {}, {}, {})
    return row["email"]


def test_the_work_address_before_a_personal_one_then_the_verified():
    # Ranked first, verified even: a free-mail address is the golden email only when the
    # record has no usable work address (B2B prospecting writes to the work one).
    assert _email_of([("jean.dupont@gmail.com", "valid", ["free"]),
                      ("j.dupont@acme.example", "unknown", [])]) == "j.dupont@acme.example"
    # Flagged or not (before the email check ran, the free-mail list tells).
    assert _email_of([("jean.dupont@orange.fr", "unknown", []),
                      ("j.dupont@acme.example", "unknown", [])]) == "j.dupont@acme.example"
    # Among work addresses, the verified one; an invalid one never.
    assert _email_of([("jean@acme.example", "unknown", []),
                      ("j.dupont@acme.example", "valid", []),
                      ("jd@gmail.com", "valid", ["free"])]) == "j.dupont@acme.example"
    assert _email_of([("j.dupont@acme.example", "invalid", []),
                      ("jean.dupont@gmail.com", "unknown", ["free"])]) == "jean.dupont@gmail.com"
    # A guess no server confirmed is no best email, work address or not.
    assert _email_of([("j.dupont@acme.example", "unknown", ["guessed"]),
                      ("jean.dupont@gmail.com", "unknown", ["free"])]) == "jean.dupont@gmail.com"


def test_a_name_with_its_umlauts_over_the_same_name_written_out():
    # "Juergen" has one letter more than "Jürgen" and says no more: the umlauts win,
    # as accents do, whichever member comes first.
    members = [{"first_name": "Juergen", "last_name": "Mueller"},
               {"first_name": "Jürgen", "last_name": "Müller"}]
    for order in ([0, 1], [1, 0]):
        row = _golden([members[i] for i in order])
        assert (row["first_name"], row["last_name"]) == ("Jürgen", "Müller")


def test_a_full_name_alone_written_in_capitals_or_surname_first_loses():
    # Full names only (no given-name or surname field yet): no word in capitals, then
    # the order the person's address spells, never the alphabet.
    members = [{"full_name": "O'NEIL Anne-Sophie"}, {"full_name": "Anne Sophie ONeil"},
               {"full_name": "ONeil Anne Sophie"}]
    for order in itertools.permutations(range(3)):
        row = _golden([members[i] for i in order],
                      emails=("anne-sophie.oneil@acme.example",))
        assert row["full_name"] == "Anne Sophie ONeil"


def test_a_mailbox_written_without_its_tag_is_the_email_kept():
    row = _golden([{"first_name": "Jean"}, {"first_name": "Jean"}],
                  emails=("jean.dupont+crm@acme.example", "Jean.Dupont@acme.example"))
    assert row["email"] == "Jean.Dupont@acme.example"
    row = _golden([{"first_name": "Jean"}], emails=("jean.dupont+crm@acme.example",))
    assert row["email"] == "jean.dupont+crm@acme.example"


def _golden_title(titles: list[tuple[str, str]]) -> str:
    """The title kept of members stating (title, time), one each, from one source."""
    obs = [Observation(f"p_{i}", "title", title, "csv:a", at, 0.8, "r", None)
           for i, (title, at) in enumerate(titles)]
    groups = group_fields(obs)
    row = {"title": groups["title"][0].value, "_emails": [], "_phones": [], "email": None,
           "phone": None}
    apply_person_rules(row, obs, {}, {}, groups)
    return row["title"]


def test_one_files_rows_keep_the_title_most_of_them_state():
    # One file's rows tie on source, time and confidence: the title most of them give,
    # not the one its text puts last in order.
    same = _AT[0]
    assert _golden_title([("CTO", same), ("Chief Technology Officer", same),
                          ("CTO", same)]) == "CTO"
    assert _golden_title([("Directeur commercial", same), ("Dir. commercial", same),
                          ("Directeur commercial", same), ("Sales director", same)]
                         ) == "Directeur commercial"
    # The newer title still wins ("recent"): a job changes.
    assert _golden_title([("CTO", _AT[0]), ("CTO", _AT[0]),
                          ("VP Engineering", _AT[1])]) == "VP Engineering"
    # No majority: the order as before.
    assert _golden_title([("CTO", same), ("Chief Technology Officer", same)]
                         ) == "Chief Technology Officer"
