"""The enrich stage end to end on real SQLite files: fills, tags, and does no work twice."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prospecting import api
from tests.servers.dns_server import dns_server  # noqa: F401

from .conftest import DEMO, dump, write

pytest_plugins = ["tests.servers.smtp_server"]


def load_demo(db: Path) -> None:
    api.import_files(db, [DEMO / "crm_export.csv"], source="crm", id_column="Record ID")
    api.import_files(db, [DEMO / "salon_contacts.csv"], source="salon")


def count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def test_offline_enrich_fills_every_person_and_is_idempotent(db: Path):
    load_demo(db)
    report = api.enrich(db, offline=True)
    assert report.read == count(db, "SELECT count(*) FROM people")
    people = dump(db)
    for person in people:
        assert sum(t in ("enriched", "non-enriched") for t in person["tags"]) == 1
        for email in person["emails"]:
            assert email["status"] in ("valid", "risky", "invalid", "unknown")
            assert email["reason"] != "not verified yet"
        for phone in person["phones"]:
            assert phone["reason"] != "not checked yet"
            assert (phone["e164"] is None) == (phone["valid"] is not True)
    # What the enrichers found about one person in the run is one row.
    assert count(db, "SELECT count(*) FROM (SELECT entity_id FROM statements"
                     " WHERE source LIKE 'enricher%' AND source != 'enricher:finder'"
                     " GROUP BY entity_id HAVING count(*) > 1)") == 0
    assert count(db, "SELECT count(*) FROM statements WHERE source = 'enrichers'") > 100
    statements = count(db, "SELECT count(*) FROM statements")
    again = api.enrich(db, offline=True)
    assert again.read == 0
    assert count(db, "SELECT count(*) FROM statements") == statements


def _enriched_people(tmp_path: Path, db: Path, text: str) -> list[dict]:
    """Import ``text`` as a people file, enrich offline, and dump the people."""
    api.import_files(db, [write(tmp_path / "p.csv", text)])
    api.enrich(db, offline=True)
    return dump(db)


def test_a_full_name_written_surname_first_is_split_as_its_address_writes(tmp_path: Path,
                                                                         db: Path):
    # One "Nom Prénom" column, as French CRMs export it: the given name is the one the
    # person's address opens on; without such an address, the name's order stays.
    people = _enriched_by(tmp_path, db, "email", "Nom complet,Email\n"
                          "Martin Sophie,sophie.martin@beta.example\n"
                          "Dupont Marie,mdupont@acme.example\n"
                          "Petit Jeanne,contact@acme.example\n", ("first_name", "last_name"))
    assert people == {"sophie.martin@beta.example": ("Sophie", "Martin"),
                      "mdupont@acme.example": ("Marie", "Dupont"),
                      "contact@acme.example": ("Petit", "Jeanne")}


def _enriched_by(tmp_path: Path, db: Path, key: str, text: str,
                 fields: tuple[str, ...] = ()) -> dict[str, Any]:
    """:func:`_enriched_people` by ``key``: each person whole, or these ``fields`` of them."""
    return {p[key]: tuple(p[f] for f in fields) if fields else p
            for p in _enriched_people(tmp_path, db, text)}


def test_offline_enrich_results(tmp_path: Path, db: Path):
    people = _enriched_by(
        tmp_path, db, "last_name",
        "Prénom,Nom,E-mail,Téléphone,Fonction,Pays\n"
        "JEAN-PIERRE,DE LA FONTAINE,Jean-Pierre.Delafontaine@Kerlann.example,"
        "01 99 00 12 34,Directeur commercial,France\n"
        "Zoé,Martin,contact@lumenia.example,+44 20 7946 0123,CTO,Royaume-Uni\n"
        "Bob,Smith,c.vasseur@@filature,0612,Stagiaire,France\n")
    jp = people["de La Fontaine"]
    assert jp["first_name"] == "Jean-Pierre"
    assert jp["seniority"] == "director"
    assert jp["department"] == "sales"
    assert jp["phone"] == "+33199001234"
    assert jp["emails"][0]["status"] == "unknown"  # offline: the domain was not checked
    zoe = people["Martin"]
    assert zoe["emails"][0]["status"] == "risky"
    assert "role" in zoe["emails"][0]["flags"]
    assert zoe["phone"] == "+442079460123"
    assert zoe["seniority"] == "c_suite"
    assert zoe["department"] in ("engineering", "executive")
    bob = people["Smith"]
    assert bob["emails"][0]["status"] == "invalid"
    assert bob["email"] is None
    assert bob["phones"][0]["valid"] is False
    assert bob["phones"][0]["e164"] is None
    assert bob["seniority"] == "intern"


def test_an_address_and_its_normalised_form_are_one_entry(tmp_path: Path, db: Path):
    # The IDNA form of a domain, full-width letters: the enricher's normalised address
    # is the same mailbox as the one written, not a second address beside it.
    people = _enriched_people(tmp_path, db,
                              "Name,Email\n"
                              "Jean Dupont,jean@xn--socit-esab.example\n"
                              "Anne Roy,ａｎｎｅ＠ａｃｍｅ．ｅｘａｍｐｌｅ\n"
                              "Léa Petit,Lea.Petit@Acme.EXAMPLE\n")
    emails = {p["full_name"]: [e["value"] for e in p["emails"]] for p in people}
    assert emails == {"Jean Dupont": ["jean@société.example"], "Anne Roy": ["anne@acme.example"],
                      "Léa Petit": ["Lea.Petit@acme.example"]}


def test_a_job_title_after_the_name_is_the_title_when_none_is_given(tmp_path: Path,
                                                                    db: Path):
    people = _enriched_by(tmp_path, db, "last_name",
                          "Name,Email,Title\n"
                          "Luc Bernard - CEO,luc@acme.example,\n"
                          "Julie Martin | Head of Sales,julie@acme.example,\n"
                          "Jean Dupont - Acme SAS,jean@acme.example,\n"  # not a title
                          "Anne Lee - CEO,anne@acme.example,Office Manager\n",  # a stated one
                          ("title", "seniority", "department"))
    assert people == {
        "Bernard": ("CEO", "c_suite", "executive"),
        "Martin": ("Head of Sales", "head", "sales"),
        "Dupont": (None, None, None),
        "Lee": ("Office Manager", "manager", "operations"),
    }
    assert api.enrich(db, offline=True).written == 0  # nothing more


def test_a_town_in_capitals_is_written_as_its_name_is_in_files_for_tools(
        tmp_path: Path, db: Path):
    # The store keeps the town as each source wrote it (a golden record's choice rests on
    # those values, never on when they were cased); a tool's file writes it as the name
    # is written, and so do templates. A company's town is cased by enrich.
    path = write(tmp_path / "crm.csv",
                 "Name,Email,City,Company\n"
                 "Luc Bernard,luc@acme.example,AIX-EN-PROVENCE,Acme SAS\n"
                 "Julie Martin,julie@acme.example,les sables-d'olonne,Acme SAS\n"
                 "Jean Dupont,jean@acme.example,Saint-étienne,Acme SAS\n")
    api.import_files(db, [path], source="crm")
    api.enrich(db, offline=True)
    assert sorted(p["city"] for p in dump(db)) == [
        "AIX-EN-PROVENCE", "Saint-étienne", "les sables-d'olonne"]
    out = tmp_path / "hubspot.csv"
    api.export(db, format="hubspot", out=out)
    cities = {r["Email"]: r["City"] for r in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert cities == {"luc@acme.example": "Aix-en-Provence",
                      "julie@acme.example": "Les Sables-d'Olonne",
                      "jean@acme.example": "Saint-étienne"}
    path = write(tmp_path / "companies.csv", "Company,Website,City\nGlobex SAS,globex.example,"
                 "CHALON-SUR-SAÔNE\n")
    api.import_files(db, [path], kind="companies")
    api.enrich(db, offline=True)
    (company,) = [c for c in dump(db, "--kind", "companies") if c["name"] == "Globex SAS"]
    assert company["city"] == "Chalon-sur-Saône"


def test_a_team_in_the_name_column_is_the_title_when_none_is_given(tmp_path: Path,
                                                                    db: Path):
    people = _enriched_by(tmp_path, db, "full_name",
                          "Name,Email,Phone,Title,Company\n"
                          "Service comptabilité,compta@acme.example,01 42 68 53 00,,Acme\n"
                          "Ressources Humaines,rh@acme.example,,Assistante RH,Acme\n"  # stated
                          "Accueil,accueil@acme.example,,,Acme\n",  # no role it names
                          ("first_name", "title", "department"))
    assert people == {
        "Service comptabilité": (None, "Service comptabilité", "finance"),
        "Ressources Humaines": (None, "Assistante RH", "hr"),
        "Accueil": (None, None, None),
    }
    assert api.enrich(db, offline=True).written == 0  # nothing more


def test_a_person_without_a_country_gets_their_phone_numbers(tmp_path: Path, db: Path):
    people = {p["full_name"]: p["country"] for p in _enriched_people(
        tmp_path, db,
        "Name,Email,Phone,Country\n"
        "Jean Dupont,jean@acme.example,+33 6 12 34 56 78,\n"
        "Ann Lee,ann@y.example,+44 20 7946 0958,Ireland\n"
        "Bob Ray,bob@z.example,06 12 34 56 78,\n"
        "Hans Meier,hans@web.de,,\n"
        "Eve Moe,eve@x.co.uk,+33 6 12 34 56 78,\n")}
    # Ann's own country stands; Bob's national number has no country to give, nor his
    # address; Hans has no number, so his address's country code; Eve's number wins.
    assert people == {"Jean Dupont": "FR", "Ann Lee": "IE", "Bob Ray": None,
                      "Hans Meier": "DE", "Eve Moe": "FR"}
    assert api.enrich(db, offline=True).read == 0


def test_a_number_written_with_its_country_code_and_no_plus(tmp_path: Path, db: Path):
    # Brevo's SMS column writes the country code without its +: a French mobile, and the
    # country it gives the person; a national number with no country stays unread.
    people = _enriched_by(tmp_path, db, "last_name",
                          "EMAIL,PRENOM,NOM,SMS\n"
                          "ophelie@eolys.example,Ophélie,Descamps,33673291486\n"
                          "bruno@hexvia.example,Bruno,Dupuis,4917655384107\n"
                          "marc@hexvia.example,Marc,Roy,612345678\n")
    ophelie, bruno, marc = people["Descamps"], people["Dupuis"], people["Roy"]
    assert [(p["e164"], p["type"]) for p in ophelie["phones"]] == [("+33673291486", "mobile")]
    assert (ophelie["phone"], ophelie["country"]) == ("+33673291486", "FR")
    assert (bruno["phone"], bruno["country"]) == ("+4917655384107", "DE")
    assert (marc["phone"], marc["phones"][0]["reason"]) == (None, "unknown_region")


def test_a_number_written_two_ways_is_one_phone_with_both_sources(tmp_path: Path,
                                                                   db: Path):
    # Apollo's "Work Direct Phone" and "Mobile Phone" holding one number, once checked
    # (national and international writings), or already alike when imported.
    people = _enriched_by(
        tmp_path, db, "last_name",
        "First Name,Last Name,Email,Work Direct Phone,Mobile Phone,Corporate Phone,Country\n"
        "Jean,Dupont,jean@acme.example,06 12 34 56 78,+33 6 12 34 56 78,"
        "+33 1 42 68 53 00,France\n"
        "Anne,Roy,anne@acme.example,+33612345679,+33 6 12 34 56 79,,France\n")
    jean, anne = people["Dupont"], people["Roy"]
    assert [(p["e164"], p["type"]) for p in jean["phones"]] == [("+33612345678", "mobile")]
    assert jean["phone"] == "+33612345678"
    assert [p["e164"] for p in anne["phones"]] == ["+33612345679"]
    assert api.enrich(db, offline=True).read == 0  # nothing to check again


def test_every_number_of_a_phone_cell_is_kept_but_a_fax(tmp_path: Path, db: Path):
    people = _enriched_by(
        tmp_path, db, "last_name",
        "first_name,last_name,email,phone,country\n"
        'Jean,Dupont,jean@acme.example,"Tél : 01 42 68 53 00 / Mobile : 06 12 34 56 78",FR\n'
        'Anne,Roy,anne@acme.example,"Tél : 01 42 68 53 00 / Fax : 01 42 68 53 01",FR\n'
        "Luc,Petit,luc@acme.example,+33 1 42 68 53 00 poste 123,FR\n")
    jean = people["Dupont"]
    assert jean["phone"] == "+33142685300"  # the cell's first number leads
    assert [(p["e164"], p["type"]) for p in jean["phones"]] == [
        ("+33142685300", "fixed_line"), ("+33612345678", "mobile")]
    assert [p["e164"] for p in people["Roy"]["phones"]] == ["+33142685300"]
    assert [p["e164"] for p in people["Petit"]["phones"]] == ["+33142685300"]
    assert api.enrich(db, offline=True).read == 0  # nothing more to do


def _enriched_companies(tmp_path: Path, db: Path, columns: str, text: str) -> list[tuple]:
    """Import ``text`` as a companies file, enrich offline, and read ``columns`` back."""
    api.import_files(db, [write(tmp_path / "c.csv", text)], kind="companies")
    api.enrich(db, offline=True)
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT {columns} FROM companies").fetchall()
    finally:
        conn.close()


def test_a_company_without_a_country_gets_one_from_its_siren_or_domain(tmp_path: Path,
                                                                       db: Path):
    found = {name: country for name, country in _enriched_companies(
        tmp_path, db, "name, country",
        "Raison sociale,SIREN,Site web,Pays\n"
        "Lumenia SAS,732 829 320,https://lumenia.example,\n"
        "Acme GmbH,,https://acme.de,\n"
        "Start Io,,https://start.io,\n"
        "Maple Ltd,,https://maple.co.uk,Canada\n")}
    # .io is sold worldwide; Maple's own country stands.
    assert found == {"Lumenia SAS": "FR", "Acme GmbH": "DE", "Start Io": None,
                     "Maple Ltd": "CA"}


def test_a_company_number_written_nationally_is_read_in_its_country(tmp_path: Path,
                                                                    db: Path):
    # A company's row keeps E.164 numbers: "04 72 00 11 22" is one once the company's
    # country is known (stated, or from its SIREN or domain), and stays out while it
    # is not (Lyon alone says no country).
    found = dict(_enriched_companies(
        tmp_path, db, "name, phones",
        "Raison sociale,SIREN,Site web,Pays,Téléphone\n"
        "Lumenia SAS,732 829 320,,,04 72 00 11 22\n"
        "Acme GmbH,,https://acme.de,,030 1234567\n"
        "Maple Ltd,,,Canada,(416) 555-0123\n"
        "Atelier Rhône,,,,04 78 00 11 22\n"
        "Globex,,,,+33 1 40 00 00 01\n"))
    assert {name: json.loads(phones) for name, phones in found.items()} == {
        "Lumenia SAS": ["+33472001122"], "Acme GmbH": ["+49301234567"],
        "Maple Ltd": ["+14165550123"], "Atelier Rhône": [], "Globex": ["+33140000001"]}


def test_an_invalid_company_identifier_is_kept_with_why(tmp_path: Path, db: Path):
    # 8 digits: a spreadsheet dropped the SIREN's leading zero. Flagged, never "repaired".
    found = {name: (siren, json.loads(ids)) for name, siren, ids in _enriched_companies(
        tmp_path, db, "name, siren, legal_ids",
        "Raison sociale,SIREN,SIRET,TVA\n"
        "Lumenia SAS,732 829 320,,\n"
        "Orbe SARL,12345678,,\n"
        "Kerlann SAS,,55203253400646,FR00552032534\n")}
    assert found["Lumenia SAS"] == ("732829320", {"siren": "732829320"})
    assert found["Orbe SARL"] == ("12345678", {"siren": "12345678",
                                              "invalid": {"siren": "invalid_length"}})
    siren, ids = found["Kerlann SAS"]
    assert siren == "552032534"  # from the SIRET
    assert ids["invalid"] == {"vat": "invalid_checksum"}
    assert api.enrich(db, offline=True).details.get("statements_added", 0) == 0


def test_a_company_domain_guessed_from_addresses_does_not_hang_on_their_checks(
        tmp_path: Path, db: Path):
    """Every address stated for a company's people votes, valid or not: finding some
    invalid (here at a reserved ``.test`` domain) never turns a tie into a majority, so
    a run stopped half-way through the people and resumed guesses what one run does."""
    import shutil

    from enrichers.pipeline import _people_email_domains

    rows = ["First Name,Last Name,Email,Company"]
    rows += [f"A{i},Lee,a{i}@kerlann.example,Kerlann" for i in range(3)]
    rows += [f"B{i},Lee,b{i}@kerlann.test,Kerlann" for i in range(3)]
    rows += [f"C{i},Ray,c{i}@lumenia.example,Lumenia" for i in range(3)]
    rows += ["D0,Ray,d0@gmail.com,Lumenia", "E0,Ray,e0@other.example,Lumenia"]
    api.import_files(db, [write(tmp_path / "p.csv", "\n".join(rows) + "\n")])
    before = tmp_path / "before.db"
    shutil.copy(db, before)
    api.enrich(db, offline=True)
    conn = sqlite3.connect(db)
    domains = dict(conn.execute("SELECT name, domain FROM companies"))
    ids = [r[0] for r in conn.execute("SELECT id FROM companies ORDER BY name")]
    conn.close()
    # Three of six addresses are no majority; gmail.com is no company's domain.
    assert domains == {"Kerlann": None, "Lumenia": "lumenia.example"}
    from prospecting.store import Store

    with Store(before) as first, Store(db) as after:
        assert _people_email_domains(first, ids) == _people_email_domains(after, ids)


def test_a_domain_guessed_from_addresses_gives_the_company_its_country_at_once(
        tmp_path: Path, db: Path):
    """The country a guessed .de domain says comes with the guess, not from a second
    look at the company once the domain is stored (which rewrote all its people)."""
    api.import_files(db, [write(tmp_path / "p.csv",
                                "First Name,Last Name,Email,Company\n"
                                "Anna,Lang,anna.lang@kessler.de,Kessler\n"
                                "Jörg,Maier,joerg.maier@kessler.de,Kessler\n")])
    api.enrich(db, offline=True)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT domain, country FROM companies").fetchall() == [
            ("kessler.de", "DE")]
        facts = [json.loads(f) for (f,) in conn.execute(
            "SELECT facts FROM statements WHERE source = 'enricher:company'")]
    finally:
        conn.close()
    assert [[fact[:2] for fact in f] for f in facts] == [
        [["domain", "kessler.de"], ["country", "DE"]]]
    assert api.enrich(db, offline=True).details.get("statements_added", 0) == 0


def _by_index_and_by_scan(monkeypatch, read: Callable[[], Any]) -> tuple[Any, Any]:
    """What ``read`` gives when the people of companies are looked up by the index, then
    when they are found by one pass over the table (see ``_at_companies``)."""
    from enrichers import pipeline

    by_index = read()
    monkeypatch.setattr(pipeline, "_SCAN_FROM", 1)
    return by_index, read()


def test_people_s_addresses_read_by_index_or_by_scan_vote_alike(tmp_path: Path, db: Path,
                                                                 monkeypatch):
    from enrichers import pipeline
    from prospecting.store import Store

    api.import_files(db, [write(tmp_path / "p.csv",
                                "First Name,Email,Company\n"
                                "Ana,ana@acme.fr,Acme\nBob,bob@acme.fr,Acme\n"
                                "Cy,cy@gmail.com,Acme\nDi,di@globex.example,Globex\n"
                                "Ed,ed@initech.example,Initech\nFlo,flo@other.example,Initech\n")])
    with Store(db) as store:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM companies")]
        by_index, by_scan = _by_index_and_by_scan(
            monkeypatch, lambda: pipeline._people_email_domains(store, ids))
        names = dict(store.conn.execute("SELECT id, name FROM companies"))
    assert {k: sorted(v) for k, v in by_index.items()} == {
        k: sorted(v) for k, v in by_scan.items()}
    assert {names[k]: sorted(v) for k, v in by_scan.items()} == {
        "Acme": ["acme.fr", "acme.fr"], "Globex": ["globex.example"],
        "Initech": ["initech.example", "other.example"]}


def test_people_at_companies_found_by_index_or_by_scan_alike(tmp_path: Path, db: Path,
                                                             monkeypatch):
    from enrichers import pipeline
    from prospecting.store import Store

    api.import_files(db, [write(tmp_path / "p.csv",
                                "First Name,Email,Company\n"
                                "Ana,ana@acme.fr,Acme\nBob,bob@acme.fr,Acme\n"
                                "Di,di@globex.example,Globex\nEd,ed@initech.example,Initech\n"
                                "Flo,,\n")])
    with Store(db) as store:
        names = dict(store.conn.execute("SELECT name, id FROM companies"))
        wanted = {names["Acme"], names["Initech"]}
        by_index, by_scan = _by_index_and_by_scan(monkeypatch, lambda: {
            pid for _, pid in pipeline._at_companies(store, wanted, "id", active=False)})
        found = {first for pid, first in store.conn.execute(
            "SELECT id, first_name FROM people") if pid in by_scan}
    assert by_index == by_scan
    assert found == {"Ana", "Bob", "Ed"}


def test_a_legal_form_column_is_read_as_names_give_it(tmp_path: Path, db: Path):
    api.import_files(db, [write(tmp_path / "c.csv",
                                "Raison sociale,Forme juridique,Site web\n"
                                "Acme,Société par actions simplifiée,acme.fr\n"
                                "Globex SARL,SAS,globex.fr\n"  # the name's own form wins
                                "Initech,5499,initech.fr\n"  # an INSEE legal category
                                "Umbrella,Coopérative agricole,umbrella.fr\n"
                                "Hooli,sa,hooli.fr\n")], kind="companies")
    api.import_files(db, [write(tmp_path / "p.csv",
                                "Prénom,Nom,Entreprise,Forme juridique,Site web\n"
                                "Jean,Roy,Vandelay,Société à responsabilité limitée,"
                                "vandelay.fr\n")])
    api.enrich(db, offline=True)
    conn = sqlite3.connect(db)
    forms = dict(conn.execute("SELECT name, legal_form FROM companies"))
    conn.close()
    assert forms == {"Acme": "SAS", "Globex SARL": "SARL", "Initech": "SARL",
                     "Umbrella": "Coopérative agricole", "Hooli": "SA", "Vandelay": "SARL"}
    assert api.enrich(db, offline=True).details.get("companies_enriched", 0) == 0


def test_changed_input_is_enriched_again(tmp_path: Path, db: Path):
    first = write(tmp_path / "a.csv", "Record ID,First Name,Email\n1,ana,ana@x.example\n")
    api.import_files(db, [first], source="crm", id_column="Record ID")
    api.enrich(db, offline=True)
    later = write(tmp_path / "a.csv", "Record ID,First Name,Email\n1,ana,ANA@y.example\n")
    api.import_files(db, [later], source="crm", id_column="Record ID")
    assert api.enrich(db, offline=True).read == 1


def test_a_newer_enricher_version_enriches_everyone_again(db: Path):
    from enrichers import pipeline

    load_demo(db)
    people = count(db, "SELECT count(*) FROM people WHERE merged_into IS NULL")
    api.enrich(db, offline=True)
    before = dump(db)
    # As a store enriched by an older release: its work done by another version.
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE work_log SET version = '0' WHERE component = ?",
                     (pipeline.OFFLINE,))
    conn.close()
    assert api.enrich(db, offline=True).read == people
    assert dump(db) == before  # the same enrichers: the same people
    assert api.enrich(db, offline=True).read == 0


def test_people_of_a_company_enriched_anew_are_refreshed(tmp_path: Path, db: Path):
    """A person nothing new is known about is still re-derived when their company changed
    in the run (here it gains a legal form from a registry's name)."""
    people = write(tmp_path / "crm.csv",
                   "Record ID,First Name,Last Name,Email,Company,Website\n"
                   "1,Ana,Diaz,ana@acme.example,Acme,https://acme.example\n"
                   "2,Bob,Ray,bob@other.example,Other,https://other.example\n")
    api.import_files(db, [people], source="crm", id_column="Record ID")
    api.enrich(db, offline=True)
    registry = write(tmp_path / "registry.csv", "Company,Website\nAcme SAS,https://acme.example\n")
    api.import_files(db, [registry], source="registry", kind="companies")

    def stamps() -> dict[str, str]:
        conn = sqlite3.connect(db)
        try:
            return dict(conn.execute("SELECT first_name, updated_at FROM people"))
        finally:
            conn.close()

    before = stamps()
    report = api.enrich(db, offline=True)
    after = stamps()
    assert report.read == 0  # nobody's own input changed
    assert after["Ana"] > before["Ana"]
    assert after["Bob"] == before["Bob"]
    assert count(db, "SELECT count(*) FROM companies WHERE legal_form = 'SAS'") == 1


def test_status_counts_email_statuses(db: Path):
    load_demo(db)
    api.enrich(db, offline=True)
    info = api.status(db)
    assert sum(info["email_status"].values()) == info["tables"]["people"]
    assert info["email_status"].get("invalid", 0) >= 1


def test_online_enrich_with_local_dns(tmp_path: Path, db: Path, dns_server, run):  # noqa: F811
    config = write(tmp_path / "p.toml",
                   f'[dns]\nnameservers = ["127.0.0.1"]\nport = {dns_server.port}\n'
                   "timeout_s = 0.3\n")
    path = write(tmp_path / "p.csv",
                 "First Name,Last Name,Email\n"
                 "Ana,Lima,ana.lima@acme.example\n"
                 "Bob,Stone,bob@nullmx.example\n"
                 "Cy,Vale,cy@nxdomain.example\n"
                 "Di,Moss,di@aonly.example\n"
                 "Ed,Hart,ed@slow.example\n"
                 "Flo,Ray,contact@acme.example\n")
    run("import", db, path)
    before = dns_server.count("acme.example", "MX")
    result = run("enrich", db, "--config", config)
    assert result.exit_code == 0, result.output
    status = {p["first_name"]: p["emails"][0] for p in dump(db)}
    assert status["Ana"]["status"] == "valid"
    assert status["Bob"]["status"] == "invalid"
    assert status["Cy"]["status"] == "invalid"
    assert status["Di"]["status"] == "valid"
    assert status["Ed"]["status"] == "unknown"
    assert status["Flo"]["status"] == "risky"
    assert "role" in status["Flo"]["flags"]
    # Each verdict's machine-readable code and method (EV-1), in the store (the dump keeps
    # its contract's keys), and the lists the run used.
    conn = sqlite3.connect(db)
    stored = {first: json.loads(emails)[0] for first, emails in conn.execute(
        "SELECT first_name, emails FROM people")}
    options = json.loads(conn.execute(
        "SELECT options FROM runs WHERE command = 'enrich'").fetchone()[0])
    conn.close()
    assert {k: (v["code"], v["method"]) for k, v in stored.items()} == {
        "Ana": ("accepts_mail", "dns"), "Bob": ("null_mx", "dns"), "Cy": ("nxdomain", "dns"),
        "Di": ("accepts_mail", "dns"), "Ed": ("dns_timeout", "dns"), "Flo": ("role", "syntax"),
    }
    assert "disposable-email-domains" in options["lists"]
    assert "code" not in status["Ana"]
    assert api.status(db)["email_codes"]["accepts_mail"] == 2
    # One lookup per domain, and none at all on a second run: the answer is cached.
    assert dns_server.count("acme.example", "MX") - before == 1
    run("enrich", db, "--config", config)
    assert dns_server.count("acme.example", "MX") - before == 1


def test_a_verdict_older_than_90_days_keeps_the_address_out_until_checked_again(  # EV-9
        tmp_path: Path, db: Path, dns_server):  # noqa: F811
    config = write(tmp_path / "p.toml",
                   f'[dns]\nnameservers = ["127.0.0.1"]\nport = {dns_server.port}\n'
                   "timeout_s = 0.3\n")
    path = write(tmp_path / "p.csv", "First Name,Last Name,Email\n"
                                     "Ana,Lima,ana.lima@acme.example\n"
                                     "Bea,Roy,bea.roy@acme.example\n")
    api.import_files(db, [path], config=config)
    api.enrich(db, config=config)
    out = tmp_path / "lemlist.csv"
    assert api.export(db, format="lemlist", out=out, config=config).written == 2
    conn = sqlite3.connect(db)
    with conn:  # Ana was last checked 91 days ago
        conn.execute("UPDATE work_log SET done_at = '2020-01-01T00:00:00+00:00'"
                     " WHERE component = 'enrich.dns' AND entity_id ="
                     " (SELECT id FROM people WHERE first_name = 'Ana')")
    conn.close()
    report = api.export(db, format="lemlist", out=out, config=config)
    assert report.written == 1
    assert report.details["left out: email verdict older than 90 days (run enrich)"] == 1
    assert "ana.lima" not in out.read_text("utf-8")
    # The JSONL dump is the whole store: she is in it.
    assert api.export(db, format="jsonl", out=tmp_path / "all.jsonl").written == 2
    api.enrich(db, config=config)  # checked again: a month is enrich's own limit
    assert api.export(db, format="lemlist", out=out, config=config).written == 2


def test_offline_enrich_sends_no_dns_query(tmp_path: Path, db: Path, dns_server):  # noqa: F811
    config = write(tmp_path / "p.toml",
                   f'[dns]\nnameservers = ["127.0.0.1"]\nport = {dns_server.port}\n')
    path = write(tmp_path / "p.csv", "First Name,Email\nAna,ana@acme.example\n")
    api.import_files(db, [path])
    before = dns_server.total()
    api.enrich(db, offline=True, config=config)
    assert dns_server.total() == before


def test_finder_guesses_from_the_domain_pattern(tmp_path: Path, db: Path):
    path = write(tmp_path / "p.csv",
                 "First Name,Last Name,Email,Company,Website\n"
                 "Ana,Lima,ana.lima@kerlann.example,Kerlann SAS,https://www.kerlann.example\n"
                 "Bruno,Costa,bruno.costa@kerlann.example,Kerlann SAS,https://kerlann.example\n"
                 "Hélène,Dubois,helene.dubois@kerlann.example,Kerlann SAS,kerlann.example\n"
                 "Zoé,Martin,,Kerlann SAS,https://www.kerlann.example\n")
    api.import_files(db, [path])
    report = api.enrich(db, offline=True)
    assert report.details["emails_guessed"] == 1
    zoe = next(p for p in dump(db) if p["first_name"] == "Zoé")
    (guess,) = zoe["emails"]
    assert guess["value"] == "zoe.martin@kerlann.example"
    assert "guessed" in guess["flags"]
    assert guess["status"] == "unknown"
    assert "3" in guess["reason"]  # the evidence: three addresses fit first.last
    assert zoe["email"] is None  # a guess is not the best email until a server confirms it
    assert zoe["tags"] == ["non-enriched"]
    assert api.enrich(db, offline=True).details.get("emails_guessed", 0) == 0


def test_smtp_probe_through_the_configured_dns(tmp_path: Path, db: Path, dns_server, smtp,  # noqa: F811
                                               run):
    config = write(tmp_path / "p.toml",
                   f'[dns]\nnameservers = ["127.0.0.1"]\nport = {dns_server.port}\n'
                   "timeout_s = 0.5\n"
                   f'[smtp]\nport = {smtp.normal.port}\nhelo = "probe.example"\n'
                   'mail_from = "verify@probe.example"\ntimeout_s = 2.0\n')
    path = write(tmp_path / "p.csv",
                 "First Name,Last Name,Email\n"
                 "Jean,Dupont,jean.dupont@acme.example\n"
                 "No,Body,nobody@acme.example\n"
                 "Service,Client,contact@acme.example\n")
    run("import", db, path)
    result = run("enrich", db, "--smtp", "--config", config)
    assert result.exit_code == 0, result.output
    status = {p["first_name"]: p["emails"][0] for p in dump(db)}
    assert status["Jean"]["status"] == "valid"
    assert status["No"]["status"] == "invalid"
    assert status["Service"]["status"] == "risky"
    assert "role" in status["Service"]["flags"]
    assert "DATA" not in smtp.normal.log.verbs()


def test_greylisted_addresses_are_asked_again_next_run(tmp_path: Path, db: Path, dns_server,  # noqa: F811
                                                       smtp, run):
    config = write(tmp_path / "p.toml",
                   f'[dns]\nnameservers = ["127.0.0.1"]\nport = {dns_server.port}\n'
                   "timeout_s = 0.5\n"
                   f'[smtp]\nport = {smtp.greylist.port}\nhelo = "probe.example"\n'
                   'mail_from = "verify@probe.example"\ntimeout_s = 2.0\n')
    path = write(tmp_path / "p.csv",
                 "First Name,Last Name,Email\nJean,Dupont,jean.dupont@acme.example\n")
    run("import", db, path)
    run("enrich", db, "--smtp", "--config", config)
    (first,) = dump(db)[0]["emails"]
    assert first["status"] == "unknown"
    assert "greylisted" in first["flags"]
    result = run("enrich", db, "--smtp", "--config", config)
    assert result.exit_code == 0, result.output
    (second,) = dump(db)[0]["emails"]
    assert second["status"] == "valid", second
