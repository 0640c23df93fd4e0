"""prospecting dedupe / unmerge / review on real SQLite files."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from prospecting import api

from .conftest import DEMO, dump, write

DEMO_CRM = DEMO / "crm_export.csv"
DEMO_SALON = DEMO / "salon_contacts.csv"


def _export_bytes(db: Path, kind: str = "people") -> bytes:
    out = db.parent / f"bytes-{kind}.jsonl"
    api.export(db, format="jsonl", out=out, kind=kind)
    return out.read_bytes()


def _demo(db: Path) -> None:
    api.import_files(db, [DEMO_CRM], source="crm", id_column="Record ID")
    api.import_files(db, [DEMO_SALON], source="salon")
    api.enrich(db, offline=True)


def _by_source_id(people: list[dict]) -> dict[str, dict]:
    return {sid: p for p in people for sid in p["source_ids"]}


def _import_crm(tmp_path: Path, db: Path, text: str) -> None:
    """Import ``text`` as a CRM export, ids in ``id`` (source ids ``crm:<id>``)."""
    api.import_files(db, [write(tmp_path / "a.csv", text)], source="crm", id_column="id")


def _dedupe_crm(tmp_path: Path, db: Path, text: str) -> tuple[dict[str, dict], Any]:
    """Import ``text`` as a CRM export (ids in ``id``), dedupe, and return the people by
    source id with the run's report."""
    _import_crm(tmp_path, db, text)
    report = api.dedupe(db)
    return _by_source_id(dump(db)), report


@pytest.fixture
def demo_db(db: Path) -> Path:
    _demo(db)
    return db


def test_demo_duplicates_end_merged(demo_db: Path, run):
    result = run("dedupe", demo_db)
    assert result.exit_code == 0, result.output
    people = dump(demo_db)
    assert len(people) == 155  # data/demo/README.md: distinct people
    found = _by_source_id(people)
    # Bob / Robert Miller, with the company written without "Inc."
    assert found["crm:5122064"] is found["crm:5120580"]
    # Three records of Bérénice de La Fontaine, and her badge scan.
    berenice = found["crm:5120131"]
    assert {"crm:5122699", "crm:5123173"} <= set(berenice["source_ids"])
    assert any(s.startswith("salon:") for s in berenice["source_ids"])
    assert berenice["first_name"] == "Bérénice"  # most complete spelling, accents kept
    # Grégoire Leclerc with first and last name swapped.
    assert found["crm:5121976"] is found["crm:5122641"]
    # Two Nicolas Martin at different companies stay apart; a shared switchboard too.
    assert found["crm:5121857"] is not found["crm:5123604"]
    assert found["crm:5121890"] is not found["crm:5122128"]
    # Union of contact fields, each with its sources.
    clemence = found["crm:5122197"]
    assert len(clemence["emails"]) >= 2
    assert set(clemence["sources"]) >= {"csv:crm", "csv:salon"}
    status = api.status(demo_db)
    assert status["dedupe"]["clusters"] > 0
    assert status["dedupe"]["people_merged"] == 24
    assert "pending_reviews" in status["dedupe"]
    shown = run("status", demo_db)
    assert "dedupe: clusters" in shown.output
    assert "pending_reviews" in shown.output
    # Each kept value names the member record and source it came from.
    with api.open_store(demo_db) as store:
        provenance = json.loads(store.conn.execute(
            "SELECT provenance FROM clusters WHERE golden_id = ?", (berenice["id"],)
        ).fetchone()[0])
    statements = provenance["statements"]
    assert {p["source"] for p in statements if "first_name" in p["fields"]} >= {"csv:crm"}
    assert all(p["record"].startswith("p_") for p in statements)
    assert all(p["observed_at"] and p["fields"] for p in statements)
    kept = {f for p in statements for f in p["fields"]}
    assert {"first_name", "last_name"} <= kept


def test_a_golden_record_lists_each_number_once_with_every_source(tmp_path: Path,
                                                                  db: Path):
    # A CRM writes the mobile nationally, a list internationally: once checked, the
    # merged record has the number once, stated by both.
    api.import_files(db, [write(tmp_path / "crm.csv",
                                "id,first_name,last_name,email,mobile,country\n"
                                "1,Jean,Dupont,jean.dupont@acme.example,06 12 34 56 78,FR\n")],
                     source="crm", id_column="id")
    api.import_files(db, [write(tmp_path / "list.csv",
                                "id,first_name,last_name,email,phone,country\n"
                                "7,Jean,Dupont,jean.dupont@acme.example,+33 6 12 34 56 78,FR\n")],
                     source="list", id_column="id")
    api.enrich(db, offline=True)
    api.dedupe(db)
    (person,) = dump(db)
    assert sorted(person["source_ids"]) == ["crm:1", "list:7"]
    assert [(p["e164"], p["sources"]) for p in person["phones"]] == [
        ("+33612345678", ["csv:crm", "csv:list"])]
    assert api.dedupe(db).written == 0
    api.enrich(db, offline=True)  # the golden record, once
    assert api.enrich(db, offline=True).read == 0
    assert [p["sources"] for p in dump(db)[0]["phones"]] == [["csv:crm", "csv:list"]]


def test_no_record_lost(demo_db: Path):
    before = {s for p in dump(demo_db) for s in p["source_ids"]}
    api.dedupe(demo_db)
    after = [s for p in dump(demo_db) for s in p["source_ids"]]
    assert sorted(after) == sorted(before)


def test_running_twice_changes_nothing(demo_db: Path):
    api.dedupe(demo_db)
    first = _export_bytes(demo_db), _export_bytes(demo_db, "companies")
    again = api.dedupe(demo_db)
    assert again.written == 0
    assert again.details.get("clusters", 0) == 0
    assert (_export_bytes(demo_db), _export_bytes(demo_db, "companies")) == first


def test_unmerge_restores_the_exact_dump(demo_db: Path, run):
    people_before = _export_bytes(demo_db)
    companies_before = _export_bytes(demo_db, "companies")
    api.dedupe(demo_db)
    assert _export_bytes(demo_db) != people_before
    with api.open_store(demo_db) as store:
        clusters = [r[0] for r in store.conn.execute(
            "SELECT c.id FROM clusters AS c JOIN merge_log AS l ON l.cluster_id = c.id"
            " WHERE l.action = 'merge' ORDER BY l.seq DESC")]
    assert clusters
    for cluster_id in clusters:
        result = run("unmerge", demo_db, cluster_id)
        assert result.exit_code == 0, result.output
    assert _export_bytes(demo_db) == people_before
    assert _export_bytes(demo_db, "companies") == companies_before
    # Undone merges are remembered: the next run does not merge them again.
    api.dedupe(demo_db)
    assert _export_bytes(demo_db) == people_before


def test_before_images_keep_what_deriving_cannot_give_back(demo_db: Path, run):
    api.dedupe(demo_db)
    bob = _by_source_id(dump(demo_db))["crm:5122064"]
    with api.open_store(demo_db) as store:
        cluster_id, members = store.conn.execute(
            "SELECT id, members FROM clusters WHERE golden_id = ? AND status = 'merged'",
            (bob["id"],)).fetchone()
        images = json.loads(store.conn.execute(
            "SELECT rows_before FROM merge_log WHERE cluster_id = ?", (cluster_id,)
        ).fetchone()[0])
        assert [i["id"] for i in images] == [bob["id"], *json.loads(members)]
        assert {key for i in images for key in i} == {
            "id", "stage", "score", "temperature", "merged_into"}
        # What other stages wrote on the golden record since is put back as it was.
        before_stage = store.conn.execute(
            "SELECT stage, score FROM people WHERE id = ?", (bob["id"],)).fetchone()
        with store.write():
            store.conn.execute("UPDATE people SET stage = 'sql', score = 99 WHERE id = ?",
                               (bob["id"],))
    assert run("unmerge", demo_db, cluster_id).exit_code == 0
    with api.open_store(demo_db) as store:
        assert store.conn.execute("SELECT stage, score FROM people WHERE id = ?",
                                  (bob["id"],)).fetchone() == before_stage
        rows = dict(store.conn.execute(
            "SELECT id, email FROM people WHERE id IN (?, ?)", (bob["id"], images[1]["id"])))
    # Every other column is derived again from each record's own statements.
    assert len(set(rows.values())) == 2
    assert all(rows.values())


def test_unmerge_one_cluster(demo_db: Path, run):
    api.dedupe(demo_db)
    people = dump(demo_db)
    bob = _by_source_id(people)["crm:5122064"]
    with api.open_store(demo_db) as store:
        cluster_id = store.conn.execute(
            "SELECT id FROM clusters WHERE golden_id = ? AND status = 'merged'", (bob["id"],)
        ).fetchone()[0]
    assert run("unmerge", demo_db, cluster_id).exit_code == 0
    after = _by_source_id(dump(demo_db))
    assert after["crm:5122064"] is not after["crm:5120580"]
    assert len(dump(demo_db)) == len(people) + 1
    again = run("unmerge", demo_db, cluster_id)
    assert again.exit_code == 2
    assert "already unmerged" in again.stderr
    assert run("unmerge", demo_db, "cl_nope").exit_code == 2
    # The next run keeps them apart, and does not count the pair the unmerge answered
    # as a review to do (status does not either).
    waiting = api.status(demo_db)["dedupe"]["pending_reviews"]
    report = api.dedupe(demo_db)
    assert _by_source_id(dump(demo_db))["crm:5122064"]["id"] != _by_source_id(
        dump(demo_db))["crm:5120580"]["id"]
    assert report.details["pending_reviews"] == 0
    assert api.status(demo_db)["dedupe"]["pending_reviews"] == waiting


def test_new_import_joins_the_existing_golden_record(demo_db: Path, tmp_path: Path):
    api.dedupe(demo_db)
    golden = _by_source_id(dump(demo_db))["crm:5122064"]
    later = write(tmp_path / "later.csv",
                  "id,first_name,last_name,email,company_name,title\n"
                  "77,Bobby,MILLER,bob@cedarridge.example,Cedar Ridge,VP Sales\n")
    api.import_files(demo_db, [later], source="webinar", id_column="id")
    report = api.dedupe(demo_db)
    assert report.details["pairs_scored"] < 200  # only pairs touching the new record
    found = _by_source_id(dump(demo_db))
    assert found["webinar:77"]["id"] == golden["id"]
    assert "webinar:77" in found["crm:5120580"]["source_ids"]


def test_new_fact_about_a_member_reaches_its_golden_record(demo_db: Path, tmp_path: Path):
    api.dedupe(demo_db)
    people = dump(demo_db)
    bob = _by_source_id(people)["crm:5120580"]
    assert len(bob["source_ids"]) == 2
    # A later export of the same CRM, one record with a new phone number.
    with api.open_store(demo_db) as store:
        member = store.conn.execute(
            "SELECT id FROM people WHERE merged_into = ?", (bob["id"],)).fetchone()[0]
        sid = json.loads(store.conn.execute(
            "SELECT source_ids FROM people WHERE id = ?", (member,)).fetchone()[0])[0]
    record_id = sid.split(":", 1)[1]
    text = DEMO_CRM.read_text("utf-8").splitlines()
    header = text[0]
    row = next(line for line in text if line.startswith(record_id + ","))
    cells = header.split(",")
    values = row.split(",")
    phone_index = next(i for i, h in enumerate(cells) if "phone" in h.lower())
    values[phone_index] = "+1 512 555 0199"
    write(tmp_path / "crm2.csv", header + "\n" + ",".join(values) + "\n")
    api.import_files(demo_db, [tmp_path / "crm2.csv"], source="crm", id_column="Record ID")
    now = _by_source_id(dump(demo_db))["crm:5120580"]
    assert now["id"] == bob["id"]
    assert any(p["raw"] == "+1 512 555 0199" for p in now["phones"])
    assert len(dump(demo_db)) == len(people)


def test_suppression_wins_in_a_merge(tmp_path: Path, db: Path):
    _import_crm(tmp_path, db,
                "id,first_name,last_name,email,phone,company_name\n"
                "1,Jeanne,Dubois,jeanne.dubois@acme.example,01 99 00 11 22,Acme SAS\n"
                "2,Jeanne,DUBOIS,jdubois@gmail.test,+33 1 99 00 11 22,ACME\n")
    api.suppress(db, ["jdubois@gmail.test"])
    api.dedupe(db)
    people = dump(db)
    assert len(people) == 1
    assert people[0]["suppressed"] is True


def test_a_golden_record_writes_to_the_work_address(tmp_path: Path, db: Path):
    # The CRM holds her personal address, the trade-show list her work one: merged, the
    # golden record's email is the work address, the personal one stays listed.
    _import_crm(tmp_path, db,
                "id,first_name,last_name,email,phone,company_name\n"
                "1,Hélène,Martin,helene.martin@gmail.com,01 99 00 45 18,Boulangerie Martin\n"
                "2,Helene,MARTIN,h.martin@boulangerie-martin.example,+33 1 99 00 45 18,"
                "Boulangerie Martin SARL\n")
    api.dedupe(db)
    (person,) = dump(db)
    assert sorted(person["source_ids"]) == ["crm:1", "crm:2"]
    assert person["email"] == "h.martin@boulangerie-martin.example"
    assert {e["value"] for e in person["emails"]} == {
        "helene.martin@gmail.com", "h.martin@boulangerie-martin.example"}
    api.enrich(db, offline=True)  # flags the free-mail address: the same choice
    (person,) = dump(db)
    assert person["email"] == "h.martin@boulangerie-martin.example"


@pytest.mark.parametrize(("text", "together", "alone"), [
    # "JB", jb@ at the company Jean-Baptiste Robin works for: his initials, not another
    # person's address there.
    ("id,first_name,last_name,email,phone,company_name,city,title\n"
     "1,Jean-Baptiste,Robin,jean-baptiste.robin@oscorp.example,01 99 00 23 18,Oscorp SAS,"
     "Lyon,\n"
     "2,JB,ROBIN,jb@oscorp.example,,OSCORP,,\n"
     "3,Julie,Bertin,julie.bertin@oscorp.example,,Oscorp,Lyon,\n",
     ["crm:1", "crm:2"], ["crm:3"]),
    # "FX", on the firm's line: François-Xavier de La Tour's initials, not another
    # person's name (who would be kept apart from his record without the line).
    ("id,first_name,last_name,email,phone,company_name,city,title\n"
     "1,François-Xavier,de La Tour,fx.delatour@delatour-avocats.example,,"
     "De La Tour Avocats,Bordeaux,Associé\n"
     "2,FX,Delatour,,05 56 00 11 22,DELATOUR AVOCATS,Bordeaux,Avocat associé\n"
     "3,François Xavier,DE LA TOUR,francois-xavier.delatour@delatour-avocats.example,"
     "+33556001122,De La Tour Avocats SELARL,,\n"
     "4,Florence,Delatour,florence.delatour@delatour-avocats.example,,De La Tour Avocats,"
     "Bordeaux,\n",
     ["crm:1", "crm:2", "crm:3"], ["crm:4"]),
    # Peggy is Margaret's nickname; Megan, once one too, is a name of its own now, and
    # Nathan is not Jonathan's.
    ("id,first_name,last_name,email,phone,company_name,city,title\n"
     "1,Margaret,O'Brien,margaret.obrien@fabrikam.example,+1 312 555 0142,Fabrikam,"
     "Chicago,CFO\n"
     "2,Peggy,OBrien,peggy@fabrikam.example,312-555-0142,Fabrikam Inc.,Chicago,"
     "Chief Financial Officer\n"
     "3,Megan,O'Brien,megan.obrien@fabrikam.example,+1 312 555 0143,Fabrikam,Chicago,"
     "Controller\n"
     "4,Nathan,O'Brien,nathan.obrien@fabrikam.example,,Fabrikam,Chicago,Analyst\n"
     "5,Jonathan,O'Brien,jonathan.obrien@fabrikam.example,,Fabrikam,Chicago,Analyst\n",
     ["crm:1", "crm:2"], ["crm:3", "crm:4", "crm:5"]),
    # "J.-L." says two given names: Jean-Luc Martin's, not Jean Martin's, his colleague.
    ("id,first_name,last_name,email,phone,company_name,city,title\n"
     "10,Jean-Luc,Martin,jl.martin@initech.example,,Initech,Nantes,CTO\n"
     "11,J.-L.,Martin,jean-luc.martin@gmail.com,07 11 22 33 44,Initech SARL,,"
     "Directeur technique\n"
     "12,Jean,Martin,jean.martin@initech.example,,Initech,Nantes,Développeur\n",
     ["crm:10", "crm:11"], ["crm:12"]),
    # Jean and Jeanne Martin run one bakery, Louis and Louise Bernard one garage: names
    # that share all but an ending, addresses of one pattern, two people each; the same
    # Jean Martin written twice is still one.
    ("id,first_name,last_name,email,company_name,city,title\n"
     "1,Jean,Martin,jean.martin@boulangerie-martin.example,Boulangerie Martin,Lyon,"
     "Gérant\n"
     "2,Jeanne,Martin,jeanne.martin@boulangerie-martin.example,Boulangerie Martin SARL,"
     "Lyon,Co-gérante\n"
     "3,JEAN,MARTIN,j.martin@boulangerie-martin.example,BOULANGERIE MARTIN,,\n"
     "4,Louis,Bernard,,Garage Bernard,Nantes,Gérant\n"
     "5,Louise,Bernard,,Garage Bernard,Nantes,Gérante\n",
     ["crm:1", "crm:3"], ["crm:2", "crm:4", "crm:5"]),
    # Julien and Julie Faure, Nathan and Nathalie Roux: not a feminine form, but names
    # worn by a man and by a woman, written alike. "Jena-François" is Jean-François
    # mistyped (two letters swapped), though Jena is a name.
    ("id,first_name,last_name,email,company_name,city,title\n"
     "1,Julien,Faure,julien.faure@verdure.example,Verdure SAS,Bordeaux,Commercial\n"
     "2,Julie,Faure,julie.faure@verdure.example,Verdure SAS,Bordeaux,Commerciale\n"
     "3,Julien,FAURE,,Verdure,Bordeaux,Commercial\n"
     "4,Nathan,Roux,,Verdure,Bordeaux,Acheteur\n"
     "5,Nathalie,Roux,,Verdure,Bordeaux,Acheteuse\n"
     "6,Jean-François,Lucas,jf.lucas@verdure.example,Verdure SAS,Bordeaux,Consultant\n"
     "7,Jena-François,Lucas,,Verdure,Bordeaux,Consultant\n",
     ["crm:1", "crm:3"], ["crm:2", "crm:4", "crm:5"]),
    # A family firm's line under a man's name and a woman's, nothing else to tell them
    # apart: a line two people share, no key; one person's two records on his own
    # mobile still merge.
    ("id,first_name,last_name,email,phone,company_name,city,title\n"
     "1,Jean,Martin,,01 42 00 11 22,Boulangerie Martin,Paris,Gérant\n"
     "2,Jeanne,Martin,,01 42 00 11 22,Boulangerie Martin,Paris,Co-gérante\n"
     "3,Julien,Faure,,05 56 00 00 05,Faure & Fils,Bordeaux,Gérant\n"
     "4,Julie,Faure,,05 56 00 00 05,Faure et Fils,Bordeaux,Comptable\n"
     "5,Pierre,Roux,,06 11 22 33 44,Roux Transports,Lyon,Gérant\n"
     "6,Pierre,ROUX,pierre@roux-transports.example,+33 6 11 22 33 44,"
     "Roux Transports SARL,Lyon,\n",
     ["crm:5", "crm:6"], ["crm:1", "crm:2", "crm:3", "crm:4"]),
    # The bakery's line, which nobody else has, under Jean's and Jeanne's records: their
    # own addresses say two people, whatever the number says.
    ("id,first_name,last_name,email,phone,company_name,city,title\n"
     "1,Jean,Martin,jean@boulangerie-martin.example,01 42 00 11 22,Boulangerie Martin,"
     "Paris,Gérant\n"
     "2,Jeanne,Martin,jeanne@boulangerie-martin.example,01 42 00 11 22,"
     "Boulangerie Martin,Paris,Co-gérante\n"
     "3,Jean,MARTIN,,+33 1 42 00 11 22,BOULANGERIE MARTIN,PARIS,Gérant\n",
     ["crm:1", "crm:3"], ["crm:2"]),
])
def test_given_names_at_one_company(tmp_path: Path, db: Path, text: str,
                                    together: list[str], alone: list[str]):
    found, _ = _dedupe_crm(tmp_path, db, text)
    assert sorted(found[together[0]]["source_ids"]) == together
    for record in alone:
        assert found[record]["source_ids"] == [record]


def test_an_address_stated_and_guessed_is_no_guess_once_merged(tmp_path: Path, db: Path):
    # The finder guessed for the record without an address the very address the two
    # others state: merged, it is the golden record's email, not a guess.
    _import_crm(tmp_path, db,
                "id,first_name,last_name,email,phone,company_name\n"
                "11,,,sophie.bernard@initech.example,,Initech\n"
                "12,Sophie,Bernard,,07 61 23 45 67,Initech\n"
                "13,Sophie,BERNARD,sophie.bernard@initech.example,+33761234567,INITECH SARL\n")
    api.enrich(db, offline=True)
    api.dedupe(db)
    (person,) = dump(db)
    assert sorted(person["source_ids"]) == ["crm:11", "crm:12", "crm:13"]
    assert person["email"] == "sophie.bernard@initech.example"
    (entry,) = person["emails"]
    assert "guessed" not in entry["flags"]
    assert entry["reason"] == "syntax valid; domain not checked (offline)"
    # A guess nobody states stays one (see test_finder).


def test_namesakes_at_one_company_stay_apart(tmp_path: Path, db: Path):
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,company_name,title\n"
        "1,Marie,Durand,marie.durand@acme.example,Acme,CFO\n"
        "2,Marie,Durand,marie.durand2@acme.example,Acme,Stagiaire\n"
        "3,Paul,Durand,paul.durand@acme.example,Acme,CEO\n"
        "4,M.,Durand,,Acme,\n")
    assert found["crm:1"] is not found["crm:2"]
    assert found["crm:1"] is not found["crm:3"]
    # The ambiguous "M. Durand" does not chain the two Maries together.
    assert len({id(found[f"crm:{i}"]) for i in (1, 2, 3)}) == 3


def test_a_job_change_with_the_same_mobile_is_one_person(tmp_path: Path, db: Path):
    # Florence Lefebvre left Maison Willems for Quanane and kept her mobile: the record
    # with the new job and the mobile joins her old records, and so does the one with
    # the old switchboard (another company, line and address than the new job's, which
    # a job change changes). Valérie Thompson at two firms with two mobiles is two
    # namesakes, and so is Hugo Caron at two firms, one of them with no number.
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,mobile,company_name,city,title\n"
        "1,Florence,LEFEBVRE,florence.lefebvre@maison-willems.example,,06 33 81 20 55,"
        "MAISON WILLEMS,,\n"
        "2,Florence,Lefebvre,florence.lefebvre@maison-willems.example,04 46 35 49 17,,"
        "Maison Willems SAS,Marseille,\n"
        "3,Florence,Lefebvre,florence_lefebvre@quanane.example,+33449044086,"
        "+33633812055,Quanane,Lyon,Data Analyst\n"
        "4,Valérie,Thompson,valerie.thompson@thames.example,,+44 7630 161862,"
        "Thames Holdings Ltd,Edinburgh,Operations Manager\n"
        "5,Valérie,Thompson,v.thompson@reynolds.example,,+44 7700 900 461,"
        "Reynolds and Davis Ltd,Glasgow,Business Development Manager\n"
        "6,Hugo,Caron,hugo.caron@verens.example,,06 12 44 80 19,Verens,Paris,CFO\n"
        "7,Hugo,Caron,hcaron@xenor.example,,,Xenor,Nantes,Buyer\n")
    assert sorted(found["crm:1"]["source_ids"]) == ["crm:1", "crm:2", "crm:3"]
    assert found["crm:4"] is not found["crm:5"]
    assert found["crm:6"] is not found["crm:7"]


def test_a_job_change_keeps_the_old_records_that_give_a_nickname(tmp_path: Path,
                                                                  db: Path):
    # As above, her old firm's record with its switchboard says "Flo": her records from
    # the two jobs are still one person's (the pair across holds no conflicting
    # identifier, and its names are one person's). Robert Pearce's two jobs, a mobile
    # kept, are in the file too.
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,mobile,company_name,city,title\n"
        "1,Florence,LEFEBVRE,florence.lefebvre@maison-willems.example,,06 33 81 20 55,"
        "MAISON WILLEMS,,\n"
        "2,Flo,Lefebvre,florence.lefebvre@maison-willems.example,04 46 35 49 17,,"
        "Maison Willems SAS,Marseille,\n"
        "3,Florence,Lefebvre,florence_lefebvre@quanane.example,+33449044086,"
        "+33633812055,Quanane,Lyon,Data Analyst\n"
        "4,Robert,Pearce,robert.pearce@thames.example,,+44 7630 161862,"
        "Thames Holdings Ltd,,\n"
        "5,Bob,Pearce,bob.pearce@thames.example,+44 131 496 0000,,Thames Holdings Ltd,"
        "Edinburgh,Operations Manager\n"
        "6,Robert,Pearce,r.pearce@reynolds.example,+44 141 496 0123,+44 7630 161862,"
        "Reynolds and Davis Ltd,Glasgow,Operations Director\n"
        "7,Hugo,Caron,hugo.caron@verens.example,,06 12 44 80 19,Verens,Paris,CFO\n"
        "8,Hugo,Caron,hcaron@xenor.example,,,Xenor,Nantes,Buyer\n")
    assert sorted(found["crm:1"]["source_ids"]) == ["crm:1", "crm:2", "crm:3"]
    assert found["crm:7"] is not found["crm:8"]


def test_a_mobile_a_spreadsheet_cut_follows_its_owner_to_the_next_firm(tmp_path: Path,
                                                                        db: Path):
    # Pierre Rolland's mobile in a CRM export that stored numbers as numbers, its 0
    # dropped ("609746138"), at his former firm and at the next: one mobile, his, so
    # what the job changed says nothing against him. Two Luc Morels at two firms, each
    # with his own mobile, stay two men.
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,mobile,company_name,city,title\n"
        "1,Pierre,Rolland,pierre.rolland@quanto.example,04 04 08 38 35,609746138,"
        "Quanto Data,Lyon,Chargé d'affaires\n"
        "2,Pierre,ROLLAND,prolland@korium.example,01 90 88 68 40,609746138,"
        "Korium Environnement,Paris,Account Executive\n"
        "3,Luc,Morel,luc.morel@quanto.example,04 04 08 38 35,06 12 40 77 31,Quanto Data,"
        "Lyon,Comptable\n"
        "4,Luc,Morel,lmorel@korium.example,01 90 88 68 40,611402288,Korium Environnement,"
        "Paris,Acheteur\n")
    assert found["crm:1"] is found["crm:2"]
    assert found["crm:3"] is not found["crm:4"]


def test_one_mobile_outweighs_a_move_where_a_record_names_no_company(tmp_path: Path,
                                                                     db: Path):
    # Audrey Gaillard at Triys Études in Lyon, and in another list with no company, her
    # personal address and another street, town and postcode (her home, or her next
    # office): both names and one mobile. What a move changes (the work address, the
    # street, the town, the postcode) is no evidence against her. Two Julie Martins, at
    # Acme in Lyon and with no company in Paris, each with her own mobile, stay two.
    text = (
        "id,first_name,last_name,email,phone,mobile,company_name,address,postcode,city,"
        "title\n"
        "1,Audrey,Gaillard,audrey-gaillard@triys.example,04 93 36 78 00,06 39 80 58 86,"
        "Triys Études,140 rue Paul Bert,69003,Lyon,Cheffe de projet\n"
        "2,Audrey,GAILLARD,audrey.gaillard@gmail.com,01 41 78 98 34,06-39-80-58-86,,"
        "127 rue Émile Zola,75004,Paris,Cheffe de projet\n"
        "3,Julie,Martin,julie.martin@acme.example,04 72 10 20 30,06 11 22 33 44,Acme,"
        "1 rue de la Paix,69003,Lyon,Comptable\n"
        "4,Julie,Martin,julie.martin@gmail.com,,06 55 44 33 22,,2 rue Lepic,75018,Paris,"
        "Comptable\n")
    _import_crm(tmp_path, db, text)
    moved, namesakes = _levels_of(db, [("crm:1", "crm:2"), ("crm:3", "crm:4")])
    assert moved["phone"] == 1
    assert [moved[k] for k in ("email", "city", "postcode", "address")] == [0, 0, 0, 0]
    assert [namesakes[k] for k in ("city", "postcode", "address")] == [3, 3, 3]
    api.dedupe(db)
    found = _by_source_id(dump(db))
    assert found["crm:1"] is found["crm:2"]
    assert found["crm:3"] is not found["crm:4"]


def test_an_initial_and_a_surname_on_one_mobile_at_two_firms(tmp_path: Path, db: Path):
    # "G. Cousin" at Kalège in Nantes and Géraldine Cousin at Verède Logistique in Troyes,
    # on one mobile no one else carries: her initial, her surname, her mobile, one
    # woman at two jobs. Gérard and Hélène Cousin at two firms on one family mobile are
    # two given names, two people.
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,mobile,company_name,city,title\n"
        "1,G.,Cousin,gcousin@kalege.example,+33 2 14 03 42 42,07.62.86.43.95,Kalège,"
        "Nantes,Gérante\n"
        "2,Géraldine,COUSIN,geraldine.cousin@verede.example,03.95.30.10.37,"
        "07 62 86 43 95,Verède Logistique,Troyes,Fondatrice\n"
        "3,Gérard,Cousin,gerard.cousin@arvel.example,05 56 10 20 30,06 48 22 91 07,Arvel,"
        "Bordeaux,Comptable\n"
        "4,Hélène,Cousin,helene.cousin@somra.example,05 57 40 50 60,06 48 22 91 07,Somra,"
        "Mérignac,Acheteuse\n")
    assert found["crm:1"] is found["crm:2"]
    assert found["crm:3"] is not found["crm:4"]


def test_an_initial_on_her_mobile_keeps_her_old_firm_s_records(tmp_path: Path, db: Path):
    # "F Leroy" at Symia Systèmes carries Franck Leroy's mobile; Franck Leroy's two
    # records at Noval Études, one with that mobile, one with his office line alone (as
    # far from the Symia record as a namesake's): his two jobs, one person, as for a
    # name spelled out on both.
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,mobile,company_name,city,title\n"
        "1,Franck,Leroy,franck.leroy@noval.example,04 35 86 07 50,06 58 29 01 98,"
        "Noval Études,Paris,Finance Manager\n"
        "2,Franck,Leroy,franck.leroy@noval.example,04 35 86 07 50,,Noval Études,Paris,"
        "Finance Manager\n"
        "3,F,Leroy,f.leroy@symia.example,01 47 17 82 64,+33 6 58 29 01 98,"
        "Symia Systèmes,,Directeur des opérations\n")
    assert sorted(found["crm:1"]["source_ids"]) == ["crm:1", "crm:2", "crm:3"]


def test_her_old_firm_s_record_joins_after_her_two_jobs_do(tmp_path: Path, db: Path):
    # As above, but Franck's new record and his old one with the mobile share his
    # personal address too, and are joined first: his other Noval record, on his direct
    # line with a work address, joins them all the same, whichever edge comes first.
    # Two Paul Girards at two firms with two mobiles stay two.
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,mobile,company_name,city,title\n"
        "1,Franck,Leroy,franck.leroy@gmail.com,04 35 86 07 50,06 58 29 01 98,"
        "Noval Études,Paris,Finance Manager\n"
        "2,Franck,Leroy,franckl@noval.example,04 35 86 07 50,,Noval Études,Paris,"
        "Finance Manager\n"
        "3,F,Leroy,franck.leroy@gmail.com,01 47 17 82 64,+33 6 58 29 01 98,"
        "Symia Systèmes,,Directeur des opérations\n"
        "4,Paul,Girard,paul.girard@noval.example,04 35 86 07 77,06 77 12 40 18,"
        "Noval Études,Paris,Comptable\n"
        "5,Paul,Girard,pgirard@symia.example,01 47 17 82 99,06 31 90 22 75,"
        "Symia Systèmes,,Directeur commercial\n")
    assert sorted(found["crm:1"]["source_ids"]) == ["crm:1", "crm:2", "crm:3"]
    assert found["crm:4"] is not found["crm:5"]


def test_a_nickname_on_her_mobile_keeps_her_old_firm_s_records(tmp_path: Path, db: Path):
    # "Flo" Lefebvre at Quanane on Florence Lefebvre's mobile and personal address; her
    # two records at Maison Willems, one with both, one with her work address and the
    # office line: one woman's two jobs, whichever pair joins first.
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,mobile,company_name,city,title\n"
        "1,Florence,Lefebvre,florence.lefebvre@gmail.com,04 46 35 49 17,06 33 81 20 55,"
        "Maison Willems,Marseille,Directrice marketing\n"
        "2,Florence,Lefebvre,f.lefebvre@willems.example,04 46 35 49 17,,Maison Willems,"
        "Marseille,Directrice marketing\n"
        "3,Flo,Lefebvre,florence.lefebvre@gmail.com,04 49 04 40 86,+33633812055,Quanane,"
        "Lyon,Data Analyst\n")
    assert sorted(found["crm:1"]["source_ids"]) == ["crm:1", "crm:2", "crm:3"]


def test_one_linkedin_profile_follows_its_owner_from_job_to_job(tmp_path: Path, db: Path):
    # Harold Thomas at Nexworks in New York, then "Harry" at Borstone Partners in London:
    # another company, town, title, address and line, one LinkedIn profile. What the job
    # changed is no evidence against him, and his other Nexworks record, with no
    # profile, joins them. Two Peter Halls at two firms with two profiles stay two.
    text = (
        "id,first_name,last_name,email,phone,company_name,city,title,linkedin\n"
        "1,Harold,Thomas,harold.thomas@nexworks.example,(212) 649-8563,Nexworks,New York,"
        "Engineering Manager,linkedin.com/in/harold-thomas-90b16143\n"
        "2,Harold,Thomas,harold.thomas@nexworks.example,(212) 649-8500,Nexworks,"
        "New York,Engineering Manager,\n"
        "3,Harry,Thomas,harold.thomas@borstone.example,+44 20 7946 0001,"
        "Borstone Partners,London,Key Account Manager,"
        "https://www.linkedin.com/in/harold-thomas-90b16143\n"
        "4,Peter,Hall,peter.hall@nexworks.example,(212) 649-8511,Nexworks,New York,"
        "Controller,linkedin.com/in/peter-hall-5a1b2c\n"
        "5,Peter,Hall,phall@borstone.example,+44 20 7946 0022,Borstone Partners,London,"
        "Sales Director,linkedin.com/in/peter-hall-77e0f1\n")
    _import_crm(tmp_path, db, text)
    (moved,) = _levels_of(db, [("crm:1", "crm:3")])
    assert moved["linkedin"] == 1
    assert [moved[k] for k in ("email", "phone", "company", "city", "title")] == [
        0, 0, 0, 0, 0]
    api.dedupe(db)
    found = _by_source_id(dump(db))
    assert sorted(found["crm:1"]["source_ids"]) == ["crm:1", "crm:2", "crm:3"]
    assert found["crm:4"] is not found["crm:5"]


def test_two_jobs_one_mobile_outweigh_what_the_job_changed(tmp_path: Path, db: Path):
    # Valerie Thompson's records from two jobs: another company, town, postcode, work
    # address, office line and title, the same UK mobile; Daniel Reyes's the same with a
    # North American number, which may be a mobile. What a new job changes is read as
    # no evidence against them. Two Paul Girards on one French landline at two firms
    # (a site both share) stay two men.
    _import_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,mobile,company_name,city,postcode,title\n"
        "1,Valerie,Thompson,,+44 20 7077 4797,+44 7700 900461,Reynolds and Davis Ltd,"
        "Glasgow,G3 9NF,Business Development Manager\n"
        "2,Valerie,Thompson,valerie.thompson@thames.example,+44 131 544 9082,"
        "07700 900461,Thames Holdings Ltd,Edinburgh,EH3 9DE,Operations Manager\n"
        "3,Daniel,Reyes,dreyes@floria.example,404.711.6200,470.686.1539,Floria Health,"
        "Atlanta,30340,Growth Manager\n"
        "4,Daniel,Reyes,dan.reyes@actilis.example,+1 720-912-5573,+1 470-686-1539,"
        "Actilis Systems,Denver,80254,CSM\n"
        "5,Paul,Girard,paul.girard@decathlon.example,03 20 33 50 00,,Decathlon,"
        "Villeneuve-d'Ascq,59650,Responsable logistique\n"
        "6,Paul,Girard,pgirard@leroymerlin.example,03 20 33 50 00,,Leroy Merlin,"
        "Lezennes,59260,Chef de rayon\n")
    levels = _levels_of(db, [("crm:1", "crm:2"), ("crm:3", "crm:4"), ("crm:5", "crm:6")])
    for moved in levels[:2]:
        assert moved["phone"] == 1
        assert [moved[k] for k in ("email", "company", "city", "postcode", "title")] == [
            0, 0, 0, 0, 0]
    assert levels[2]["company"] == 4
    assert levels[2]["city"] == 3
    api.dedupe(db)
    found = _by_source_id(dump(db))
    assert found["crm:1"] is found["crm:2"]
    assert found["crm:3"] is found["crm:4"]
    assert found["crm:5"] is not found["crm:6"]


def test_a_shared_role_mailbox_does_not_make_two_people_one(tmp_path: Path, db: Path):
    # A small business: one contact@ address and one line for the manager and the baker.
    # The same person restated with that mailbox still merges.
    found, report = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,company_name,city\n"
        "1,Catherine,Moreau,contact@boulangerie-moreau.example,01 99 00 88 88,"
        "Boulangerie Moreau,Tours\n"
        "2,Paul,Moreau,contact@boulangerie-moreau.example,01 99 00 88 88,"
        "Boulangerie Moreau,Tours\n"
        "3,Catherine,MOREAU,contact@boulangerie-moreau.example,,"
        "Boulangerie Moreau SARL,Tours\n")
    assert found["crm:1"] is not found["crm:2"]
    assert found["crm:1"] is found["crm:3"]
    # Nothing personal shared (a role mailbox, the shop's line): no question either.
    assert report.details["pending_reviews"] == 0


# Realistic variations between sources, each with the records that must end one person
# (same) and those that must stay apart (apart), by row id, and the pairs left to review
# when it matters. Columns: first_name, last_name, email, phone, company_name, title,
# city.
_VARIATIONS = {
    # A website gave the manager the firm's contact@ and its switchboard; the CRM has his
    # own address and mobile: contact@ beside nicolas.petit@ is no "other person".
    "role mailbox": ([
        "Nicolas,Petit,contact@petit-freres.example,03 20 00 00 00,Petit Frères,Gérant,Lille",
        "Antoine,Petit,contact@petit-freres.example,03 20 00 00 00,Petit Frères,Associé,Lille",
        "Nicolas,Petit,nicolas.petit@petit-freres.example,06 70 00 00 01,Petit Freres SARL,"
        "Gérant,Lille"], [(1, 3)], [(1, 2)]),
    # One joinery, its name both ways round: the addresses at its domain say one
    # employer, and sebastien@ and s.lefevre@ one person's two forms.
    "one domain, one employer": ([
        "Sébastien,Lefèvre,sebastien@lefevre-menuiserie.example,02 99 00 00 00,"
        "Lefèvre Menuiserie,Directeur,Rennes",
        "Sebastien,Lefevre,s.lefevre@lefevre-menuiserie.example,06 01 02 03 04,"
        "Menuiserie Lefevre,Gérant,Rennes"], [(1, 2)], []),
    # Yann and Yannick Le Gall run one firm, each with his own address, on its line; Ludo
    # is Ludovic's short form (a name of its own in some lists too).
    "names of their own": ([
        "Yann,Le Gall,yann.legall@armor-peche.example,02 98 00 00 01,Armor Pêche,Directeur,"
        "Brest",
        "Yann,Le Gall,ylegall@armor-peche.example,,Armor Peche SAS,PDG,Brest",
        "Yannick,Le Gall,yannick.legall@armor-peche.example,02 98 00 00 01,Armor Pêche,"
        "Responsable production,Brest",
        "Ludovic,Bertrand,l.bertrand@hexa.example,,Hexa Conseil,Manager,Lille",
        "Ludo,Bertrand,ludo@hexa.example,,Hexa,Senior Manager,Lille"],
        [(1, 2), (4, 5)], [(1, 3)]),
    # "Expert-comptable" on the firm's site, "Associée" in the CRM: one partner, not a
    # junior and an owner; an assistant and a president stay apart.
    "profession and partner": ([
        "Hélène,Dubois,helene.dubois@cabinet-dubois.example,01 45 00 00 00,Cabinet Dubois,"
        "Expert-comptable,Paris",
        "Helene,Dubois,h.dubois@cabinet-dubois.example,06 33 22 11 00,"
        "Cabinet Dubois & Associés,Associée,Paris",
        "Marie,Durand,marie.durand@acme.example,,Acme,Assistante de direction,Lyon",
        "Marie,Durand,m.durand@acme.example,,Acme,Présidente,Lyon"], [(1, 2)], [(3, 4)]),
    # 0000000000 and 0123456789 fill a mandatory field; two namesakes carry them.
    "filler numbers": ([
        "Pierre,Lefebvre,,0000000000,,,", "Pierre,Lefebvre,,00 00 00 00 00,,,",
        "Paul,Lambert,,0123456789,,,", "Paul,Lambert,,+33 1 23 45 67 89,,,"],
        [], [(1, 2), (3, 4)]),
    # Two freelancers of one common name in one city are not colleagues.
    "no employer": ([
        "Julien,Martin,,,Freelance,Développeur,Lyon", "Julien,Martin,,,Freelance,Designer,Lyon",
        "Claire,Petit,,,Indépendante,Graphiste,Nantes",
        "Claire,Petit,,,Indépendante,Photographe,Nantes"], [], [(1, 2), (3, 4)]),
    # One name, the firm's line (nobody else carries it), and two addresses the firm
    # gave two namesakes: the line is no key; a number shared, the pair is a question.
    "father and son": ([
        "Patrick,Durand,patrick.durand@durand-fils.example,04 91 00 00 00,Durand & Fils,"
        "Président,Marseille",
        "Patrick,Durand,patrick.durand.jr@durand-fils.example,04 91 00 00 00,Durand & Fils,"
        "Directeur commercial,Marseille"], [], [(1, 2)], 1),
    # A mail provider the free-mail list lacks (a made-up one here), read from the data:
    # people of ten firms write from it, so theo.gonzalez51@ and theo.gonzalez95@ there
    # are one man's two personal addresses, not two a firm gave two namesakes.
    "unlisted mail provider": ([
        *(f"{given},{surname},{given.lower()}.{surname.lower()}@webmail.example,,{firm},,"
          for given, surname, firm in (
              ("Anne", "Roy", "Acme"), ("Paul", "Henry", "Brico Ouest"),
              ("Lina", "Faure", "Cabinet Vidal"), ("Marc", "Blanc", "Delta Transports"),
              ("Inès", "Roux", "Epsilon Conseil"), ("Yves", "Morin", "Ferme du Lac"),
              ("Rose", "Perrin", "Garage Central"), ("Hugo", "Clerc", "Hôtel du Port"),
              ("Lou", "Caron", "Imprimerie Moderne"), ("Nils", "Marchal", "Jardins Verts"))),
        "Théo,Gonzalez,theo.gonzalez51@webmail.example,01 99 81 47 81,,CTO,Montpellier",
        "Théo,Gonzalez,theo.gonzalez95@webmail.example,01 99 81 47 81,,Comptable,"
        "Montpellier"], [(11, 12)], [(1, 2)]),
    # "BNP" in a CRM, "BNP Paribas" on a list; "LVMH" beside the group's full name. Not
    # one person at Orange and one at Orangina.
    "company name cut to its head": ([
        "Sandrine,Picard,,,BNP Paribas,Chargée d'affaires,Lyon",
        "Sandrine,Picard,sandrine.picard@bnpparibas.example,,BNP,"
        "Chargée d'affaires entreprises,Lyon",
        "Franck,Henry,,,LVMH Moët Hennessy Louis Vuitton,Contrôleur de gestion,Paris",
        "Franck,Henry,franck.henry@lvmh.example,,LVMH,Contrôleur de gestion,Paris",
        "Julie,Roger,,,Orange,Acheteuse,Paris",
        "Julie,Roger,julie.roger@orangina.example,,Orangina,Acheteuse,Paris"],
        [(1, 2), (3, 4)], [(5, 6)]),
    # William Turner moved from Lakeshore to Granite Peak and kept his mobile; a second
    # source calls him Bill on the switchboard. His old and new addresses are two
    # employers', not two men's; the Chicago attorney of his name stays apart.
    "job change bridged by a mobile": ([
        "William,Turner,wturner@lakeshore-med.example,+1 312 555 0163,Lakeshore Medical,"
        "Director of IT,Chicago",
        "William,Turner,bill.turner@granitepeak.example,+1 312 555 0163,Granite Peak Health,"
        "Chief Information Officer,Chicago",
        "Bill,Turner,bill.turner@granitepeak.example,+1 312 555 0175,Granite Peak Health,"
        "CIO,Chicago",
        "William,Turner,wturner@hale-ross.example,+1 312 555 0190,Hale & Ross LLP,Attorney,"
        "Chicago"], [(1, 2), (1, 3), (2, 3)], [(1, 4), (3, 4)]),
    # The CRM has Nathalie Girard's work address and office line, an event list her
    # Gmail address and mobile, a third source both of her numbers: one woman.
    "personal address beside a work one": ([
        "Nathalie,Girard,nathalie@pixelle.example,01 99 00 81 20,Studio Pixelle SARL,"
        "Office manager,Paris",
        "Nathalie,Girard,nathalie@pixelle.example,06 39 98 22 93,Studio Pixelle,"
        "Responsable administrative,Paris",
        "Nathalie,GIRARD,nathalie.girard75@gmail.com,06 39 98 22 93,Pixelle,Office Manager,"
        "Paris"], [(1, 2), (1, 3)], []),
    # Jean-Pierre and Jean-Paul Vasseur, brothers on their firm's line: one given name
    # opens both, neither is the other's beginning (Jean is, and J.-P. both's).
    "two compound given names": ([
        "Jean-Pierre,Vasseur,jean-pierre.vasseur@vasseur-freres.example,03 21 44 58 90,"
        "Vasseur Frères,Président,Arras",
        "Jean-Paul,Vasseur,,03 21 44 58 90,Vasseur Frères,Directeur général,Arras",
        "Jean,Vasseur,jean-pierre.vasseur@vasseur-freres.example,,Vasseur Freres SAS,"
        "Président,Arras"], [(1, 3)], [(1, 2), (2, 3)]),
    # Two Sarah Johnsons of one firm: its London consultant and its New York HR manager,
    # each with an address the firm gave her, her own number, her town and her role.
    "namesakes at two offices of one firm": ([
        "Sarah,Johnson,sarah.johnson@kingsbridge.example,+44 20 7946 0473,"
        "Kingsbridge Consulting Ltd,Senior Consultant,London",
        "Sarah,Johnson,sjohnson@kingsbridge.example,+1 212 555 0157,"
        "Kingsbridge Consulting Inc.,HR Manager,New York",
        "Sarah,Johnson,sarah.johnson@kingsbridge.example,,Kingsbridge Consulting,"
        "Senior Consultant,London"], [(1, 3)], [(1, 2), (2, 3)]),
}


@pytest.mark.parametrize("case", sorted(_VARIATIONS))
def test_realistic_variations_between_sources(tmp_path: Path, db: Path, case: str):
    rows, same, apart, *reviews = _VARIATIONS[case]
    found, report = _dedupe_crm(tmp_path, db, "id,first_name,last_name,email,phone,company_name,"
                           "title,city\n" + "".join(f"{i},{row}\n"
                                                     for i, row in enumerate(rows, 1)))
    for a, b in same:
        assert found[f"crm:{a}"] is found[f"crm:{b}"], (a, b)
    for a, b in apart:
        assert found[f"crm:{a}"] is not found[f"crm:{b}"], (a, b)
    if reviews:
        assert report.details["pending_reviews"] == reviews[0]


def test_two_names_of_one_town_with_one_postcode_are_no_second_office(
        tmp_path: Path, db: Path):
    # Two addresses at one firm that fit one name, two numbers, two titles: two offices'
    # namesakes only where the towns differ. Valbonne and Sophia Antipolis, both 06560,
    # are one town (the business park's name and the commune's).
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,company_name,title,city,postcode\n"
        "1,Claudia,Salandra,salandra@enigas.example,+33 4 93 65 33 70,ENI,"
        "Marketing Manager,Valbonne,06560\n"
        "2,Claudia,Salandra,claudia.salandra@enigas.example,+33 6 72 18 40 95,Eni SpA,"
        "Responsabile marketing,Sophia Antipolis,06560\n")
    assert found["crm:1"] is found["crm:2"]


def test_a_mobile_follows_its_owner_from_one_firm_to_the_next(tmp_path: Path, db: Path):
    # Sophie Lambert left Biocéane for Maison Duval and kept her mobile; her new record
    # also carries Maison Duval's switchboard, which her colleague Élodie carries too.
    # The mobile is hers alone: one woman at two firms. Two Sébastien Faures sharing a
    # landline at two firms are two men (a site both firms share).
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,mobile,company_name,title,city\n"
        "1,Sophie,Lambert,s.lambert@maison-duval.fr,05 36 49 27 10,06 39 98 66 20,"
        "Maison Duval SAS,Responsable marketing,Toulouse\n"
        "2,Sophie,LAMBERT,sophie.lambert@bioceane.fr,05.36.49.90.00,,Bioceane,"
        "Directrice Marketing,Toulouse\n"
        "3,Sophie,Lambert,sophie.lambert@bioceane.fr,05 36 49 90 00,06 39 98 66 20,"
        "Biocéane SA,Directrice marketing,Toulouse\n"
        "4,Élodie,Perrot,elodie.perrot@maison-duval.fr,05 36 49 27 10,06 39 98 81 45,"
        "Maison Duval,Chef de produit senior,Toulouse\n"
        "5,Élodie,Perrot,elodie.perrot@maison-duval.fr,,+33 6 39 98 81 45,"
        "Maison Duval SAS,Senior Product Manager,Toulouse\n"
        "6,Sébastien,Faure,sebastien.faure@decathlon.com,03 20 33 50 00,,Decathlon,"
        "Responsable logistique,Villeneuve-d'Ascq\n"
        "7,Sébastien,Faure,sfaure@leroymerlin.fr,03 20 33 50 00,,Leroy Merlin,"
        "Chef de rayon,Lezennes\n")
    assert found["crm:1"] is found["crm:2"] is found["crm:3"]
    assert found["crm:4"] is found["crm:5"]
    assert found["crm:6"] is not found["crm:7"]


def test_a_mobile_follows_its_owner_whose_name_a_source_mistyped(tmp_path: Path,
                                                                  db: Path):
    # Pénélope Hébert moved from Lorent & Rizzo to Groupe Metalis with her mobile; the
    # second file mistypes her surname ("Heebrt"), or Brandon Lee's given name
    # ("Barndon"). Two names a typo apart and one mobile no one else has: one person.
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,mobile,company_name,title,city\n"
        "1,Pénélope,Hébert,penelope.hebert@lorent-rizzo.example,04 71 49 08 92,"
        "06 75 30 20 81,Lorent & Rizzo S.A.S,,Marseille\n"
        "2,Penelope,Heebrt,penelope_hebert@groupe-metalis.example,,+33675302081,"
        "GROUPE METALIS SA,Accounting Manager,Valbonne\n"
        "3,Brandon,Lee,brandon.lee@wessex-partners.example,,+44 7530 078694,"
        "Wessex Partners,Software Engineer,Birmingham\n"
        "4,Barndon,Lee,b.lee@kalivea-labs.example,0044 20 8972 2032,0044 7530 078694,"
        "Kalivea Labs Ltd,Sales Lead,London\n")
    assert found["crm:1"] is found["crm:2"]
    assert found["crm:3"] is found["crm:4"]


def test_given_name_and_surname_fields_filled_the_other_way_round():
    # A badge scan's "Le Gall" / "Jean-Marc": compared (and blocked) as Jean-Marc Le
    # Gall, as a CRM's "Jean-Marc" / "LE GALL" is. A surname with no given name beside
    # it is no error.
    from dedupe.features import _person_columns

    def row(pid: str, first: str | None, last: str) -> list[Any]:
        return [pid, first, last, "", "[]", "[]", "c_1", "Saint-Gobain", None, "", "", "",
                "", "", 1]

    cols, _ = _person_columns([[row("p_1", "Le Gall", "Jean-Marc"),
                                row("p_2", "Jean-Marc", "LE GALL"),
                                row("p_3", None, "Le Gall")]])
    assert cols["first"] == ["jean marc", "jean marc", ""]
    assert cols["last"][0] == cols["last"][1] == cols["last"][2]


def test_an_article_before_or_after_a_company_name_is_no_other_company(tmp_path: Path,
                                                                       db: Path):
    # A CRM writes "Les Jardins de Provence", a registry "JARDINS DE PROVENCE (LES)".
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,company_name,title,city\n"
        "1,Lucas,Renard,,Les Jardins de Provence,Paysagiste,Aix-en-Provence\n"
        "2,Lucas,Renard,lucas@jardins-provence.example,JARDINS DE PROVENCE (LES),"
        "Gérant,Aix-en-Provence\n")
    assert found["crm:1"] is found["crm:2"]
    with sqlite3.connect(db) as conn:
        left = conn.execute("SELECT count(*) FROM companies WHERE merged_into IS NULL")
        assert left.fetchone()[0] == 1


def test_two_address_forms_of_one_person_and_a_son_told_apart(tmp_path: Path, db: Path):
    # eric.delacroix@ and edelacroix@ are one person's two addresses (a company changed
    # its pattern, or keeps both), so are pharris@ and peterh@ for Peter Harris; f.roy@
    # and f.roy.jr@ are a father and his son.
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,company_name,title,city\n"
        "1,Éric,Delacroix,eric.delacroix@confluence.example,+33 6 39 47 06 84,"
        "Confluence Travaux,Commercial sédentaire,Angers\n"
        "2,Éric,Delacroix,edelacroix@confluence.example,+33 (0)6 39 47 06 84,"
        "Confluence Travaux SA,Responsable commercial,Angers\n"
        "3,Éirc,Delacroix,,,Confluence Travaux,Commercial sédentaire,Angers\n"
        "4,Eric,Delacroix,eric.delacroix@confluence.example,,Confluence Travaux SA,"
        "Commercial sédentaire,Angers\n"
        "5,Frédéric,Roy,f.roy@colin.example,,Établissements Colin,DAF,Lyon\n"
        "6,Fred,Roy,f.roy.jr@colin.example,,Établissements Colin,Président,Lyon\n"
        "7,Peter,Harris,pharris@crown.example,020 7998 6894,Crown Holdings,CFO,"
        "Glasgow\n"
        "8,Pete,Harris,peterh@crown.example,,Crown Holdings Inc,CFO,Glasgow\n")
    assert len({id(found[f"crm:{i}"]) for i in (1, 2, 3, 4)}) == 1
    assert found["crm:5"] is not found["crm:6"]
    # Each address a form of the other record's name.
    assert found["crm:7"] is found["crm:8"]


def test_an_address_spelling_the_name_another_record_mistypes(tmp_path: Path, db: Path):
    # Benjamin Coper (a badge scan's typo) at benjaminc@ and Benjamin Cooper at bcooper@:
    # bcooper@ spells Cooper as the other record does not, benjaminc@ fits both; likewise
    # cedric@ for "Cedrc Salmon" beside cedricsalmon@. Jennifer Lopez and Jennifer Lopes,
    # each address spelling its own record's surname, are two people the company named.
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,company_name,title,city\n"
        "1,Benjamin,Cooper,bcooper@junovea.example,+44 161 744 1052,Junovea International Ltd,"
        "IT Director,Manchester\n"
        "2,Benjamin,Coper,benjaminc@junovea.example,,Junovea International,IT Director,"
        "Manchester\n"
        "3,Cedrc,Salmon,cedric@onyxis.example,,Onyxis Electronique SARL,"
        "Procurement Manager,Lille\n"
        "4,Cédric,Salmon,cedricsalmon@onyxis.example,07 05 12 70 14,Onyxis,"
        "Responsable des achats,Lille\n"
        "5,Jennifer,Lopez,jennifer.lopez@bluewave.example,,Bluewave,Product Manager,"
        "New York\n"
        "6,Jennifer,Lopes,jennifer.lopes@bluewave.example,,Bluewave,Designer,New York\n"
        "7,L.,Rossi,lucia.rossi@eni.example,,Eni,,Torino\n"
        "8,L,Rossi,luca.rossi@eni.example,06 4809 6747,Eni SpA,,Roma\n")
    assert found["crm:1"] is found["crm:2"]
    assert found["crm:3"] is found["crm:4"]
    assert found["crm:5"] is not found["crm:6"]
    # Initials fit either address; the addresses name Lucia and Luca.
    assert found["crm:7"] is not found["crm:8"]


def test_an_address_spelling_a_surname_the_other_record_cuts_short(tmp_path: Path,
                                                                   db: Path):
    # "Mahie" (a letter dropped) at mahieu@ beside Marie-Laure Mahieu at
    # marielauremahieu@: the short address spells the other record's surname. Abigail
    # Bell and Abigail Campbell (a surname inside the other, not a letter shorter) at
    # a.bell@ and a.campbell@ are two people.
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,company_name,title,city\n"
        "1,Marie-Laure,Mahieu,marielauremahieu@lagarde-dehon.example,+33 5 73 41 64 71,"
        "Lagarde & Dehon SNC,Marketing Manager,Bordeaux\n"
        "2,marie-laure,mahie,mahieu@lagarde-dehon.example,,LAGARDE & DEHON,"
        "Marketing Mgr,Bordeaux\n"
        "3,Abigail,Bell,a.bell@solutions26.example,(207) 555-4002,Solutions LLP,"
        "Chargée de communication,Boston\n"
        "4,Abigail,Campbell,a.campbell@solutions26.example,(207) 555-3206,Solutions LLP,"
        "Consultant,Boston\n")
    assert found["crm:1"] is found["crm:2"]
    assert found["crm:3"] is not found["crm:4"]


def test_one_name_two_addresses_at_one_company_and_one_mobile(tmp_path: Path, db: Path):
    # e.hubert@ and mhubert@ (one mistyped) are no forms of one person's address, but the
    # two records share a mobile no one else has: one person. "M. Payne" at marvin@ (no
    # given name: a civility) and mpayne@: the address holds the surname.
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,company_name,title,city\n"
        "1,Emmanuel,Hubert,e.hubert@actiria.example,+33 6 94 13 34 91,ACTIRIA SARL,"
        "HR Director,Montpellier\n"
        "2,Emmanuel,Hubert,mhubert@actiria.example,0033694133491,Actiria SARL,DRH,"
        "Montpellier\n"
        "3,Marvin,Payne,Marvin@xenergy.example,,XENERGY SYSTEMS,Operations Manager,"
        "New York\n"
        "4,Marvin,Payne,mpayne@xenergy.example,1-212-728-1970,XENERGY SYSTEMS LLC,"
        "Operations Manager,New York\n"
        "5,M.,Payne,marvin@xenergy.example,212-728-4050,Xenergy Systems,"
        "Operations Manager,\n")
    assert found["crm:1"] is found["crm:2"]
    assert len({id(found[f"crm:{i}"]) for i in (3, 4, 5)}) == 1


def test_one_name_two_addresses_and_a_mobile_written_without_its_plus(tmp_path: Path,
                                                                     db: Path):
    # A Brevo export: its SMS column writes the country code without +. Ophélie
    # Descamps at ophelie@ and ophellie@ (mistyped), and at ophelie.descamps@: the
    # mobile no one else has says one person, as it does written +33 6….
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,company_name,title,city\n"
        "1,Ophelie,Descamps,ophellie@eolys.example,33673291486,,DAF,Toulouse\n"
        "2,Ophélie,Descamps,ophelie@eolys.example,33673291486,Eolys,DAF,Toulouse\n"
        "3,Ophelie,Descamps,ophelie.descamps@eolys.example,33673291486,Eolys,DAF,\n")
    assert len({id(found[f"crm:{i}"]) for i in (1, 2, 3)}) == 1


def test_a_record_with_no_name_whose_address_spells_another_persons(tmp_path: Path,
                                                                   db: Path):
    # A record with an address and no name (a newsletter sign-up) on the switchboard
    # Gavin Smith's record gives: jeremy.white@ is another person's address. Carried by
    # these two records alone, the line looked like one person's own. Anne Le Floch's
    # address with no name beside her record is hers.
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,company_name,title,city\n"
        "1,Gavin,Smith,gavin.s@gmail.com,+44 117 550 7044,The DHR Group Ltd,"
        "Head of Marketing,Bristol\n"
        "2,,,jeremy.white@dhr.example,+44 117 550 7044,The DHR Group Ltd,"
        "Director of Operations,Bristol\n"
        "3,Anne,Le Floch,a.lefloch@axior.example,03 97 09 29 55,Axior SARL,,Nancy\n"
        "4,,,anne.lefloch@axior.example,+33 3 97 09 29 55,Axior SARL,"
        "Business Developer,Nancy\n"
        "5,Catherine,Bouvier,catherine_bouvier@lumeo.example,+33470897495,Luméo SAS,"
        "Director of Operations,Lyon\n"
        "6,,,laura_olivier@lumeo.example,0470897495,Luméo,Responsable commerciale,\n")
    assert found["crm:1"] is not found["crm:2"]
    assert found["crm:3"] is found["crm:4"]
    assert found["crm:5"] is not found["crm:6"]
    # A question for the reviewer (they share a number), not two strangers.
    ids = sorted((found["crm:1"]["id"], found["crm:2"]["id"]))
    decision = sqlite3.connect(db).execute(
        "SELECT decision FROM pairs WHERE a = ? AND b = ?", ids).fetchone()
    assert decision == ("review",)


def test_one_name_and_an_address_a_letter_off_a_form_of_it(tmp_path: Path, db: Path):
    # Mark Moore at mark_moore@ and m.moore@, and at mark_mooer@ (two letters swapped):
    # beside m.moore@ too, the mistyped address is one of his name's forms. Two Marie
    # Durand at marie.durand@ and marie.durand2@ stay two people.
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,company_name,title,city\n"
        "1,Mark,Moore,mark_moore@tjflabs.example,,TJF Labs,Account Executive,London\n"
        "2,Mark,Moore,m.moore@tjflabs.example,,TJF Labs,Account Executive,\n"
        "3,Mark,Moore,mark_mooer@tjflabs.example,,,Account Executive,\n"
        "4,Marie,Durand,marie.durand@acme.example,,Acme,Comptable,Lyon\n"
        "5,Marie,Durand,marie.durand2@acme.example,,Acme,Comptable,Lyon\n")
    assert len({id(found[f"crm:{i}"]) for i in (1, 2, 3)}) == 1
    assert found["crm:4"] is not found["crm:5"]


def test_one_address_under_a_firms_two_suffixes(tmp_path: Path, db: Path):
    # Danielle Adam at danielle.adam@dupont-industrie.fr, and at .com with the firm's
    # name: one firm's two sites, an address consistent with her name (3) and no two
    # employers (not 4). Two Paul Roy at two firms' sites: two addresses (5), two
    # employers (4).
    levels = _levels_of_text(
        tmp_path, db, "id,first_name,last_name,email,phone,company_name,title,city\n"
        "1,Danielle,Adam,danielle.adam@dupont-industrie.fr,,,DAF,Nantes\n"
        "2,Danielle,ADAM,danielle.adam@dupont-industrie.com,+33 6 84 20 58 83,,,Nantes\n"
        "3,Paul,Roy,paul.roy@roy-btp.fr,,,Conducteur de travaux,Lille\n"
        "4,Paul,Roy,paul.roy@roy-conseil.fr,+33 6 12 44 58 83,,,Lille\n")
    assert [(lv["email"], lv["company"]) for lv in levels] == [(3, 0), (5, 4)]


def test_one_name_and_an_address_a_letter_off(tmp_path: Path, db: Path):
    # Caroline Vasseur at carolinevasseur@ and at carolinebasseur@ (a letter mistyped),
    # Christelle Allain at christelle.allain@ and chritelle.allain@ (one dropped), each on
    # its direct line: one person. Two Marie Durand at marie.durand@ and marie.durand2@
    # on the office line, and Jennifer Lopez and Lopes (each address her own record's
    # surname), are two people.
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,company_name,title,city\n"
        "1,Caroline,Vasseur,carolinevasseur@infraservices.example,05 82 04 25 28,"
        "Infra Services,Data scientist,Toulouse\n"
        "2,caroline,vasseur,carolinebasseur@infraservices.example,0582042528,"
        "Infra Services,,Toulouse Cedex\n"
        "3,Christelle,Allain,christelle.allain@lumiis.example,+33 2 67 72 22 00,"
        "LUMIIS EURL,Consultant,Tours\n"
        "4,Christelle,Allain,chritelle.allain@lumiis.example,0267722200,Lumiis,,TOURS\n"
        "5,Marie,Durand,marie.durand@sofiris.example,04 35 35 09 00,Sofiris,"
        "Comptable,Lyon\n"
        "6,Marie,Durand,marie.durand2@sofiris.example,04 35 35 09 00,Sofiris SARL,"
        "Ingénieure,Lyon\n"
        "7,Jennifer,Lopez,jennifer.lopez@bluewave.example,,Bluewave,Product Manager,"
        "New York\n"
        "8,Jennifer,Lopes,jennifer.lopes@bluewave.example,,Bluewave,Designer,New York\n")
    assert found["crm:1"] is found["crm:2"]
    assert found["crm:3"] is found["crm:4"]
    assert found["crm:5"] is not found["crm:6"]
    assert found["crm:7"] is not found["crm:8"]


def test_one_name_and_addresses_each_mistyped(tmp_path: Path, db: Path):
    # Lucy Fernandes at lucy.fernandes@, lucy.ferrnandes@ and lucy.fernnades@ (the last
    # two a slip each from the first, two from each other), on the firm's line: one
    # person, not two whose addresses tell them apart (numbered ones do: see
    # test_one_name_and_an_address_a_letter_off).
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,company_name,title,city\n"
        "1,Lucy,Fernandes,lucy.fernandes@france-conseil.example,+33 1 87 30 61 00,"
        "France Conseil SARL,Sales Director,Paris\n"
        "2,Lucy,Fernandes,lucy.ferrnandes@france-conseil.example,0187306100,"
        "France Conseil,,France\n"
        "3,LUCY,FERNANDES,lucy.fernnades@france-conseil.example,01.87.30.61.00,"
        "FRANCE CONSEIL,Sales Director,PARIS\n")
    assert found["crm:1"] is found["crm:2"] is found["crm:3"]


def test_a_whole_name_in_the_given_name_column(tmp_path: Path, db: Path):
    # "Gabriel Wagner" in First Name, no Last Name (an export's one name column mapped
    # there): compared as given name Gabriel, surname Wagner, as a full name alone is.
    _import_crm(tmp_path, db,
                "id,first_name,last_name,full_name,phone\n"
                "1,Gabriel Wagner,,,+33 6 02 65 58 07\n"
                "2,,,Joel Gregory MBA,+44 7402 795756\n"
                "3,Marie,,,+33 6 11 22 33 44\n"
                "4,MC,Wilmet,,01 79 08 33 51\n"
                "5,Jo,Smith,,020 7946 0000\n")
    from dedupe.features import load_people
    from prospecting.store import Store

    with Store(db) as store:
        f = load_people(store)
    names = sorted(zip(f.first.tolist(), f.last.tolist(), strict=True))
    # "MC" is initials written together (as "M.-C." folds), "Jo" a name.
    assert names == [("gabriel", "wagner"), ("jo", "smith"), ("joel", "gregory"),
                     ("m c", "wilmet"), ("marie", "")]


def test_a_surname_with_particles_written_joined(tmp_path: Path, db: Path):
    # "DOSSANTOS" in a CRM, "Dos Santos, Élodie" on a team page: the particle keeps
    # "santos" as the surname's core, so the joined form is keyed too (no company key
    # joins them: LOREAL has no site, L'Oréal is known by its own).
    from dedupe.blocking import BlockingReport, _person_jobs
    from dedupe.features import load_people
    from prospecting.store import Store

    _import_crm(tmp_path, db,
                "id,first_name,last_name,full_name,company_name,website\n"
                "1,Élodie,DOSSANTOS,,LOREAL,\n"
                "2,,,\"Dos Santos, Élodie\",L'Oréal,www.loreal.example\n"
                "3,Élodie,SANTOS,,Acme,\n")
    with Store(db) as store:
        f = load_people(store)
    [find] = [find for name, _, find in _person_jobs(f, max_block=60, window=4)
              if name == "given name+surname"]
    pairs = find(BlockingReport()).tolist()
    key = dict(zip(f.ids.tolist(), range(len(f)), strict=True))
    with Store(db) as store:
        ids = {sid: pid for pid, sid in store.conn.execute(
            "SELECT id, json_extract(source_ids, '$[0]') FROM people")}
    joined, spaced, core = key[ids["crm:1"]], key[ids["crm:2"]], key[ids["crm:3"]]
    assert sorted((joined, spaced)) in pairs
    assert sorted((spaced, core)) in pairs  # "Dos Santos" is still a Santos


@pytest.mark.parametrize(("key", "text", "kept", "dropped"), [
    # Neighbours by surname: the given names may be one person's (a typo, initials,
    # a nickname, none), or are another person's.
    ("sorted surname",
     "id,first_name,last_name\n"
     "1,Jonathan,Lefebvre\n2,Jonathon,Lefebvre\n3,Martine,Lefebvre\n"
     "4,J.-P.,Lefebvre\n5,Jean-Pierre,Lefebvre\n6,Bob,Lefebvre\n7,Robert,Lefebvre\n"
     "8,,Lefebvre\n",
     [("1", "2"), ("4", "5"), ("6", "7"), ("7", "8")],
     [("1", "3"), ("2", "3"), ("3", "4"), ("5", "6")]),
    # Neighbours by given name: the surnames are spelt alike, or are two people's.
    ("sorted given name",
     "id,first_name,last_name\n"
     "1,Camille,Rousseau\n2,Camille,Rouseau\n3,Camille,Roux\n4,Camille,Bernard\n",
     [("1", "2")],
     [("1", "4"), ("2", "4"), ("3", "4")]),
], ids=["by surname", "by given name"])
def test_sorted_neighbours_whose_other_name_differs_are_not_compared(
        tmp_path: Path, db: Path, key: str, text: str, kept: list[tuple[str, str]],
        dropped: list[tuple[str, str]]):
    # In a file of many people, most neighbours in name order share one name and not the
    # other: two people, whom no other key pairs either. Only those whose other name may
    # be the same person's are scored.
    from dedupe.blocking import BlockingReport

    _import_crm(tmp_path, db, text)
    report = BlockingReport()
    pairs = _key_pairs(db, key, window=8, report=report)
    assert report.pairs[key] == len(pairs)
    for x, y in kept:
        assert (f"crm:{x}", f"crm:{y}") in pairs, (x, y)
    for x, y in dropped:
        assert (f"crm:{x}", f"crm:{y}") not in pairs, (x, y)


def test_colleagues_at_one_office_address_are_not_paired_by_it(tmp_path: Path, db: Path):
    # One company's people share its office's address: the address keys pair two of
    # them only when their names may be one person's. The same address with no company
    # (a register's list of residents, FEBRL) still pairs whatever the names.
    from dedupe.blocking import person_pairs

    _import_crm(tmp_path, db,
                "id,first_name,last_name,company_name,website,address,postcode,city\n"
                "1,Claire,Dubois,Acme,acme.example,12 rue de la Paix,75002,Paris\n"
                "2,Hugo,Marchand,Acme,acme.example,12 rue de la Paix,75002,Paris\n"
                "3,Claire,Dubos,Acme,acme.example,12 rue de la Paix,75002,Paris\n"
                "4,Kate,Rawlings,,,4 Wallaby Place,2600,Canberra\n"
                "5,Connor,Millar,,,4 Wallaby Place,2600,Canberra\n")
    f, row = _features_and_rows(db)
    pairs = {tuple(p) for p in person_pairs(f, max_block=60, window=1)[0].tolist()}

    def paired(x: str, y: str) -> bool:
        return tuple(sorted((row[f"crm:{x}"], row[f"crm:{y}"]))) in pairs

    assert paired("1", "3")
    assert not paired("1", "2")
    assert not paired("2", "3")
    assert paired("4", "5")


@pytest.mark.parametrize(("address", "start"), [
    ("7 wallaby place", "wall"),
    ("12 rue de la paix", "paix"),
    ("165 r des lilas", "lila"),
    ("60 ter pl gambetta", "gamb"),
    ("1 rue d'alsace", "alsa"),
    ("12bis avenue des champs elysees", "cham"),
    ("12 rue", ""),
])
def test_a_street_starts_after_its_type_and_article(address: str, start: str):
    # "rue de", "avenue des": half of a French file's streets would start alike.
    from dedupe.blocking import _street_start

    assert _street_start(address) == start


def test_one_number_on_one_street_in_two_towns_pairs_only_one_name(tmp_path: Path,
                                                                    db: Path):
    # The key that finds an address with a mistyped postcode (its number and street)
    # pairs no strangers living at 90 rue de Paris in two towns.
    from dedupe.blocking import BlockingReport, _person_jobs

    _import_crm(tmp_path, db,
                "id,first_name,last_name,address,postcode,city\n"
                "1,Claire,Dubois,90 rue de Paris,35000,Rennes\n"
                "2,Hugo,Marchand,90 rue de Paris,59000,Lille\n"
                "3,Claire,Dubois,90 rue de Paris,35600,Rennes\n")
    f, row = _features_and_rows(db)
    [find] = [find for name, _, find in _person_jobs(f, max_block=60, window=1)
              if name == "street number+street"]
    assert find(BlockingReport()).tolist() == [sorted((row["crm:1"], row["crm:3"]))]


@pytest.mark.parametrize(("x", "y", "slip"), [
    ("delforrge", "delforgeinformatique", True),
    ("batien", "bastienemballages", True),
    ("solnae", "solaneemballages", True),
    ("dupont", "dupontlogistique", False),  # spelt right: a word added, seen elsewhere
    ("acme", "acmeindustries", False),  # too short to tell a slip
    ("orange", "orangina", False),  # the last letter changed: another name
])
def test_a_company_key_one_slip_from_another_s_head(x: str, y: str, slip: bool):
    from dedupe.comparisons import _slip_from_head

    assert _slip_from_head(x, y) is slip
    assert _slip_from_head(y, x) is slip


def test_values_coded_in_the_order_they_first_appear():
    from dedupe.comparisons import _codes_into

    values = ["b", "", "a", "b", "c", "a", "d", ""]
    table, expected = {"": 0, "c": 1}, {"": 0, "c": 1}
    codes = _codes_into(table, values)
    assert codes.tolist() == [expected.setdefault(v, len(expected)) for v in values]
    assert list(table.items()) == list(expected.items())
    assert codes.dtype == np.int32


def test_profile_forms_read_as_one_profile_does():
    # The LinkedIn comparison reads each address's forms as arrays; the identity check
    # calls _one_profile on two addresses: both say the same of every pair.
    import itertools
    from types import SimpleNamespace

    from dedupe.comparisons import _column, _one_profile, _profile_forms

    keys = ["", "in/anna-berg", "in/anna-berg-5f81ac40", "in/anna-berg-94f38d67",
            "in/anna-berg-1234-5678", "in/anna-berg-1234", "in/-1234", "in/",
            "in/acwaab1x2y3z4abcdefghijklmnop", "in/acoaab1x2y3z4abcdefghijklmnop",
            "in/acw-short", "company/orbis", "pub/anna-berg/1/2/3", "in/bob-12ab", "in/bob"]
    f = SimpleNamespace(extra={"strings:linkedin": _column(keys),
                               "values:linkedin": np.arange(len(keys), dtype=np.int32)})
    any_profile, own, bare = _profile_forms(f)
    for x, y in itertools.permutations(range(1, len(keys)), 2):
        read = bool(any_profile[x] | any_profile[y] | (own[x] == bare[y])
                    | (own[y] == bare[x]))
        assert read is _one_profile(keys[x], keys[y]), (keys[x], keys[y])


def test_company_strings_set_aside_by_letters_are_never_a_slip():
    # Pairs whose lengths and letters rule out a slip or a mistyped word for a kind of
    # business are not read in Python; every pair either test holds for is kept.
    import random
    from types import SimpleNamespace

    from dedupe.comparisons import (
        _LETTERS_KEPT,
        _maybe_mistyped,
        _mistyped_kind,
        _slip_from_head,
    )

    rng = random.Random(5)
    letters = "abcdefghijklmnopqrstuvwxyzéèç"

    def slipped(word: str) -> str:
        k = rng.randrange(len(word))
        return rng.choice([word[:k] + word[k + 1:], word[:k] + word[k] + word[k:],
                           word[:k] + rng.choice(letters) + word[k + 1:],
                           word[:k] + word[k + 1:k + 2] + word[k:k + 1] + word[k + 2:]])

    strings, core_of = [""], {}
    for _ in range(40):
        word = "".join(rng.choice(letters) for _ in range(rng.randint(3, 12)))
        long_ = word + rng.choice(["emballages", "informatique", "sa", "", "x" * 50])
        strings += [word, slipped(word), long_, slipped(long_), long_[:_LETTERS_KEPT + 2]]
        # As long as the letters kept, and a letter added inside it.
        kept, k = (word * 16)[:_LETTERS_KEPT], rng.randrange(1, _LETTERS_KEPT - 2)
        strings += [kept, kept[:k] + "q" + kept[k:] + "emballages"]
        # A word for a kind of business before the name (its core): right, cut short,
        # mistyped ("ecolw": five letters, the shortest such a word can be).
        for kind in ("laboratoires", rng.choice(["ecole", "salon"])):
            for head in (kind, kind[:3], slipped(kind), kind[:-1] + "w"):
                core_of[len(strings)] = strings.index(word)
                strings.append(head + word)
    f = SimpleNamespace(extra={"strings:companies": np.array(strings, dtype=object)})
    n = len(strings)
    x, y = (c.ravel() for c in np.meshgrid(np.arange(1, n), np.arange(1, n)))
    cores = np.array([core_of.get(k, 0) for k in range(n)])
    cx, cy = cores[x], cores[y]
    maybe = _maybe_mistyped(f, x, y, cx, cy)
    exact = np.array([
        _slip_from_head(strings[a], strings[b])
        or _mistyped_kind(strings[a], strings[b], strings[cb] if cb else "")
        or _mistyped_kind(strings[b], strings[a], strings[ca] if ca else "")
        for a, b, ca, cb in zip(x.tolist(), y.tolist(), cx.tolist(), cy.tolist(),
                                strict=True)])
    assert exact.any()
    assert not (exact & ~maybe).any()
    assert not maybe.all()


def test_a_company_known_by_its_site_and_an_address_there(tmp_path: Path, db: Path):
    # A team page names the company by its site alone, or by another form of its name; a
    # CRM gives the name and a work address at that site: one employer. "Green &
    # Richards" and "Green and Richards" are one name.
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,company_name,website,title,city\n"
        "1,Sandrine,Mathieu,,,,www.transports-michel.example,Développeuse,Paris\n"
        "2,SANDRINE,MATHIEU,sandrine.mathieu@transports-michel.example,01 54 34 97 85,"
        "TRANSPORTS MICHEL,,,PARIS\n"
        "3,Sean,Briggs,,,Capea Health,capeahealth.example,IT Director,\n"
        "4,Sean,BRIGGS,sean.briggs@capeahealth.example,07967 545746,Capea,,,Cambridge\n"
        "5,Lewis,WILLIAMS,,07659 523536,Green & Richards,,,\n"
        "6,Lewis,Williams,l.williams@green-richards.example,+44 20 3452 9235,"
        "Green and Richards,www.green-richards.example,Finance Director,London\n")
    assert found["crm:1"] is found["crm:2"]
    assert found["crm:3"] is found["crm:4"]
    assert found["crm:5"] is found["crm:6"]


def test_a_company_known_by_its_site_and_by_its_name(tmp_path: Path, db: Path):
    # A team page names the company by its site alone, a CRM by its name, with no
    # address on either side: one employer where the site spells the name, whole
    # (zephix.example, ZEPHIX) or with a word for a kind of business (groupe-arcon.example,
    # Arcon). Another site (novexa.example) is another employer.
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,company_name,website,title,city\n"
        "1,Henri,GERMAIN,,01.19.51.88.74,ZEPHIX,,,Paris\n"
        "2,Henri,Germain,,,,zephix.example,Account Executive,\n"
        "3,Jean-Christophe,Lauzon,,,Arcon,,PDG,Paris 10ème\n"
        "4,Jean-Christophe,Lauzon,,,,https://www.groupe-arcon.example/notre-equipe,PDG,\n"
        "5,Inès,Marchal,,,Boreal,,Comptable,Lyon\n"
        "6,Inès,Marchal,,,,novexa.example,Comptable,\n")
    assert found["crm:1"] is found["crm:2"]
    assert found["crm:3"] is found["crm:4"]
    assert found["crm:5"] is not found["crm:6"]


def test_a_compound_given_name_written_partly_as_initials(tmp_path: Path, db: Path):
    # "M-Laure" is Marie-Laure (not Monsieur Laure), "Marie-Chr." Marie-Christine cut
    # short; Jean-Pierre and Jean-Paul stay two brothers' names.
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,phone,company_name,title,city\n"
        "1,Marie-Laure,Kévin,01 98 96 43 00,Kévin Frères,Directrice générale,Paris\n"
        "2,M-Laure,KEVIN,01 98 96 43 00,KEVIN FRERES,CEO,Paris\n"
        "3,Marie-Christine,Roche,,Groupe Talria,DAF,Lyon\n"
        "4,Marie-Chr.,Roche,,Groupe Talria SA,DAF,Lyon\n"
        "5,Jean-Pierre,Vidal,04 72 00 00 01,Vidal Frères,Gérant,Lyon\n"
        "6,Jean-Paul,Vidal,04 72 00 00 01,Vidal Frères,Gérant,Lyon\n")
    assert found["crm:1"] is found["crm:2"]
    assert found["crm:3"] is found["crm:4"]
    assert found["crm:5"] is not found["crm:6"]


def test_a_swapped_name_with_an_initial_and_the_initial_of_a_nickname(tmp_path: Path,
                                                                     db: Path):
    # One address, two numbers (a mobile and a direct line): "Leclerc, S." is Stéphane
    # Leclerc written surname first; "A." is the initial of Anthony, whom Tony is short for;
    # "Phillips, Sue" is Susan Phillips.
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,company_name,city\n"
        "1,Stéphane,Leclerc,SLECLERC@DESOUSA.EXAMPLE,+33 2 84 70 41 11,"
        "Ets De Sousa,Lille\n"
        "2,Leclerc,S.,sleclerc@desousa.example,0033 7 86 79 46 64,"
        "Établissements De Sousa,Lille\n"
        "3,Tony,Marshall,anthony.marshall@youngandco.example,+44 20 3803 0958,"
        "Young & Co,Birmingham\n"
        "4,A.,Marshall,anthony.marshall@youngandco.example,020 7543 4103,"
        "Young & Co,Birmingham\n"
        "5,Susan,Phillips,,020 3911 0756,Albion Lantern Ltd.,London\n"
        "6,Phillips,Sue,sphillips@albionlantern.example,,Albion Lantern,London\n"
        "7,P.,Muller,philippe.muller@fils.example,04 13 94 31 16,François & Fils SA,Angers\n"
        "8,Muller,Philippe,pmuller@fils.example,,François & Fils SA,Angers\n")
    assert found["crm:1"] is found["crm:2"]
    assert found["crm:1"]["first_name"] == "Stéphane"
    assert found["crm:3"] is found["crm:4"]
    assert found["crm:5"] is found["crm:6"]  # swapped, and Sue for Susan
    assert found["crm:7"] is found["crm:8"]  # the initial on the other side


def test_swapped_with_initials_written_together_and_a_typo(tmp_path: Path, db: Path):
    # "Huubert" in First Name and "J-M" in Last Name: Jean-Michel Hubert swapped, his
    # initials written together and his surname mistyped; the same address.
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,company_name,title,city\n"
        "1,Jean-Michel,Hubert,jhubert@kerex.example,,Kerex Formation SAS,"
        "Responsable qualité,\n"
        "2,Huubert,J-M,jhubert@kerex.example,+33145171879,Kerex Formation SAS,"
        "Quality Manager,Boulogne-Billancourt\n")
    assert found["crm:1"] is found["crm:2"]


def test_contradicting_given_names_are_not_chained_through_a_third_record(tmp_path: Path,
                                                                          db: Path):
    # Nothing but names tells Céline and Sophie apart; a record without a given name
    # resembles both and must not join them.
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,company_name,title,city\n"
        "1,Céline,Gauthier,Orée Horizon,Présidente,Orléans\n"
        "2,Sophie,Gauthier,Orée Horizon,Assistante de direction,Orléans\n"
        "3,,Gauthier,Orée Horizon SAS,,Orléans\n")
    assert found["crm:1"] is not found["crm:2"]


def test_relatives_on_one_office_line_stay_two_people(tmp_path: Path, db: Path):
    # One number, two given names no reading reconciles: the office line, not a proof.
    # One person's own number still is (Steve for Steven, surname first).
    found, report = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,company_name,title,city\n"
        "1,Joe,Bailey,joseph.bailey@youngandco.example,0044 20 33899029,Young & Co,"
        "Procurement Lead,Manchester\n"
        "2,Niamh,Bailey,,+44 (0)20 3389 9029,Young and Co,Operations Manager,"
        "Manchester\n"
        "3,Steven,Collins,steven.collins@northern.example,+44 20 3855 6303,"
        "Northern Manufacturing,Marketing Director,Cardiff\n"
        "4,Collins,Steve,,+44 (0)20 3855 6303,Northern Manufacturing,"
        "Marketing Director,Cardiff\n"
        "5,Dominique,Chevalier,dchevalier@olivier.example,+33 (0)1 37 78 64 45,"
        "Agence Olivier,Contrôleur de gestion,Lille\n"
        "6,Dominique,Perrin,dperrin@olivier.example,+33137786445,Agence Olivier SNC,,"
        "Lille\n")
    assert found["crm:1"] is not found["crm:2"]
    assert found["crm:3"] is found["crm:4"]
    assert found["crm:5"] is not found["crm:6"]  # one given name, two surnames
    assert report.details["pending_reviews"] == 0


def test_shared_numbers_are_those_of_many_records_or_of_two_people(tmp_path: Path,
                                                                   db: Path):
    from dedupe.comparisons import SHARED_PHONE, _coded, shared_phones

    switchboard = "+33 1 40 00 00 00"
    staff = [("Claire", "Durand"), ("Marc", "Lefort"), ("Inès", "Barbier"),
             ("Paul", "Girard"), ("Sonia", "Meyer"), ("Hugo", "Roche")]
    rows = [f"{k},{staff[k - 1][0]},{staff[k - 1][1]},,{switchboard},Acme,,"
            for k in range(1, SHARED_PHONE + 1)]
    _import_crm(tmp_path, db,
                "id,first_name,last_name,email,phone,company_name,title,city\n"
                + "\n".join(rows) + "\n"
                "20,Joe,Bailey,,0044 20 33899029,Young & Co,,\n"
                "21,Niamh,Bailey,,+44 (0)20 3389 9029,Young and Co,,\n"
                "22,Steven,Collins,,+44 20 3855 6303,Northern,,\n"
                "23,Steve,Collins,,+44 (0)20 3855 6303,Northern,,\n"
                "24,,,contact@solo.example,+44 20 7946 0000,Solo,,\n"
                "25,,,info@solo.example,+44 20 7946 0000,Solo,,\n")
    f, source = _features_and_sources(db)
    shared = shared_phones(f)
    # Keys as the features hold numbers; the office line and the switchboard only.
    assert len(shared) == 2
    assert sorted(shared.values()) == [SHARED_PHONE, SHARED_PHONE]
    shared_number = f.extra["shared_number"]
    codes = _coded(f, "phones")
    carries = dict(zip((source[i] for i in f.ids.tolist()),
                       shared_number[codes].any(axis=1).tolist(), strict=True))
    assert all(carries[f"crm:{k}"] for k in range(1, SHARED_PHONE + 1))
    assert carries["crm:20"]
    assert carries["crm:21"]
    # One person twice (a nickname), and records with no name to tell: not shared.
    assert not any(carries[f"crm:{k}"] for k in (22, 23, 24, 25))


def test_a_surname_alone_names_the_second_person_on_a_line(tmp_path: Path, db: Path):
    # A team page lists "M. Noel" (Monsieur Noel: no given name) with the firm's line,
    # which Damien Motte's CRM record gives as his own: two people's line, so no key.
    from dedupe.comparisons import _coded, shared_phones

    _import_crm(tmp_path, db, "id,first_name,last_name,full_name,phone,company_name,website\n"
                "1,Damien,Motte,,+33 1 96 84 86 90,Paquin Environnement,paquin-env.fr\n"
                "2,,,M. Noel,01 96 84 86 90,,paquin-env.fr\n"
                "3,Claire,Roux,,06 12 40 50 60,Paquin Environnement,paquin-env.fr\n"
                "4,,,C. Roux,06 12 40 50 60,,paquin-env.fr\n")
    f, source = _features_and_sources(db)
    shared_phones(f)
    codes = _coded(f, "phones")
    carries = dict(zip((source[i] for i in f.ids.tolist()),
                       f.extra["shared_number"][codes].any(axis=1).tolist(), strict=True))
    assert carries["crm:1"]
    assert carries["crm:2"]
    # Claire Roux and "C. Roux": one person's mobile.
    assert not carries["crm:3"]
    assert not carries["crm:4"]


def test_one_person_s_mobile_in_many_files_is_not_shared(tmp_path: Path, db: Path):
    # Frédéric Costa's mobile in four records (a CRM, a badge scan, a bought list, a
    # second CRM row): one man's number, not a line; twice as many records, or one with
    # no name among four, make it one.
    from dedupe.comparisons import SHARED_PHONE, _coded, shared_phones

    mobile, line = "06 24 89 18 90", "01 44 68 59 15"
    names = ["Frédéric,Costa", "FREDERIC,COSTA", "Frederic,Costa", "Fred,Costa"]
    rows = [f"{k},{names[k - 1]},{mobile},Rhoria" for k in range(1, SHARED_PHONE + 1)]
    rows += [f"{k},{names[k % 4]},{line},Quanea" for k in range(10, 10 + 2 * SHARED_PHONE)]
    rows += [f"{k},{names[k % 4]},07 11 22 33 44,Solveo" for k in range(30, 29 + SHARED_PHONE)]
    rows.append("40,,,07 11 22 33 44,Solveo")
    _import_crm(tmp_path, db, "id,first_name,last_name,phone,company_name\n"
                + "\n".join(rows) + "\n")
    f, source = _features_and_sources(db)
    shared_phones(f)
    codes = _coded(f, "phones")
    carries = dict(zip((source[i] for i in f.ids.tolist()),
                       f.extra["shared_number"][codes].any(axis=1).tolist(), strict=True))
    assert not any(carries[f"crm:{k}"] for k in range(1, SHARED_PHONE + 1))
    assert all(carries[f"crm:{k}"] for k in range(10, 10 + 2 * SHARED_PHONE))
    assert all(carries[f"crm:{k}"] for k in (*range(30, 29 + SHARED_PHONE), 40))


def test_a_name_written_alike_on_a_line_always_names_one_person():
    # shared_phones compares the distinct names carrying a number: a name compared with
    # itself must never read as two people, whatever its form.
    import itertools
    import random

    from dedupe.comparisons import _two_people, same_person_name

    names = [("jean pierre", "martin"), ("j", "martin"), ("", "martin"), ("claire", ""),
             ("", ""), ("jp", "le gall"), ("jean", "jeanne"), ("marie", "dupont durand"),
             ("bob", "smith"), ("robert", "smith"), ("julie", "julien"), ("a", "b")]
    assert all(same_person_name(x, x) for x in names)
    rng = random.Random(5)
    for _ in range(300):
        group = [rng.choice(names) for _ in range(rng.randint(2, 6))]
        every = any(not same_person_name(x, y) for x, y in itertools.combinations(group, 2))
        assert _two_people(group) == every


def _features_and_sources(db: Path) -> tuple[Any, dict[str, str]]:
    """The stored people's dedupe features, and each person's first source id."""
    from dedupe.features import load_people
    from prospecting.store import Store

    store = Store(db)
    try:
        return load_people(store), dict(store.conn.execute(
            "SELECT id, json_extract(source_ids, '$[0]') FROM people"))
    finally:
        store.close()


def _features_and_rows(db: Path) -> tuple[Any, dict[str, int]]:
    """The stored people's dedupe features, and each person's row there by their first
    source id."""
    f, source = _features_and_sources(db)
    return f, {source[pid]: k for k, pid in enumerate(f.ids.tolist())}


def _levels_of(db: Path, pairs: list[tuple[str, str]]) -> list[dict[str, int]]:
    """Comparison levels of pairs of imported records, named by their first source id."""
    from dedupe.comparisons import COMPARISONS, person_levels

    f, row = _features_and_rows(db)
    levels = person_levels(f, np.array([sorted((row[x], row[y])) for x, y in pairs]))
    return [dict(zip((c.name for c in COMPARISONS), r, strict=True)) for r in levels.tolist()]


def _pair_levels(tmp_path: Path, db: Path, text: str, field: str) -> list[int]:
    """Import ``text`` as a CRM export (ids 1, 2, 3…) and return ``field``'s level for
    the pairs of consecutive records (1 and 2, 3 and 4…)."""
    _import_crm(tmp_path, db, text)
    count = text.count("\n") - 1
    pairs = [(f"crm:{k}", f"crm:{k + 1}") for k in range(1, count, 2)]
    return [level[field] for level in _levels_of(db, pairs)]


def test_a_full_name_written_surname_first_reads_as_its_address_writes_it(
        tmp_path: Path, db: Path):
    # A CRM's one name column, the surname first with nothing to say so (one case, no
    # comma): the person's own address writes the given name first. "Marie Dupont" at
    # dupont.marie@ (a firm writing the surname first) stays as written.
    levels = _levels_of_text(
        tmp_path, db, "id,Name,Email\n"
        "1,Seth Hawkins,seth.hawkins@fs.example\n2,HAWKINS SETH THOMAS,seth.hawkins@fs.example\n"
        "3,Marie-Odile Andre,marie-odileandre@viasol.example\n"
        "4,Andre Marie Odile,marie-odileandre@viasol.example\n"
        "5,Jean-Michel Pires,jean-michel.pires@megone.example\n"
        "6,PIRES JEAN MICHEL,jean-michel.pires@megone.example\n"
        "7,Sara Kirby-Browne,skb@dataforge.example\n"
        "8,kirby browne sara,sara.kirby-browne@dataforge.example\n"
        "9,Marie Dupont,marie.dupont@x.example\n10,Marie Dupont,dupont.marie@y.example\n"
        # A compound given name alone, as a form's one name field takes it: no surname
        # "Marc" beside Delorme (missing, 0, not different, 5).
        "11,Jean-Marc Delorme,jean-marc.delorme@pons.example\n"
        "12,Jean Marc,jean-marc.delorme@pons.example\n")
    assert [(x["first_name"], x["last_name"]) for x in levels] == [(1, 1)] * 5 + [(1, 0)]


def _levels_of_text(tmp_path: Path, db: Path, text: str) -> list[dict[str, int]]:
    """Import ``text`` as a CRM export (ids 1, 2, 3…) and return the levels of the pairs
    of consecutive records (1 and 2, 3 and 4…)."""
    _import_crm(tmp_path, db, text)
    count = text.count("\n") - 1
    return _levels_of(db, [(f"crm:{k}", f"crm:{k + 1}") for k in range(1, count, 2)])


def test_middle_initials_tell_namesakes_apart(tmp_path: Path, db: Path):
    # Two Thomas Schmidts at one firm, an event list writing their middle initials:
    # Thomas A. and Thomas K. are two given names; each is still the plain "Thomas" of
    # another source, as Jean-Pierre is Jean; Jean-Pierre and Jean-Paul differ.
    levels = _pair_levels(
        tmp_path, db, "id,Name,Company\n"
        "1,Thomas A. Schmidt,Vantara AG\n2,Thomas K. Schmidt,Vantara AG\n"
        "3,Thomas A Schmidt,Vantara AG\n4,Thomas Schmidt,Vantara AG\n"
        "5,Jean-Pierre Vasseur,Vasseur Frères\n6,Jean Paul Vasseur,Vasseur Frères\n"
        "7,Jean Pierre Vasseur,Vasseur Frères\n8,Jean Vasseur,Vasseur Frères\n",
        "first_name")
    assert levels == [6, 2, 6, 2]


def test_two_given_names_more_than_a_slip_apart_are_loose_not_similar(tmp_path: Path,
                                                                     db: Path):
    # Valérie and Valentine Leleu at the family firm: two names of the lists that share
    # their first letters (Jaro-Winkler 0.91), not one mistyped: two people's, as names
    # of the lists only loosely alike are; so are Frédéric and Frédérique. A slip of one
    # name ("Valerei"), or two spellings of one name (Aleksander, Alexander), stays
    # similar.
    levels = _pair_levels(
        tmp_path, db, "id,First Name,Last Name,Company\n"
        "1,Valérie,Leleu,Groupe Leleu\n2,Valentine,Leleu,Groupe Leleu\n"
        "3,Frédéric,Morel,Morel SA\n4,Frédérique,Morel,Morel SA\n"
        "5,Valérie,Leleu,Groupe Leleu\n6,Valerei,Leleu,Groupe Leleu\n"
        "7,Aleksander,Nowak,Nowak Sp.\n8,Alexander,Nowak,Nowak Sp.\n",
        "first_name")
    assert levels == [6, 6, 3, 3]


# Company names two sources write two ways, and the company level of two namesakes
# given one and the other: 3, a similar name; 4, another company.
_COMPANY_FORMS = [
    # A registry's name without the kind of business a website puts first, or after it:
    # the same garage, the same haulier, the same joinery, the same studio.
    ("Garage Blanchard Auto", "BLANCHARD AUTO", 3),
    ("Transports Lefèvre", "LEFEVRE TRANSPORTS SAS", 3),
    ("Menuiserie Morel", "Morel Menuiserie", 3),
    ("Studio Pixelle SARL", "Pixelle", 3),
    # A baker and a butcher of one name, a hotel and a restaurant "du Lac": two firms.
    ("Boulangerie Martin", "Boucherie Martin", 4),
    ("Hôtel du Lac", "Restaurant du Lac", 4),
    # A first word and the others' initials: "Colin TP" is COLIN TRAVAUX PUBLICS; the
    # two full names of one short form are two firms.
    ("COLIN TRAVAUX PUBLICS", "Colin TP", 3),
    ("Beaumont Public Relations Ltd", "Beaumont PR", 3),
    ("Colin Travaux Publics", "Colin Transports Publics", 4),
    # A name in brackets is another name of the firm (a brand, a former name); a country
    # there only tells a subsidiary.
    ("Maison Alba (Alba Cosmétiques)", "Alba Cosmétiques SAS", 3),
    ("Decathlon (ex-Oxylane)", "OXYLANE", 3),
    ("Acme (France)", "France Boissons", 4),
    # "Cie" is Compagnie (and "et Cie" after a name no part of it): the same name.
    ("Cie de Saint-Gobain", "COMPAGNIE DE SAINT-GOBAIN", 2),
    ("Martin et Compagnie", "Martin & Cie", 2),
    # The word for the kind of business mistyped ("Laboatoires"): still the laboratory;
    # another kind of business spelt right is another firm.
    ("Labo Dupuy", "Laboatoires Dupuy SARL", 3),
    ("Studio Luberon", "Clinique du Luberon", 4),
]


def test_company_names_written_another_way(tmp_path: Path, db: Path):
    levels = _pair_levels(tmp_path, db, "id,first_name,last_name,company_name\n" + "".join(
        f"{2 * k + 1},Jean,Roy{k},{x}\n{2 * k + 2},Jean,Roy{k},{y}\n"
        for k, (x, y, _) in enumerate(_COMPANY_FORMS)), "company")
    assert levels == [level for _, _, level in _COMPANY_FORMS]


def test_namesakes_whose_addresses_only_spell_their_name_stay_apart(tmp_path: Path,
                                                                    db: Path):
    # hannah.evans@ at a free-mail provider and at a company is the name again, not a
    # key: two Hannah Evans in two cities, at two companies, with two numbers.
    _import_crm(tmp_path, db,
                "id,first_name,last_name,email,phone,company_name,title,city\n"
                "1,Hannah,Evans,hannah.evans@severn.example,07512 746870,Severn Technologies,"
                "HR Business Partner,Bristol\n"
                "2,Hannah,Evans,hannah.evans@btinternet.com,+44 20 7885 8717,"
                "Cobalt Engineering,Business Development Executive,Edinburgh\n"
                "3,Hannah,Evans,hannah.evans@severn.example,,Severn Tech,HR Business Partner,"
                "Bristol\n")
    levels = _levels_of(db, [("crm:1", "crm:2")])
    assert levels[0]["email"] == 0  # no evidence either way
    api.dedupe(db)
    found = _by_source_id(dump(db))
    assert found["crm:1"] is found["crm:3"]
    assert found["crm:1"] is not found["crm:2"]


def test_a_compound_given_name_is_not_its_first_word(tmp_path: Path, db: Path):
    # J.-P. Martin at jp.martin@ is Jean-Pierre Martin; Jean Martin at jean.martin@ of
    # the same company is another person, whose address is no alias of his.
    found, _ = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,company_name,title,city\n"
        "1,Jean-Pierre,Martin,jean-pierre.martin@acme.example,Acme SAS,Directeur commercial,"
        "Paris\n"
        "2,J.-P.,MARTIN,jp.martin@acme.example,ACME,Dir. Commercial,Paris\n"
        "3,Jean,Martin,jean.martin@acme.example,Acme SAS,CEO,Paris\n")
    assert found["crm:1"] is found["crm:2"]
    assert found["crm:1"] is not found["crm:3"]


def _review_pairs(db: Path, kind: str) -> list[tuple[str, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT a, b FROM pairs WHERE kind = ? AND decision = 'review'", (kind,)
        ).fetchall()
    finally:
        conn.close()


def test_colleagues_sharing_a_name_are_no_question_for_the_reviewer(tmp_path: Path,
                                                                   db: Path):
    # Two Petit and two Émilie at one company, nothing shared but the company: not one
    # person, and not a pair to ask about. The same given name under another surname
    # at one address is (a married name, or a shared mailbox).
    found, report = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,company_name,city\n"
        "1,Laurent,Petit,lpetit@cedar.example,Cedar,Grenoble\n"
        "2,Émilie,Petit,epetit@cedar.example,Cedar,Grenoble\n"
        "3,Émilie,Roux,eroux@cedar.example,Cedar,Grenoble\n"
        "4,Sophie,Martin,sophie@borel.example,Borel,Lyon\n"
        "5,Sophie,Bernard,sophie@borel.example,Borel,Lyon\n")
    assert len({id(found[f"crm:{i}"]) for i in range(1, 6)}) == 5
    ids = {found[f"crm:{i}"]["id"]: i for i in range(1, 6)}
    asked = {frozenset((ids[a], ids[b])) for a, b in _review_pairs(db, "person")}
    assert asked == {frozenset((4, 5))}
    assert report.details["pending_reviews"] == 1


def test_a_name_many_sites_use_is_no_question_for_the_reviewer(tmp_path: Path, db: Path):
    companies = write(tmp_path / "c.csv",
                      "Company,Website\n"
                      "Orbit SAS,orbit-conseil.example\n"
                      "Orbit Ltd,orbit-labs.example\n"
                      "ORBIT,orbitshop.example\n"
                      "Maison Azur SAS,maison-azur.fr\n"
                      "Maison Azur,maison-azur.com\n"
                      "Verde Alpine,verde-alpine.example\n"
                      "Verde Alpine PLC,alpine-verde.example\n")
    api.import_files(db, [companies], kind="companies")
    report = api.dedupe(db)
    assert report.details.get("companies_merged", 0) == 0
    conn = sqlite3.connect(db)
    names = {cid: name for cid, name in conn.execute("SELECT id, name FROM companies")}
    reasons = {frozenset((names[a], names[b])): json.loads(r) for a, b, r in conn.execute(
        "SELECT a, b, reasons FROM pairs WHERE kind = 'company' AND decision = 'review'")}
    conn.close()
    # Three sites named Orbit are three companies; one site name under two suffixes,
    # or a name only two sites carry, may be one company.
    assert set(reasons) == {frozenset(("Maison Azur SAS", "Maison Azur")),
                            frozenset(("Verde Alpine", "Verde Alpine PLC"))}
    assert "same site name, other domain" in reasons[
        frozenset(("Maison Azur SAS", "Maison Azur"))]


def test_a_name_without_a_site_beside_two_sites_of_that_name(tmp_path: Path, db: Path):
    # "MERIDIAN SYSTEMS" with no site, beside the Meridian Systems of two sites: which
    # one it is, its name does not tell (its people may work at either); it stays
    # apart, no question asked. Beside the one site of its name, it is that company.
    companies = write(tmp_path / "c.csv",
                      "Company,Website\n"
                      "Meridian Systems LLP,meridian-systems.example\n"
                      "Meridian Systems Inc,meridiansystems-us.example\n"
                      "MERIDIAN SYSTEMS,\n"
                      "Zennor SAS,zennor.example\n"
                      "ZENNOR,\n")
    api.import_files(db, [companies], kind="companies")
    api.dedupe(db)
    conn = sqlite3.connect(db)
    merged = dict(conn.execute("SELECT name, merged_into FROM companies"))
    waiting = conn.execute("SELECT count(*) FROM pairs WHERE kind = 'company'"
                           " AND decision = 'review'").fetchone()[0]
    conn.close()
    assert merged["MERIDIAN SYSTEMS"] is None
    assert (merged["ZENNOR"], merged["Zennor SAS"]).count(None) == 1
    assert waiting == 1  # the two sites' Meridian Systems


def test_review_export_accept_reject(tmp_path: Path, db: Path, run):
    _import_crm(tmp_path, db,
                "id,first_name,last_name,email,company_name,city\n"
                "1,Jean,Martin,jean.martin@acme.example,Acme,Lyon\n"
                "2,Jean,Martin,,Acme Industries,\n"
                "3,Sophie,Leroy,s.leroy@beta.example,Beta,Paris\n"
                "4,Sophie,Leroy,,,Paris\n")
    api.dedupe(db)
    queue = tmp_path / "queue.csv"
    result = run("review", db, "--export", queue)
    assert result.exit_code == 0, result.output
    lines = queue.read_text("utf-8").splitlines()
    assert lines[0].startswith("pair_id,kind,probability")
    pending = len(lines) - 1
    if pending:
        pair = lines[1].split(",")[0]
        assert run("review", db, "--reject", pair).exit_code == 0
        with api.open_store(db) as store:
            assert store.conn.execute(
                "SELECT review FROM pairs WHERE id = ?", (pair,)).fetchone()[0] == "rejected"
    assert run("review", db, "--accept", "pr_unknown").exit_code == 2


def test_the_review_queue_names_companies_and_says_why_each_pair_waits(tmp_path: Path,
                                                                        db: Path, run):
    # A reviewer reads company names, not ids, and whether the pair is borderline or was
    # matched and kept apart by the cluster check.
    # One of them known by a full name alone: that name.
    _import_crm(tmp_path, db,
                "id,first_name,last_name,full_name,email,company_name\n"
                "1,Camille,Noel,,camille@patisserie.example,Patisserie Noel\n"
                "2,,,Camille Fabre,camille@patisserie.example,Patisserie Noel SARL\n")
    api.dedupe(db)
    queue = tmp_path / "q.csv"
    assert run("review", db, "--export", queue).exit_code == 0
    with queue.open(encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert list(row)[-2:] == ["why", "decision"]
    assert {row["a_values"], row["b_values"]} == {
        "Camille | Noel | camille@patisserie.example | Patisserie Noel SARL",
        "Camille Fabre | camille@patisserie.example | Patisserie Noel SARL"}
    assert row["why"].startswith("borderline")
    # Only one kind of pair: the people's, or the companies' (none here).
    for kind, rows in (("person", 1), ("company", 0)):
        assert run("review", db, "--kind", kind, "--export", queue).exit_code == 0
        assert len(queue.read_text("utf-8").splitlines()) == 1 + rows


def test_explain_lists_the_merges_a_person_can_undo(tmp_path: Path, db: Path, run):
    # Which records made a golden record, and the cluster id unmerge takes.
    found, _ = _dedupe_crm(tmp_path, db,
                           "id,first_name,last_name,email,company_name\n"
                           "1,Jean,Martin,jean.martin@acme.example,Acme\n"
                           "2,Jean,Martin,jean.martin@acme.example,Acme SA\n")
    assert found["crm:1"] is found["crm:2"]
    (person,) = api.explain(db, "jean.martin@acme.example")
    (merge,) = person["merges"]
    assert [m["source_ids"] for m in merge["members"]] in ([["crm:1"]], [["crm:2"]])
    assert merge["members"][0]["emails"] == ["jean.martin@acme.example"]
    assert merge["reasons"]
    assert merge["probability"] > 0.9
    result = run("explain", db, "jean.martin@acme.example")
    assert f"unmerge DB {merge['cluster_id']}" in result.output
    assert run("unmerge", db, merge["cluster_id"]).exit_code == 0
    assert all(not p["merges"] for p in api.explain(db, "jean.martin@acme.example"))


def test_review_accept_merges_on_next_run(tmp_path: Path, db: Path, run):
    # One address, two surnames: a shared mailbox or a married name. Not merged
    # without a second key; a person decides.
    _import_crm(tmp_path, db,
                "id,first_name,last_name,email,company_name\n"
                "1,Camille,Noel,camille@patisserie.example,Patisserie Noel\n"
                "2,Camille,Fabre,camille@patisserie.example,Patisserie Noel SARL\n")
    api.dedupe(db)
    assert len(dump(db)) == 2
    assert api.status(db)["dedupe"]["pending_reviews"] == 1
    queue = tmp_path / "q.csv"
    run("review", db, "--export", queue)
    text = queue.read_text("utf-8").splitlines()
    text = [text[0]] + [line + "accept" for line in text[1:]]
    queue.write_text("\n".join(text) + "\n", "utf-8")
    assert run("review", db, "--import", queue).exit_code == 0
    assert api.status(db)["dedupe"]["pending_reviews"] == 0
    api.dedupe(db)
    people = dump(db)
    assert len(people) == 1
    assert sorted(people[0]["source_ids"]) == ["crm:1", "crm:2"]


# Two Marie Lefèvre at one company, each in two records: two golden records, kept apart
# by their titles and numbers, between whose members three pairs were scored.
# Two Marie Lefèvre at L'Oréal, each with two records: a question for the reviewer. Both
# in HR: a DRH and a comptable on two mobiles are two namesakes, no question (see
# test_titles_far_apart_and_two_numbers_at_one_company).
_TWO_MARIES = (
    "id,first_name,last_name,email,title,mobile,company_name,city\n"
    "1,Marie,Lefèvre,marie.lefevre@loreal.example,DRH,06 98 76 54 32,L'Oréal,Clichy\n"
    "2,Marie,LEFEVRE,,Directrice des ressources humaines,+33 6 98 76 54 32,L'Oréal SA,"
    "Clichy\n"
    "3,Marie,Lefèvre,marie.lefevre2@loreal.example,Responsable RH,06 11 22 33 44,L'Oréal,"
    "Clichy\n"
    "4,Marie,Lefevre,,Responsable RH,+33611223344,L'Oréal SA,Clichy\n"
)


def _waiting_pairs(db: Path) -> list[tuple[str, str | None]]:
    with api.open_store(db) as store:
        return store.conn.execute(
            "SELECT id, review FROM pairs WHERE kind = 'person' AND decision != 'match'"
        ).fetchall()


def test_two_golden_records_are_one_question_for_the_reviewer(tmp_path: Path, db: Path,
                                                             run):
    # The reviewer is asked once whether the two golden records are one person, about
    # the records as they now are, and one answer settles every pair between them.
    found, report = _dedupe_crm(tmp_path, db, _TWO_MARIES)
    first, second = found["crm:1"], found["crm:3"]
    assert found["crm:2"] is first
    assert found["crm:4"] is second
    assert first is not second
    assert len(_waiting_pairs(db)) > 1
    assert report.details["pending_reviews"] == 1
    assert api.status(db)["dedupe"]["pending_reviews"] == 1
    queue = tmp_path / "q.csv"
    assert run("review", db, "--export", queue).exit_code == 0
    with queue.open(encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert {row["a"], row["b"]} == {first["id"], second["id"]}
    values = {row["a_values"], row["b_values"]}
    assert any("marie.lefevre@loreal.example" in v and "+33698765432" in v for v in values)
    shown = run("review", db)
    assert shown.output.count(row["pair_id"]) == 1
    assert "3 scored pairs" in shown.output
    # Both records under their question, as the file gives them: decided from here.
    for record in (row["a"], row["b"]):
        assert f"{record}: {row['a_values' if record == row['a'] else 'b_values']}" in (
            shown.output)
    assert run("review", db, "--reject", row["pair_id"]).exit_code == 0
    assert {review for _, review in _waiting_pairs(db)} == {"rejected"}
    assert api.status(db)["dedupe"]["pending_reviews"] == 0
    assert api.dedupe(db).details["pending_reviews"] == 0
    assert len(dump(db)) == 2
    assert api.status(db)["dedupe"]["pending_reviews"] == 0


def test_one_answer_merges_two_golden_records(tmp_path: Path, db: Path, run):
    _dedupe_crm(tmp_path, db, _TWO_MARIES)
    queue = tmp_path / "q.csv"
    run("review", db, "--export", queue)
    with queue.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    assert len(table) == 2
    table[1][table[0].index("decision")] = "oui"
    with queue.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(table)
    assert run("review", db, "--import", queue).exit_code == 0
    assert {review for _, review in _waiting_pairs(db)} == {"accepted"}
    api.dedupe(db)
    (person,) = dump(db)
    assert sorted(person["source_ids"]) == ["crm:1", "crm:2", "crm:3", "crm:4"]
    assert api.status(db)["dedupe"]["pending_reviews"] == 0


def test_review_file_saved_by_a_spreadsheet(tmp_path: Path, db: Path, run):
    # Excel in French saves CSV as cp1252 with ';': the review file is read like an import.
    _import_crm(tmp_path, db,
                "id,first_name,last_name,email,company_name\n"
                "1,Camille,Noël,camille@patisserie.example,Pâtisserie Noël\n"
                "2,Camille,Fabre,camille@patisserie.example,Pâtisserie Noël SARL\n")
    api.dedupe(db)
    queue = tmp_path / "q.csv"
    run("review", db, "--export", queue)
    with queue.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    table[1][table[0].index("decision")] = "Doublon"  # a French reviewer's word for it
    saved = tmp_path / "q-excel.csv"
    with saved.open("w", encoding="cp1252", errors="replace", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(table)
    assert run("review", db, "--import", saved).exit_code == 0
    assert api.status(db)["dedupe"]["pending_reviews"] == 0
    with api.open_store(db) as store:
        assert store.conn.execute("SELECT review FROM pairs WHERE decision = 'review'"
                                  ).fetchone()[0] == "accepted"
    table[1][table[0].index("decision")] = "peut-être"
    with saved.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(table)
    result = run("review", db, "--import", saved)
    assert result.exit_code == 2
    assert "decision must be accept or reject, not 'peut-être'" in result.stderr
    junk = write(tmp_path / "junk.bin", bytes(range(256)) * 8)
    result = run("review", db, "--import", junk)
    assert result.exit_code == 2
    assert "junk.bin" in result.stderr


def test_forget_removes_dedupe_rows(demo_db: Path):
    api.dedupe(demo_db)
    address = "bob@cedarridge.example"
    with api.open_store(demo_db) as store:
        # Before-images hold no contact data to hunt down: only ids and stage columns.
        assert not store.conn.execute(
            "SELECT count(*) FROM merge_log WHERE rows_before LIKE ?", (f"%{address}%",)
        ).fetchone()[0]
    report = api.forget(demo_db, address)
    assert report.details["people_deleted"] == 2  # the golden record and its member
    data = b"".join(p.read_bytes() for p in demo_db.parent.glob(demo_db.name + "*"))
    assert address.encode() not in data.lower()
    assert b"robert@cedarridge.example" not in data.lower()
    found = _by_source_id(dump(demo_db))
    assert "crm:5122064" not in found
    assert "crm:5120580" not in found


def test_bad_dedupe_settings_are_refused(tmp_path: Path, demo_db: Path, run):
    config = write(tmp_path / "p.toml",
                   '[dedupe]\nmatch_threshold = 2\nwindow = "x"\n'
                   '[dedupe.survivorship]\ntitle = "newest"\n')
    result = run("--config", config, "dedupe", demo_db)
    assert result.exit_code == 2
    for key in ("dedupe.match_threshold", "dedupe.window", "dedupe.survivorship.title"):
        assert key in result.stderr


def test_survivorship_rule_from_settings(tmp_path: Path, db: Path):
    _import_crm(tmp_path, db,
                "id,first_name,last_name,email,title\n"
                "1,J.,Lambert,j.lambert@acme.example,Directeur\n"
                "2,Julien,Lambert,j.lambert@acme.example,Directeur général\n")
    api.dedupe(db)
    people = dump(db)
    assert len(people) == 1
    assert people[0]["first_name"] == "Julien"
    assert sorted(people[0]["source_ids"]) == ["crm:1", "crm:2"]


def test_golden_rows_stay_what_a_refresh_derives(demo_db: Path):
    api.dedupe(demo_db)
    people, companies = _export_bytes(demo_db), _export_bytes(demo_db, "companies")
    with api.open_store(demo_db) as store, store.write():
        store.refresh_companies([r[0] for r in store.conn.execute("SELECT id FROM companies")])
        store.refresh_people([r[0] for r in store.conn.execute("SELECT id FROM people")])
    assert _export_bytes(demo_db) == people
    assert _export_bytes(demo_db, "companies") == companies


def test_merges_in_small_batches_give_the_same_state(tmp_path: Path, db: Path):
    # Merges commit in batches (one transaction each); the batch size changes nothing.
    _demo(db)
    config = write(tmp_path / "small.toml", "[dedupe]\nmerge_batch = 1\n")
    api.dedupe(db, config=config)
    clean = tmp_path / "clean.db"
    _demo(clean)
    api.dedupe(clean)
    assert _export_bytes(db) == _export_bytes(clean)


@pytest.mark.parametrize("name", ["Acme", "Zenith", "Borel Conseil"])
def test_a_company_merge_re_tags_its_people(tmp_path: Path, db: Path, name: str):
    """Firmographics one company record brings reach the tags of people at the other."""
    path = write(tmp_path / "p.csv",
                 "first_name,last_name,email,company,website,naf,headcount,city\n"
                 f"Marie,Durand,marie.durand@gmail.com,{name},,,,\n"
                 f"Paul,Martin,paul@{name.split()[0].lower()}.example,{name} SAS,"
                 f"{name.split()[0].lower()}.example,62.01Z,50,\n")
    api.import_files(db, [path])
    before = {p["first_name"]: p["tags"] for p in dump(db)}
    assert before["Marie"] == ["non-enriched"]  # an address and a company name
    report = api.dedupe(db)
    assert report.details["companies_merged"] == 1
    assert {p["first_name"]: p["tags"] for p in dump(db)}["Marie"] == ["enriched"]
    people = _export_bytes(db)
    with api.open_store(db) as store, store.write():
        store.refresh_companies([r[0] for r in store.conn.execute("SELECT id FROM companies")])
        store.refresh_people([r[0] for r in store.conn.execute("SELECT id FROM people")])
    assert _export_bytes(db) == people


def test_the_company_record_most_people_point_at_stays(tmp_path: Path, db: Path):
    """Of two records of one company, the one with more people keeps its id, though the
    other is fuller: the fewest people are moved, and the golden row still holds what
    the other brought (its site, its NAF code)."""
    path = write(tmp_path / "p.csv",
                 "first_name,last_name,email,company,website,naf,headcount\n"
                 "Marie,Durand,marie.durand@gmail.com,Acme,,,\n"
                 "Jean,Petit,jean.petit@orange.fr,Acme,,,\n"
                 "Paul,Martin,paul@acme.example,Acme SAS,acme.example,62.01Z,50\n")
    api.import_files(db, [path])
    conn = sqlite3.connect(db)
    before = dict(conn.execute(
        "SELECT p.first_name, p.company_id FROM people AS p"))
    conn.close()
    assert before["Marie"] == before["Jean"] != before["Paul"]
    report = api.dedupe(db)
    assert report.details["companies_merged"] == 1
    conn = sqlite3.connect(db)
    after = set(conn.execute("SELECT company_id FROM people WHERE merged_into IS NULL"))
    conn.close()
    assert after == {(before["Marie"],)}
    assert {p["first_name"]: p["tags"] for p in dump(db)} == {
        "Marie": ["enriched"], "Jean": ["enriched"], "Paul": ["enriched"]}
    [company] = [c for c in (json.loads(line) for line in _export_bytes(
        db, "companies").decode().splitlines()) if c["id"] == before["Marie"]]
    assert company["domain"] == "acme.example"
    assert company["people_count"] == 3
    exported = _export_bytes(db)
    with api.open_store(db) as store, store.write():
        store.refresh_companies([r[0] for r in store.conn.execute("SELECT id FROM companies")])
        store.refresh_people([r[0] for r in store.conn.execute("SELECT id FROM people")])
    assert _export_bytes(db) == exported


def test_firmographics_a_member_brings_re_tag_the_golden_company_people(tmp_path: Path,
                                                                        db: Path):
    companies = write(tmp_path / "c.csv",
                      "Raison sociale,Site web,Ville,Code NAF,Effectif\n"
                      "Borel Conseil SAS,https://borel.example,Lyon,,\n"
                      "Borel Conseil,,,70.22Z,50\n")
    people = write(tmp_path / "p.csv", "first_name,last_name,email,company,website\n"
                   "Marie,Durand,marie.durand@gmail.com,Borel Conseil SAS,borel.example\n")
    api.import_files(db, [companies], kind="companies")
    api.import_files(db, [people])
    assert dump(db)[0]["tags"] == ["non-enriched"]
    report = api.dedupe(db)
    assert report.details["companies_merged"] == 1
    assert dump(db)[0]["tags"] == ["enriched"]
    exported = _export_bytes(db)
    with api.open_store(db) as store, store.write():
        store.refresh_companies([r[0] for r in store.conn.execute("SELECT id FROM companies")])
        store.refresh_people([r[0] for r in store.conn.execute("SELECT id FROM people")])
    assert _export_bytes(db) == exported


def _active_company_names(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return sorted(r[0] for r in conn.execute(
            "SELECT name FROM companies WHERE merged_into IS NULL"))
    finally:
        conn.close()


@pytest.mark.parametrize(("lines", "kept", "distinct"), [
    # Dotted forms and acronyms, and a trailing "& Co." or "et Cie".
    (["Société Générale,Paris", "SOCIETE GENERALE S.A.,Paris", "B.N.P. Paribas,Paris",
      "BNP Paribas SA,Paris", "Hansen GmbH & Co. KG,Hamburg", "Hansen GmbH,Hamburg",
      "Hansel AG,Hamburg"], 4, "Hansel AG"),
    # Shortened words: one Confluence, one Colin (the import reads "Ets" already), one
    # British Granite.
    (["Gpe Confluence,Angers", "GROUPE CONFLUENCE SA,Angers", "Ets Colin,Lyon",
      "Établissements Colin SAS,Lyon", "Brit. Granite Svcs,Leeds",
      "British Granite Services Ltd,Leeds", "Colin Immobilier,Lyon"], 4, "Colin Immobilier"),
    # "St" for Saint ("Ste" is Société there as often as Sainte: a legal form); "ST" a
    # brand's letters stays what it is.
    (["Saint-Gobain,Courbevoie", "St Gobain,Courbevoie", "St Jean BTP,Lyon",
      "SAINT-JEAN BTP,Lyon", "Saint-Malo Nautisme,Saint-Malo", "ST Dupont,Paris"],
     4, "ST Dupont"),
])
def test_company_names_written_another_way_match(tmp_path: Path, db: Path,
                                                 lines: list[str], kept: int, distinct: str):
    companies = write(tmp_path / "c.csv", "Raison sociale,Ville\n" + "\n".join(lines) + "\n")
    api.import_files(db, [companies], kind="companies")
    api.dedupe(db)
    names = _active_company_names(db)
    assert len(names) == kept
    assert distinct in names


def test_a_similar_company_name_with_a_contact_at_both_is_one_company(tmp_path: Path,
                                                                      db: Path):
    # "Trannsports Vachon" (a typo, no town) and "Transports Vachon" in Lyon: nothing
    # against them but no place in common, a question for the reviewer; one person's
    # address (or a number) at both makes them one company. Without it they still wait.
    _import_crm(tmp_path, db,
                "id,first_name,last_name,email,phone,company_name,city\n"
                "1,Paul,Girard,paul.girard@vachon.fr,,Transports Vachon,Lyon\n"
                "2,Paul,Girard,paul.girard@vachon.fr,,Trannsports Vachon,\n"
                "3,Anne,Morel,,04 72 00 11 22,Boulangerie Perrin,Lyon\n"
                "4,Luc,Morel,,04 72 00 11 22,Boulangerie Perin,\n"
                "5,Marc,Roy,marc.roy@stonepeak.com,,Stonepeak Capital,\n"
                "6,Léa,Roy,lea.roy@stonepeak.com,,Stonepek Capital,Paris\n")
    api.dedupe(db)
    names = _active_company_names(db)
    assert len(names) == 4
    assert {"Stonepeak Capital", "Stonepek Capital"} <= set(names)
    conn = sqlite3.connect(db)
    try:
        reasons = [json.loads(r) for (r,) in conn.execute(
            "SELECT reasons FROM pairs WHERE kind = 'company' AND decision = 'match'")]
        waiting = conn.execute("SELECT count(*) FROM pairs WHERE kind = 'company'"
                               " AND decision = 'review'").fetchone()[0]
    finally:
        conn.close()
    assert sum("an address or number at both" in r for r in reasons) == 2
    assert waiting == 1


def test_a_similar_company_name_with_its_own_number_or_address_at_both(tmp_path: Path,
                                                                        db: Path):
    # A registry's or a crawl's companies, no people: the companies' own switchboard or
    # contact address, written differently, make the two names one company.
    companies = write(tmp_path / "c.csv", "Raison sociale,Ville,Téléphone,Email\n"
                      "Transports Vachon,Lyon,+33 4 72 00 11 22,\n"
                      "Trannsports Vachon,,+33 (0)4 72 00 11 22,\n"
                      "Stonepeak Capital,,,info@stonepeak.com\n"
                      "Stonepek Capital,Paris,,INFO@stonepeak.com\n"
                      "Stonepeek Capital,Lille,,\n")
    api.import_files(db, [companies], kind="companies")
    api.dedupe(db)
    assert len(_active_company_names(db)) == 3


def test_a_company_named_by_its_site_is_the_company_of_that_name(tmp_path: Path, db: Path):
    # A company column holding the site ("acme-conseil.fr", "www.initech.io",
    # "Amazon.com, Inc."): the company its site name names, under its written name.
    companies = write(tmp_path / "c.csv", "Raison sociale\nAcme Conseil SAS\n"
                      "acme-conseil.fr\nInitech\nhttps://www.initech.io/\n"
                      "Amazon.com, Inc.\nAMAZON\nGlobex\n")
    api.import_files(db, [companies], kind="companies")
    api.dedupe(db)
    assert _active_company_names(db) == ["AMAZON", "Acme Conseil SAS", "Globex", "Initech"]
    # People at it, one file naming the company, the other its site: one person.
    found, _ = _dedupe_crm(tmp_path, tmp_path / "p.db",
                           "id,first_name,last_name,phone,company_name,title\n"
                           "1,Hervé,Lautrec,,Lautrec Conseil,Directeur commercial\n"
                           "2,Herve,Lautrec,,lautrec-conseil.fr,Directeur commercial\n"
                           "3,Hervé,Lautrec,,Lautrec Immobilier,Gérant\n")
    assert found["crm:1"] is found["crm:2"]
    assert found["crm:1"] is not found["crm:3"]


@pytest.mark.parametrize("word", ["S.A.S", "S.L", "S.A", "E.Leclerc", "J.P", "a.co.uk",
                                  "www.x.fr", "Mr.Bricolage", "acme.fr", "Booking.com",
                                  "https://www.initech.io/", "ACME-GROUP.CO.UK", "e.on"])
def test_a_word_too_short_to_be_a_site_needs_no_suffix_list(word: str):
    # Legal forms written with dots ("OPTITIS S.A.S") are settled without loading the
    # public suffix list; every word it would call a site is still asked.
    from dedupe.features import _site_shaped
    from prospecting.importer import site_as_name

    assert site_as_name(word) is None or _site_shaped(word)
    assert _site_shaped(word) == (word not in {"S.A.S", "S.L", "S.A", "E.Leclerc", "J.P",
                                               "e.on"})


def test_a_surname_with_particles_written_joined_at_one_company(tmp_path: Path, db: Path):
    # "C. Debeaumont" on a team page, "Christophe De Beaumont" in the CRM, at one
    # company: the surname keyed as written joined too, whatever lies between the two
    # in lists sorted by surname or given name.
    between = "".join(f"{10 + k},{given},C{chr(97 + k)}lin,,Other {k},\n" for k, given in
                      enumerate(("Camille", "Carla", "Cécile", "Céline", "Chantal", "Charles",
                                 "Charlotte", "Chloé")))
    found, _ = _dedupe_crm(tmp_path, db,
                           "id,first_name,last_name,full_name,company_name,title\n"
                           "1,,,C. Debeaumont,Zephys Distribution,Responsable RH\n"
                           "2,Christophe,De Beaumont,,Zephys Distribution,Responsable RH\n"
                           + between)
    assert found["crm:1"] is found["crm:2"]


def test_a_merged_company_keeps_its_best_written_name(tmp_path: Path, db: Path):
    # One file, three spellings: the golden company is "L'Oréal", not the last of them
    # in alphabetical order ("Loreal SA"), nor the one in capitals.
    companies = write(tmp_path / "c.csv", "Raison sociale,Site web,Ville\n"
                      "L'Oréal,loreal.example,Clichy\nL OREAL,,Clichy\n"
                      "Loreal SA,,Clichy\nSOCIETE GENERALE SA,,Paris\n"
                      "Société Générale,,Paris\nLutèce Cons.,lutece.example,Paris\n"
                      "LUTÈCE CONSEIL SAS,lutece.example,Paris\nAcme Inc.,acme.example,\n"
                      "ACME INC,acme.example,\nSt Gobain,,Courbevoie\n"
                      "Saint-Gobain,,Courbevoie\n")
    api.import_files(db, [companies], kind="companies")
    api.dedupe(db)
    # A word cut short loses to the whole word ("St" for Saint too), a legal form's dot
    # is no cut.
    assert _active_company_names(db) == [
        "Acme Inc.", "L'Oréal", "LUTÈCE CONSEIL SAS", "Saint-Gobain", "Société Générale"]


def test_a_later_source_in_capitals_does_not_rename_a_company(tmp_path: Path, db: Path):
    # The CRM writes "Société Générale"; a list bought later "SOCIETE GENERALE SA": one
    # name, and the CRM writes it better. "Meta Platforms" after "Facebook" is another
    # name: the newer one stands.
    crm = write(tmp_path / "crm.csv", "Company,Website\n"
                "Société Générale,societegenerale.example\nFacebook,fb-corp.example\n")
    bought = write(tmp_path / "list.csv", "Company,Website\n"
                   "SOCIETE GENERALE SA,societegenerale.example\n"
                   "META PLATFORMS INC,fb-corp.example\n")
    api.import_files(db, [crm], kind="companies", source="crm")
    api.import_files(db, [bought], kind="companies", source="list")
    assert _active_company_names(db) == ["META PLATFORMS INC", "Société Générale"]
    api.dedupe(db)
    assert _active_company_names(db) == ["META PLATFORMS INC", "Société Générale"]


def test_people_at_a_saint_written_st_are_at_one_company(tmp_path: Path, db: Path):
    # A buyer at Saint-Gobain in the CRM, at "St Gobain" with a personal address in a
    # trade-show list: one company, one person.
    found, _ = _dedupe_crm(tmp_path, db, (
        "id,first_name,last_name,email,phone,company_name,city,title\n"
        "1,Hugo,Lemaire,hugo.lemaire@saint-gobain.example,,Saint-Gobain,Courbevoie,"
        "Acheteur\n"
        "2,Hugo,Lemaire,hugo.lemaire@gmail.com,06 45 45 45 45,St Gobain,Courbevoie,"
        "Acheteur\n"))
    assert sorted(found["crm:1"]["source_ids"]) == ["crm:1", "crm:2"]


def test_one_company_name_in_two_towns_is_a_question(tmp_path: Path, db: Path):
    # Two "Boulangerie Martin", in Lyon and in Marseille, with no site or SIREN: asked
    # about, not merged. The same name with one town unknown is one company.
    companies = write(tmp_path / "c.csv", "id,Raison sociale,Ville\n"
                      "1,Boulangerie Martin,Lyon\n2,Boulangerie Martin SARL,Marseille\n"
                      "3,Garage Perrin,Nantes\n4,GARAGE PERRIN,\n")
    api.import_files(db, [companies], kind="companies", id_column="id")
    report = api.dedupe(db)
    assert _active_company_names(db) == ["Boulangerie Martin", "Boulangerie Martin SARL",
                                         "Garage Perrin"]
    assert report.details["pending_reviews"] == 1
    assert len(_review_pairs(db, "company")) == 1


def test_one_typo_near_the_start_of_a_name_is_still_similar(tmp_path: Path, db: Path):
    # Jaro-Winkler alone scores "Mrshall" 0.88 against "Marshall": a loose match only.
    _import_crm(tmp_path, db,
                "id,first_name,last_name,company_name\n"
                "1,Alexander,Marshall,Cobalt Crown\n"
                "2,Aelxander,Mrshall,Cobalt Crown\n"
                "3,Stéphane,Aubert,Renaud & Fils\n"
                "4,Stéphane,UABERT,Renaud & Fils\n"
                "5,Rebecca,Murphy,Sterling Harbour\n"
                "6,Bceky,MURPHY,Sterling Harbour\n"
                "7,Jean,Morel,Atlas\n"
                "8,Joan,Morel,Atlas\n")
    levels = _levels_of(db, [("crm:1", "crm:2"), ("crm:3", "crm:4"), ("crm:5", "crm:6"),
                             ("crm:7", "crm:8")])
    assert levels[0]["first_name"] == 3
    assert levels[0]["last_name"] == 3
    assert levels[1]["last_name"] == 3
    assert levels[2]["first_name"] == 3  # a typo in Becky, Rebecca's nickname
    assert levels[3]["first_name"] > 3  # Joan is no typo of Jean (John)


@pytest.mark.parametrize(("text", "field", "expected"), [
    # Jaro-Winkler finds "Studio Vendée" and "Studio Cèdre" similar: the first word says
    # what kind of business it is, not which. A typo after it still counts as one.
    pytest.param(
        "id,first_name,last_name,company_name\n"
        "1,Dom,Fontaine,Studio Vendée\n"
        "2,Dom,Fontaine,Studio Cèdre\n"
        "3,Anne,Roy,Cabinet Dupont\n"
        "4,Anne,Roy,Cabinet Durand\n"
        "5,Paul,Hart,Cabinet Dupont\n"
        "6,Paul,Hart,Cabinet Dupond\n"
        "7,Eve,Lind,Sullivan Evergreen\n"
        "8,Eve,Lind,Sulivan Evergreen\n", "company", [4, 4, 3, 3],
        id="company_names_sharing_only_a_kind_of_business_are_not_similar"),
    # Two records giving initials alone agree on a letter, not on a given name: "B" and
    # "B. STEVENS" similar (3), as are "J.-P." and "J-P"; "B." beside Bryan, initials (4).
    pytest.param(
        "id,Name\n1,B Stevens\n2,B. STEVENS\n3,J.-P. Martin\n4,J-P Martin\n"
        "5,Bryan Stevens\n6,B. Stevens\n", "first_name", [3, 3, 4],
        id="the_same_initials_alone_are_not_an_exact_given_name"),
    # Names sharing a long beginning, then wholly different words: "Société Lyonnaise de
    # Négoce" and "Société Lyonnaise de Mécanique" (Jaro-Winkler 0.91) are two firms'
    # (4); a typo there (similar, 3) and a word added (3) are not.
    pytest.param(
        "id,first_name,last_name,company_name\n"
        "1,Nathalie,Laurent,Société Lyonnaise de Négoce\n"
        "2,Nathalie,Laurent,Société Lyonnaise de Mécanique S.A.S.\n"
        "3,Julie,Michel,Zenalis Val de Loire\n"
        "4,Julie,Michel,Zenalis Vl de Loire\n"
        "5,Eve,Lind,Sullivan Evergreen\n"
        "6,Eve,Lind,Sullivan Evergreen Partners\n", "company", [4, 3, 3],
        id="company_names_going_on_with_other_words_are_not_similar"),
    # Trades in several languages are such words too: "MARY" for Chaudronnerie Mary,
    # "Rossi S.r.l." for Officine Rossi, "Northlight" for Northlight Labs (similar);
    # Fonderie Moreau and Fonderie Colin share the trade alone (another).
    pytest.param(
        "id,first_name,last_name,company_name\n"
        "1,Virginie,Leblanc,Chaudronnerie Mary\n"
        "2,Virginie,Leblanc,MARY\n"
        "3,Marco,Rossi,Officine Rossi\n"
        "4,Marco,Rossi,Rossi S.r.l.\n"
        "5,Ann,Lee,Northlight Labs\n"
        "6,Ann,Lee,Northlight\n"
        "7,Paul,Klein,Fonderie Moreau\n"
        "8,Paul,Klein,Fonderie Colin\n", "company", [3, 3, 3, 4],
        id="trades_in_several_languages_are_kinds_of_business"),
    # The trade left out, so is the word joining it to the name: "MONTALEMBERT" for
    # Fonderie de Montalembert, "ROSSI" for Officine di Rossi (similar); Fonderie Moreau
    # and Fonderie Colin are still two companies.
    pytest.param(
        "id,first_name,last_name,company_name\n"
        "1,Étienne,Picard,Fonderie de Montalembert SAS\n"
        "2,Étienne,Picard,MONTALEMBERT\n"
        "3,Marco,Rossi,Officine di Rossi\n"
        "4,Marco,Rossi,ROSSI\n"
        "5,Paul,Klein,Fonderie Moreau\n"
        "6,Paul,Klein,Fonderie Colin\n", "company", [3, 3, 4],
        id="the_word_joining_a_trade_to_a_name"),
    # A team page's site that leaves out a word joining the name's (similar): Société
    # Française de Mécanique at societefrancaisemecanique.fr, Munoz et Ollivier at
    # munozollivier.fr; not a site that drops letters of a word (Dedale, daleconseil.fr).
    pytest.param(
        "id,first_name,last_name,company_name,website\n"
        "1,Jonathan,Letellier,,https://www.societefrancaisemecanique.fr/equipe\n"
        "2,JONATHAN,LETELLIER,Societe Francaise de Mecanique,\n"
        "3,Ana,Ruiz,Munoz et Ollivier,\n"
        "4,Ana,Ruiz,,munozollivier.fr\n"
        "5,Paul,Roy,Dedale Conseil,\n"
        "6,Paul,Roy,,daleconseil.fr\n", "company", [3, 3, 4],
        id="a_site_leaving_out_a_joining_word"),
    # Jaro-Winkler 0.74 for Brandon and Raymond, 0.72 for Hortense and Océane: two
    # names, not a loose match that weighs next to nothing.
    pytest.param(
        "id,first_name,last_name,company_name\n"
        "1,Brandon,Sinclair,Adeyemi & Partners\n"
        "2,Raymond,Sinclair,Adeyemi & Partners\n"
        "3,Hortense,Carré,Transports Rousseau\n"
        "4,Océane,Carré,Transports Rousseau\n", "first_name", [6, 6],
        id="given_names_sharing_a_few_letters_are_different"),
    # Two names of their own loosely alike (Céline and Élodie, 0.78) are two names too;
    # two spellings of one name are not: Carl and Karl sound alike (loose), Sean and
    # Shaun share a nickname group.
    pytest.param(
        "id,first_name,last_name,company_name\n"
        "1,Céline,Jérôme,Jérôme & Fils\n"
        "2,Élodie,Jérôme,Jérôme & Fils\n"
        "3,Carl,Berg,Nordic Tools\n"
        "4,Karl,Berg,Nordic Tools\n"
        "5,Sean,Murphy,Stark Ltd\n"
        "6,Shaun,Murphy,Stark Ltd\n", "first_name", [6, 5, 2],
        id="known_given_names_loosely_alike_are_different"),
    # A given initial with a work address spelling a given name and the surname ("É."
    # Grégory at eric.gregory@): Eric, not Élodie (6); Eric Grégory's (1).
    pytest.param(
        "id,first_name,last_name,full_name,email,company_name\n"
        "1,,,Élodie Grégory,,Grégory & Fils\n"
        "2,É.,Grégory,,eric.gregory@gregoryfils.example,Grégory et Fils\n"
        "3,Eric,Grégory,,,Grégory et Fils\n"
        "4,E.,Grégory,,eric.gregory@gregoryfils.example,Grégory et Fils\n",
        "first_name", [6, 1],
        id="a_given_initial_its_work_address_spells"),
    # A surname one slip from the one its own work address spells is that one ("Joes"
    # at djones@ beside David Jones: exact, 1); not where the address spells none
    # (Grégory at contact@: as written, 3 beside Gregori).
    pytest.param(
        "id,first_name,last_name,email,company_name\n"
        "1,D.,Joes,djones@dynavea.example,Dynavea Ltd\n"
        "2,David,Jones,,Dynavea\n"
        "3,Paul,Grégory,contact@gregoryfils.example,Grégory et Fils\n"
        "4,Paul,Gregori,,Grégory et Fils\n", "last_name", [1, 3],
        id="a_surname_its_own_work_address_spells"),
    # Not where the record's surname is one Faker's lists hold and the address's is
    # not: the address is the one mistyped (Ross Walton at ross.walon@ beside Ross
    # Walton: exact, 1, not "Walon").
    pytest.param(
        "id,first_name,last_name,email,company_name\n"
        "1,Ross,Walton,ross.walon@pritchardlabs.example,Pritchard Labs\n"
        "2,Ross,Walton,,Pritchard Labs LLP\n", "last_name", [1],
        id="a_known_surname_beside_a_mistyped_address"),
    # A surname of three letters a letter off the one its address spells beside the
    # given name ("Toy" at sophie.roy@ beside Sophie Roy: exact, 1).
    pytest.param(
        "id,first_name,last_name,email,company_name\n"
        "1,Sophie,Toy,sophie.roy@avenirformation.example,Avenir Formation SARL\n"
        "2,Sophie,Roy,,Avenir Formation\n", "last_name", [1],
        id="a_short_surname_its_address_spells"),
    # Two profiles of their own (2); one public address with and without the suffix
    # LinkedIn adds, or a Sales Navigator member id beside a name, tell nothing (0).
    pytest.param(
        "id,first_name,last_name,linkedin_url,company_name\n"
        "1,Zacharie,Marin,https://www.linkedin.com/in/zacharie-marin-1a33d7ff,Simon\n"
        "2,Zacharie,Marin,http://www.linkedin.com/in/zacharie-marin-203,Simon\n"
        "3,Sabine,Morin,linkedin.com/in/sabine-morin-cd3b0529,Blondel\n"
        "4,Sabine,Morin,linkedin.com/in/sabine-morin-94f38d67,Blondel\n"
        "5,James,Barker,https://www.linkedin.com/in/james-barker,Falcon\n"
        "6,James,Barker,www.linkedin.com/in/james-barker-5f81ac40,Falcon\n"
        "7,Ana,Lopes,https://www.linkedin.com/in/ACwAAAB1x2y3z4AbCdEfGhIjKlMnOp,Orbis\n"
        "8,Ana,Lopes,https://www.linkedin.com/in/ana-lopes,Orbis\n", "linkedin",
        [2, 2, 0, 0], id="two_profiles_or_one_profile_s_two_addresses"),
    # One given name and one address that spells it with one record's surname and not
    # with the other's: that surname mistyped or changed ("Dame" beside Van Damme, a
    # married name beside the maiden one the address keeps), loosely alike (4), not a
    # second person's (5) as where two people share a mailbox both names fit (laure@).
    pytest.param(
        "id,first_name,last_name,email,company_name\n"
        "1,Alexander,Van Damme,alexander.vandamme@miller.example,Miller Marketing\n"
        "2,alexander,dame,alexander.vandamme@miller.example,Miller Marketing\n"
        "3,Marie,Dupont,marie.dupont@orbis.example,Orbis\n"
        "4,Marie,Martin,marie.dupont@orbis.example,Orbis\n"
        "5,Laure,Dupont,laure@atelier-laure.example,Atelier Laure\n"
        "6,Laure,Martin,laure@atelier-laure.example,Atelier Laure\n", "last_name",
        [4, 4, 5], id="a_surname_the_shared_address_spells_beside_another"),
    # Two company records of one name told apart by their sites, each person writing
    # from their own (a Debbie Miller at each Meridian Systems): two employers (4). Not
    # where one writes from a personal address (2), nor where the two share a mobile no
    # one else has (a move: read as no company, 0).
    pytest.param(
        "id,first_name,last_name,email,phone,company_name,website,city\n"
        "1,Debbie,Miller,debbie.miller@meridian-systems.example,+44 20 7971 7484,"
        "Meridian Systems LLP,www.meridian-systems.example,London\n"
        "2,DEBBIE,MILLER,dmiller@meridiansystems-us.example,+1 (206) 752-1805,"
        "MERIDIAN SYSTEMS,meridiansystems-us.example,Seattle\n"
        "3,Debbie,Miller,debbie.miller@meridian-systems.example,+44 20 7971 7484,"
        "Meridian Systems LLP,www.meridian-systems.example,London\n"
        "4,Debbie,Miller,debbie.miller77@gmail.com,,Meridian Systems,"
        "meridiansystems-us.example,Seattle\n"
        "5,Ryan,Cole,ryan.cole@meridian-systems.example,+44 7979 653961,"
        "Meridian Systems LLP,www.meridian-systems.example,London\n"
        "6,Ryan,Cole,rcole@meridiansystems-us.example,+44 7979 653961,"
        "Meridian Systems,meridiansystems-us.example,Seattle\n"
        # A record whose company has no site (which of the two it is, the name does not
        # tell): its work address stands for it.
        "7,Anna,Berg,anna.berg@meridian-systems.example,,MERIDIAN SYSTEMS,,London\n"
        "8,Anna,Berg,aberg@meridiansystems-us.example,,Meridian Systems Inc,"
        "meridiansystems-us.example,Seattle\n", "company", [4, 2, 0, 4],
        id="namesakes_at_two_companies_of_one_name"),
    # Fields swapped in one record, a compound given name written partly as initials in
    # either ("Latour, Marie-Laure" beside M-Laure Latour, "Latour, M-Laure" beside
    # Marie-Laure Latour): initials (4) and the surname (1); M-Claire is not Marie-Laure.
    *(pytest.param(
        "id,first_name,last_name,company_name\n"
        "1,M-Laure,Latour,Daniel Systèmes\n2,Latour,Marie-Laure,DANIEL SYSTEMES\n"
        "3,Latour,M-Laure,Daniel Systèmes\n4,Marie-Laure,Latour,DANIEL SYSTEMES\n"
        "5,Latour,M-Claire,Daniel Systèmes\n6,Marie-Laure,Latour,DANIEL SYSTEMES\n",
        field, expected, id=f"swapped_compound_partly_initials_{field}")
      for field, expected in (("first_name", [4, 4, 6]), ("last_name", [1, 1, 5]))),
    # The same from a personal address, its number left out: "Prerot" at
    # david.perrot39@outlook.example beside David Perrot (exact, 1); "A." Thibault at
    # alice.thibault11@ is Alice (1), not Anne (6).
    *(pytest.param(
        "id,first_name,last_name,email,company_name\n"
        "1,David,Prerot,david.perrot39@outlook.com,Gillet Systèmes France\n"
        "2,David,Perrot,,Gillet Systèmes\n"
        "3,A.,Thibault,alice.thibault11@gmail.com,Brunet Logistique\n"
        "4,Alice,Thibault,,Brunet Logistique\n"
        "5,A.,Thibault,alice.thibault11@gmail.com,Brunet Logistique\n"
        "6,Anne,Thibault,,Brunet Logistique\n", field, expected,
        id=f"names_its_own_personal_address_spells_{field}")
      for field, expected in (("last_name", [1, 1, 1]), ("first_name", [1, 1, 6]))),
    # The fields swapped and one mistyped, as the record's own work address tells
    # ("Lyosn" / "Kristi" at kristi.lyons@ beside Kristi Lyons: exact both); "Martin" /
    # "Jean" at jean.martin@ is left to the swapped reading (Martin is a given name).
    *(pytest.param(
        "id,first_name,last_name,email,company_name\n"
        "1,Lyosn,Kristi,kristi.lyons@hudson.example,Hudson Health\n"
        "2,Kristi,Lyons,,Hudson Health\n", field, [1],
        id=f"fields_swapped_as_its_own_work_address_tells_{field}")
      for field in ("first_name", "last_name")),
    # A surname in the given-name field and initials in the other ("Dos Santos" / "M"
    # beside Marcel Dos Santos, "Le Gall" / "J.-P." beside Jean-Pierre Le Gall): read
    # swapped, initials (4) and the surname (1).
    *(pytest.param(
        "id,first_name,last_name,company_name\n"
        "1,Dos Santos,M,Zenalis\n"
        "2,Marcel,Dos Santos,Zenalis\n"
        "3,Le Gall,J.-P.,Kerlann\n"
        "4,Jean-Pierre,Le Gall,Kerlann\n", field, expected,
        id=f"initials_in_the_surname_field_{field}")
      for field, expected in (("first_name", [4, 4]), ("last_name", [1, 1]))),
    # Alex is Alessandro's and Alejandro's too, as Alexander's (a nickname, 2); Sandro
    # still is Alessandro's, and Alex still Alexia's (its sixth group).
    pytest.param(
        "id,first_name,last_name,company_name\n"
        "1,Alessandro,Ferrari,Atlika\n"
        "2,Alex,Ferrari,Atlika\n"
        "3,Alessandro,Conti,Atlika\n"
        "4,Sandro,Conti,Atlika\n"
        "5,Alejandro,González,Arcalis\n"
        "6,Álex,GONZÁLEZ,Arcalis\n"
        "7,Alexia,Roux,Arcalis\n"
        "8,Alex,Roux,Arcalis\n", "first_name", [2, 2, 2, 2],
        id="alex_for_alessandro"),
    # A typo of a nickname ("Bceky" for Becky, Rebecca's) is similar; a name of its own
    # one letter from a nickname is not a typo: Willie is no mistyped Millie (Emily).
    pytest.param(
        "id,first_name,last_name,company_name\n"
        "1,Emily,Donald,Donald & Sons\n"
        "2,Willie,Donald,Donald & Sons\n"
        "3,Rebecca,Hart,Hart Ltd\n"
        "4,Bceky,Hart,Hart Ltd\n", "first_name", [6, 3],
        id="a_name_of_its_own_is_no_typo_of_a_nickname"),
    # A typo of the formal name beside the nickname ("Abiail" for Abigail, beside Abby),
    # whichever record comes first.
    pytest.param(
        "id,first_name,last_name,company_name\n"
        "1,Abby,Hall,Foxwood Group\n"
        "2,Abiail,Hall,Foxwood Group\n"
        "3,Abiail,Hall,Foxwood Group\n"
        "4,Abby,Hall,Foxwood Group\n", "first_name", [3, 3],
        id="a_typo_of_the_formal_name_beside_its_nickname"),
    pytest.param(
        "id,first_name,last_name,city\n"
        "1,Zacharie,Morel,St-Etienne\n"
        "2,Zacharie,Morel,Saint-Étienne\n"
        "3,Anne,Roy,Ste Foy lès Lyon\n"
        "4,Anne,Roy,SAINTE-FOY-LES-LYON\n"
        "5,Paul,Hart,Stuttgart\n"
        "6,Paul,Hart,Saintuttgart\n", "city", [1, 1, 3],
        id="saint_written_short_is_the_same_city"),
    # A town in another language (data/city_names.txt): a French CRM's Turin and
    # Munich, an Italian and a German one's Torino and München.
    pytest.param(
        "id,first_name,last_name,city\n"
        "1,Claudia,Salandra,Turin\n"
        "2,Claudia,Salandra,Torino\n"
        "3,Paul,Hart,Munich\n"
        "4,Paul,Hart,MÜNCHEN\n"
        "5,Anne,Roy,The Hague\n"
        "6,Anne,Roy,Den Haag\n"
        "7,Eva,Lind,Nice\n"
        "8,Eva,Lind,Nizza\n", "city", [1, 1, 1, 1],
        id="a_town_named_in_another_language_is_the_same_city"),
    # No company on one side, but an address at olivier-nettoyage.fr: that is where
    # they work, the company the other record names.
    pytest.param(
        "id,first_name,last_name,email,company_name\n"
        "1,Gérald,Brunet,Geraldbrunet@orange.fr,Olivier Nettoyage\n"
        "2,Gérald,Brunet,gerald.brunet@olivier-nettoyage.fr,\n"
        "3,Paul,Caron,pcaron@boulangeriemillet.fr,\n"
        "4,Paul,Caron,,Boulangerie Martin\n", "company", [2, 0],
        id="a_work_address_at_the_domain_of_the_others_company"),
    # Work addresses at two domains, no company named on one side: two employers (two
    # Sönke Köhlers, one known only by his address at a joinery). A free-mail address
    # says nothing of an employer.
    pytest.param(
        "id,first_name,last_name,email,company_name\n"
        "1,Sönke,Köhler,s.kohler@claesholzbau.de,\n"
        "2,Sönke,Köhler,sonke.kohler@gruberelektro.de,Gruber Elektro\n"
        "3,Paul,Caron,pcaron@boulangeriemillet.fr,\n"
        "4,Paul,Caron,paul.caron@gmail.com,Boulangerie Martin\n", "company", [4, 0],
        id="work_addresses_at_two_domains_are_two_employers"),
    # Umlauts written out (a German list, an address: Juergen Mueller) or dropped (a
    # French CRM: Jurgen Muller) are one name with Jürgen Müller. Between the two ASCII
    # forms, nothing says an umlaut was there: similar only.
    *(pytest.param(
        "id,first_name,last_name\n"
        "1,Jürgen,Müller\n2,Juergen,Mueller\n3,JÜRGEN,MÜLLER\n4,Jurgen,Muller\n"
        "5,Juergen,Mueller\n6,Jurgen,Muller\n", field, [1, 1, 3],
        id=f"umlauts_written_out_{field}") for field in ("first_name", "last_name")),
    # Jaro-Winkler gives "Labo Blanchard" 0.86 against "Laboratoires Blanchard", below
    # the similar level; one is the other with a word shortened.
    pytest.param(
        "id,first_name,last_name,company_name\n"
        "1,Gaëtan,Adeyemi,Labo Blanchard\n"
        "2,Gaëtan,Adeyemi,Laboratoires Blanchard\n"
        "3,Hugo,Roy,Ing. Durand\n"
        "4,Hugo,Roy,Ingénierie Durand\n"
        "5,Lea,Roy,Durand Conseil\n"
        "6,Lea,Roy,Dumont Conseil\n", "company", [3, 3, 4],
        id="a_company_name_with_a_word_cut_short_is_similar"),
    # Three words or more: their initials are what an acronym of the name reads.
    pytest.param(
        "id,first_name,last_name,company_name\n"
        "1,Nadia,Béranger,CLG\n"
        "2,Nadia,Béranger,Cabinet Le Goff SARL\n"
        "3,Tom,Hart,Bluewater Data Services\n"
        "4,Tom,Hart,BDS\n"
        "5,Ann,Lee,AB\n"
        "6,Ann,Lee,Atelier Bernard\n"
        # Two names joined: "HB" for Henry & Brunet, "DK" for Dennis and Khan.
        "7,Béatrice,Marie,HB\n"
        "8,Béatrice,Marie,Henry & Brunet SAS\n"
        "9,Omar,Khan,Dennis and Khan\n"
        "10,Omar,Khan,DK\n", "company", [3, 3, 4, 3, 3],
        id="a_company_written_as_its_acronym_is_a_similar_name"),
    # A surname given as its initial beside the surname it begins, "Jean D." or "Martin
    # A." (given name and surname swapped in both, Martin a given name too): a loose
    # match; beside another surname, another.
    pytest.param(
        "id,first_name,last_name,company_name\n"
        "1,Jean,D.,Kerlann\n2,Jean,Dupont,Kerlann\n"
        "3,Martin,A.,Piravea\n4,Martin,Antoine,Piravea\n"
        "5,Jean,D.,Kerlann\n6,Jean,Martin,Kerlann\n", "last_name", [4, 4, 5],
        id="a_surname_given_as_its_initial"),
    # bmorales@ beside robertmorales@, both Robert Morales: Bob's initial, one person's
    # two addresses (3). Bill Turner's bturner@ beside William Turner's william.turner@:
    # each spells its own record's form, two people's (4).
    pytest.param(
        "id,first_name,last_name,email,company_name\n"
        "1,Robert,Morales,robertmorales@zeniq.example,Zeniq\n"
        "2,Robert,Morales,bmorales@zeniq.example,Zeniq LLC\n"
        "3,William,Turner,william.turner@oakridge.example,Oakridge Capital\n"
        "4,Bill,Turner,bturner@oakridge.example,Oakridge Capital LLC\n", "email", [3, 4],
        id="an_address_giving_the_initial_of_a_nickname"),
    # louismarie@ for "L.-M." Dufour, and jesus@ for "C." Herrera (Chus, a nickname of
    # Jesús): each address fits the other record's initials (3). jeanmarc@ does not fit
    # "L.-M." (4).
    pytest.param(
        "id,first_name,last_name,email,company_name\n"
        "1,Louis-Marie,Dufour,louismarie@sgservices.example,SG Services\n"
        "2,L.-M.,DUFOUR,l.dufour@sgservices.example,SG Services\n"
        "3,Jesús,Herrera,jesus@junolis.example,Junolis Energía\n"
        "4,C.,HERRERA,jherrera@junolis.example,Junolis Energia S.L.\n"
        "5,Jean-Marc,Roy,jeanmarc@royfreres.example,Roy Frères\n"
        "6,L.-M.,Roy,l.roy@royfreres.example,Roy Frères\n", "email", [3, 3, 4],
        id="an_address_for_a_name_given_as_initials"),
    # jraya@ beside javier@ for Javier Raya Iglesias and Javier Raya: an address may give
    # a surname's first word alone (3). Not its second (alopez@ for Ana García López),
    # nor a surname inside another with no word between (a.martin@ for Alain
    # Martinelli): 4.
    pytest.param(
        "id,first_name,last_name,email,company_name\n"
        "1,Javier,Raya Iglesias,javier@quanens.example,Quanens\n"
        "2,Javier,RAYA,jraya@quanens.example,Quanens S.L.\n"
        "3,Ana,García López,agarcia@codina.example,Codina\n"
        "4,Ana,López,alopez@codina.example,Codina\n"
        "5,Alain,Martinelli,a.martinelli@verdier.example,Verdier\n"
        "6,Alain,Martin,a.martin@verdier.example,Verdier\n"
        # The same where a given name is mistyped ("Gillermo" at ggarcia@, beside
        # Guillermo García Pastor at guillermo@).
        "7,Gillermo,GARCÍA,ggarcia@valelle.example,VALELLE SISTEMAS\n"
        "8,Guillermo,García Pastor,guillermo@valelle.example,Valelle Sistemas S.L.\n",
        "email", [3, 4, 4, 3],
        id="an_address_giving_a_surnames_first_word"),
    # One record's names swapped ("bernier" / "j.-b."): each address fits the other
    # record's name read the right way round (3), whichever record is the swapped one;
    # not a given name neither record writes (4).
    pytest.param(
        "id,first_name,last_name,email,company_name\n"
        "1,Jean-Baptiste,Bernier,jeanbaptistebernier@neovea.example,Neovea\n"
        "2,bernier,j.-b.,jeanbaptiste@neovea.example,Neovea SAS\n"
        "3,Riviere,Claire,claire@talvia.example,Talvia\n"
        "4,Claire,Rivière,criviere@talvia.example,Talvia SA\n"
        "5,bernier,j.-b.,jeanbaptiste@neovea.example,Neovea SAS\n"
        "6,Jean-Baptiste,Bernier,jeanpaul@neovea.example,Neovea\n"
        # A middle initial in one address only, the words in another order: the company
        # told two namesakes apart (4).
        "7,Ronan,MAZOYER,ronan.c.mazoyer@riviere.example,Rivière\n"
        "8,Mazoyer,Ronan,mazoyer.ronan@riviere.example,Rivière SA\n"
        # A middle initial after a given name written out, in one address only
        # (jeanpierre.b.hamon@ beside jhamon@): two namesakes (4); not a compound's
        # initials (j.p.martin@ beside jp.martin@: 3).
        "11,Jean-Pierre,Hamon,jeanpierre.b.hamon@dupontberanger.example,Dupont-Béranger\n"
        "12,Jean-Pierre,Hamon,jhamon@dupontberanger.example,Dupont-Béranger SASU\n"
        "13,Jean-Pierre,Martin,j.p.martin@verria.example,Verria\n"
        "14,JP,Martin,jp.martin@verria.example,Verria SA\n"
        # A compound given name in the surname field: mluc@ beside mcluc@ (3).
        "9,Luc,Marie-Christine,mluc@lucetfils.example,Luc & Fils\n"
        "10,Marie-Christine,Luc,mcluc@lucetfils.example,Luc et Fils\n",
        "email", [3, 3, 4, 4, 3, 4, 3],
        id="addresses_beside_a_record_with_its_names_swapped"),
    # A surname in capitals in the given-name field, a given name in the other
    # ("PAGES" / "Anne-Sophie", "WEBER" / "A."): the fields swapped, so "A-Sophie" is
    # its initials (4), and "WEBER" / "A." beside Antoine Weber an initial (4, 1).
    # "MARTIN" / "Julie" beside Julie Martin agrees either way (1).
    *(pytest.param(
        "id,first_name,last_name,phone,company_name\n"
        "1,A-Sophie,PAGES,0678032289,CLARORA SYSTÈMES\n"
        "2,PAGES,Anne-Sophie,0678032289,Clarora\n"
        "3,WEBER,A.,,Piravea\n"
        "4,Antoine,Weber,,Piravea\n"
        "5,MARTIN,Julie,,Kerlann\n"
        "6,Julie,Martin,,Kerlann\n", field, expected,
        id=f"a_surname_in_capitals_in_the_given_name_field_{field}")
      for field, expected in (("first_name", [4, 4, 1]), ("last_name", [1, 1, 1]))),
    # Given name and surname swapped, the surname's second word left out ("Alberola" /
    # "Adrián" beside Adrián / Alberola Bustos): one name, read swapped (similar both).
    *(pytest.param(
        "id,first_name,last_name,email,company_name\n"
        "1,Alberola,Adrián,aalberola@horiria.example,Horiria\n"
        "2,Adrian,Alberola Bustos,aalberola@horiria.example,Horiria\n"
        "3,Bustos,Ana,,Horiria\n"
        "4,Ana,Alberola Bustos,,Horiria\n"
        # The other way: the surname field of two words, swapped.
        "5,Prada Caballero,Ignacio,,Veritis\n"
        "6,Ignacio,Prada,,Veritis\n", field, [3, 3, 3],
        id=f"swapped_beside_a_surname_of_two_words_{field}")
      for field in ("first_name", "last_name")),
    # A full name alone with middle words: given names while a list says whose a name
    # is (Antonio), then the surname's first words (Marín, Fernández: a Spanish name's
    # two surnames). Read as José and Palma, "J. A." was another given name.
    *(pytest.param(
        "id,first_name,last_name,full_name,company_name\n"
        "1,,,José Antonio Marín Palma,Omnitis\n2,J. A.,MARÍN PALMA,,Omnitis\n"
        "3,,,Miguel Fernández Priego,Sygnora\n4,Miguel,Fernández Priego,,Sygnora\n"
        # Read in another order than written: Thi is no given name of Lan's.
        "5,,,NGUYEN Thi Lan,Tamis\n6,Lan,Nguyen,,Tamis\n",
        field, expected, id=f"middle_words_of_a_full_name_{field}")
      for field, expected in (("first_name", [4, 1, 1]), ("last_name", [1, 1, 1]))),
    # A middle word a list holds as a given name (Pascual, Alonso) that the other record
    # gives as the surname: "Lucía Pascual Dávila" beside Lucía / Pascual (given names
    # exact, the first of two surnames, 2) and beside Lucía / Pascual Dávila (exact
    # both); "Jean Pierre Martin" beside Jean / Pierre stays a compound given name.
    *(pytest.param(
        "id,first_name,last_name,full_name,company_name\n"
        "1,,,Lucía Pascual Dávila,Santander\n2,Lucía,PASCUAL,,Santander\n"
        "3,,,Lucía Pascual Dávila,Santander\n4,Lucia,Pascual Davila,,Santander\n"
        "5,,,Jean Pierre Martin,Omnitis\n6,Jean,Pierre,,Omnitis\n",
        field, expected, id=f"a_middle_word_the_other_gives_as_surname_{field}")
      for field, expected in (("first_name", [1, 1, 2]), ("last_name", [2, 1, 5]))),
    # A given name alone in the surname field, as the record's own address writes it
    # before a surname ("françois" at francois.carre@, "thomas" at tbrown@): the given
    # name (1, nickname 2), no surname (0); "martin" at martin.julie@ stays a surname.
    *(pytest.param(
        "id,first_name,last_name,email,company_name\n"
        "1,,françois,francois.carre@ega.example,EGA\n"
        "2,François,Carré,francois.carre@ega.example,EGA\n"
        "3,,thomas,tbrown@odg.example,ODG\n4,Tommy,Brown,,ODG\n"
        "5,,martin,martin.julie@kerlann.example,Kerlann\n6,Julie,Martin,,Kerlann\n",
        field, expected, id=f"a_given_name_alone_in_the_surname_field_{field}")
      for field, expected in (("first_name", [1, 2, 0]), ("last_name", [0, 0, 1]))),
    # One typo in a name of three or four letters, where one of the two is no name the
    # lists know: similar (3), as in longer names ("Wplf" for Wolf, "Zéo" for Zoé, two
    # letters swapped); two names the lists know a letter apart stay apart (Marc and
    # Mary, 6).
    *(pytest.param(
        "id,first_name,last_name,company_name\n"
        "1,Kerstin,Wolf,Sommer\n2,Kerstin,Wplf,Sommer\n"
        "3,Zoé,Faure,Nova\n4,Zéo,Faure,Nova\n"
        "5,Marc,Roux,Nova\n6,Mary,Roux,Nova\n",
        field, expected, id=f"a_typo_in_a_short_name_{field}")
      for field, expected in (("first_name", [1, 3, 6]), ("last_name", [3, 1, 1]))),
    # A civility before a given name in its own field, no surname ("M. Maxime"): the
    # given name (1), where a full name's field gives the surname ("M. Dupont", 0 and
    # 1); before a full name, the full name ("Dr. Anna Weber", 1 and 1). "M." may be an
    # initial: before a surname, no given name is read ("M. Edwards" beside Matthew
    # Edwards: 0 and 1, not Edwards as a given name).
    *(pytest.param(
        "id,first_name,last_name,full_name,company_name\n"
        "1,M. Maxime,,,Clinique Fabre\n2,Maxime,Masson,,Clinique Fabre\n"
        "3,Dr. Anna Weber,,,Piravea\n4,Anna,Weber,,Piravea\n"
        "5,,,M. Dupont,Kerlann\n6,Jean,Dupont,,Kerlann\n"
        "7,M. Edwards,,,Atlas\n8,Matthew,Edwards,,Atlas\n",
        field, expected, id=f"a_civility_before_a_given_name_{field}")
      for field, expected in (("first_name", [1, 1, 0, 0]), ("last_name", [0, 1, 1, 1]))),
    # A nickname in the given-name field and a surname that is also a given name, at
    # an address that writes them in that order ("Jess" / "Morris" at jess.morris@):
    # as written, beside Jessica alone a nickname (2); "Lyosn" / "Kristi" at
    # kristi.lyons@ is still read swapped (1 and 1).
    *(pytest.param(
        "id,first_name,last_name,email,company_name\n"
        "1,Jessica,,jess.morris@aj.example,Agence Jourdain\n"
        "2,Jess,Morris,jess.morris@aj.example,Agence Jourdain\n"
        "3,Lyosn,Kristi,kristi.lyons@aj.example,Agence Jourdain\n"
        "4,Kristi,Lyons,,Agence Jourdain\n",
        field, expected, id=f"a_nickname_beside_a_surname_that_is_a_name_{field}")
      for field, expected in (("first_name", [2, 1]), ("last_name", [0, 1]))),
    # A full name in the surname's field and no given name, the surname in capitals
    # (a French file's NOM Prénom): "LECLERCQ Antoine" beside Anne-Sophie Leclercq is
    # another given name (6), beside Antoine Leclercq the same (1), either way round;
    # "Le Gall" stays a surname, with no given name (0).
    *(pytest.param(
        "id,first_name,last_name,company_name\n"
        "1,,LECLERCQ Antoine,Galsys\n2,Anne-Sophie,Leclercq,Galsys\n"
        "3,,Antoine LECLERCQ,Galsys\n4,Antoine,Leclercq,Galsys\n"
        "5,,Le Gall,Kerlann\n6,Yann,Le Gall,Kerlann\n",
        field, expected, id=f"a_full_name_in_the_surname_field_{field}")
      for field, expected in (("first_name", [6, 1, 0]), ("last_name", [1, 1, 1]))),
    # Sergio Stevens Sr. and Jr. are a father and his son, not a surname a letter off
    # (5, not 3); either beside plain Stevens is one of them (2). An address with Jr
    # glued to it beside the one without is the son's, not a slip (4, not 3).
    pytest.param(
        "id,first_name,last_name,company_name\n"
        "1,Sergio,Stevens Sr.,Coreline\n2,Sergio,Stevens Jr.,Coreline\n"
        "3,Sergio,Stevens Junior,Coreline\n4,Sergio,Stevens,Coreline\n",
        "last_name", [5, 2], id="two_generations_of_one_name"),
    pytest.param(
        "id,first_name,last_name,email,company_name\n"
        "1,Josh,Stokes,josh.stokes@stokes.example,Stokes Brothers\n"
        "2,Josh,Stokes,josh.stokesjr@stokes.example,Stokes Brothers\n",
        "email", [4], id="a_generation_glued_to_an_address"),
    # Two numbers in one cell, as Pipedrive joins a person's numbers, before enrich
    # splits them: each is one of the record's (1, not 3); a fax in a labelled cell is
    # none of them.
    pytest.param(
        "id,Name,Organization,Phone\n"
        "1,Patricia Becker,Cohen Distribution,\"0173874100, 0685224874\"\n"
        "2,Patricia Becker,Cohen Distribution,01 73 87 41 00\n"
        "3,Hugo Lenoir,Lenoir SA,Tél : 01 42 68 53 00 / Fax : 01 42 68 53 01\n"
        "4,Hugo Lenoir,Lenoir SA,01 42 68 53 00\n",
        "phone", [1, 1], id="two_numbers_in_one_cell"),
])
def test_comparison_levels_of_pairs(tmp_path: Path, db: Path, text: str, field: str,
                                    expected: list[int]):
    assert _pair_levels(tmp_path, db, text, field) == expected


def test_a_swapped_compound_given_name_against_its_initials(tmp_path: Path, db: Path):
    # "Bonnaud, Jean-Pierre" (surname in the given-name field) and "J.-P. Bonnaud".
    _import_crm(tmp_path, db,
                "id,first_name,last_name\n"
                "1,Bonnaud,Jean-Pierre\n"
                "2,J.-P.,BONNAUD\n"
                "3,Vasseur,Anne-Laure\n"
                "4,A.-L.,Vasseur\n"
                "5,Vasseur,Anne-Laure\n"
                "6,J.-M.,Vasseur\n")
    levels = _levels_of(db, [("crm:1", "crm:2"), ("crm:3", "crm:4"), ("crm:5", "crm:6")])
    assert [(level["first_name"], level["last_name"]) for level in levels][:2] == [
        (4, 1), (4, 1)]
    assert levels[2]["first_name"] > 4


@pytest.mark.parametrize(("text", "found_by", "missed_by"), [
    # "Phillips, Sue" shares no key with Susan Phillips but the company and one name:
    # the company with either name's sound finds the pair.
    ("id,first_name,last_name,company_name\n"
     "1,Susan,Phillips,Albion Lantern\n"
     "2,Phillips,Sue,Albion Lantern Ltd\n", "company+either name", None),
    # Two company records of one name (each file row its own website): the keys by
    # company id miss the pair, the folded name with the surname's sound finds it.
    ("id,first_name,last_name,company_name,website\n"
     "1,Pascal,Kerbrat,Summit Bâtiment Data SARL,summit-data.fr\n"
     "2,Pascal,KERBRAT,SUMMIT BATIMENT DATA,summitdata.com\n",
     "company name+surname", "company+surname"),
    # "J.-Ph. Marécjal" with no company but an address at foragesdaubigne.fr, and
    # Jean-Philippe Marechal at Forages d'Aubigné: no name key is shared (given names
    # and surname sounds differ), the address's domain with the initials finds the pair.
    ("id,first_name,last_name,email,phone,company_name,website\n"
     "1,Jean-Philippe,Marechal,jeanphilippe.marechal@foragesdaubigne.fr,"
     "+33 6 59 35 47 18,Forages d'Aubigné,https://www.foragesdaubigne.fr/\n"
     "2,J.-Ph.,Marécjal,Marechal.jeanphilippe@foragesdaubigne.fr,02.02.97.82.45,,\n"
     "3,Julie,Pasquier,julie.pasquier@foragesdaubigne.fr,,,\n",
     "work domain+initials", None),
], ids=["swapped and shortened", "one company held as two", "only a work address"])
def test_a_pair_one_key_alone_finds_meets_in_a_block(tmp_path: Path, db: Path, text: str,
                                                     found_by: str, missed_by: str | None):
    _import_crm(tmp_path, db, text)
    from dedupe.blocking import person_pairs

    f, _ = _features_and_sources(db)
    pairs, report = person_pairs(f, max_block=60, window=1)
    assert report.pairs[found_by] == 1
    if missed_by is not None:
        assert report.pairs[missed_by] == 0
    assert [0, 1] in pairs.tolist()


@pytest.mark.parametrize("share", [0.0, 0.6, 1.0])
def test_distinct_pairs_of_codes_give_back_every_pair(share: float):
    from dedupe.comparisons import _distinct_pairs

    rng = np.random.default_rng(3)
    xa = rng.integers(0, 50, 2000).astype(np.int64)
    xb = np.where(rng.random(2000) < share, xa, rng.integers(0, 50, 2000)).astype(np.int64)
    left, right, inverse = _distinct_pairs(xa, xb, 50)
    assert left[inverse].tolist() == xa.tolist()
    assert right[inverse].tolist() == xb.tolist()
    # Each pair of codes once.
    assert len(set(zip(left.tolist(), right.tolist(), strict=True))) == len(left)
    assert len(left) == len(set(zip(xa.tolist(), xb.tolist(), strict=True)))


def test_nicknames_of_several_groups_and_languages():
    from dedupe.features import share_nickname_group as share

    # "jp" is Jean-Paul, Jean-Pierre and Jean-Philippe: each group counts.
    for x, y in (("jp", "jean pierre"), ("jp", "jean philippe"), ("chris", "christopher"),
                 ("chris", "christophe"), ("fritz", "friedrich"), ("matze", "matthias"),
                 ("penny", "penelope"), ("josy", "josiane"), ("babette", "isabelle"),
                 ("sissi", "elisabeth"), ("toby", "tobias"), ("chris", "christoph"),
                 ("mo", "mohammed"), ("mohamed", "muhammad"), ("cliff", "clifford")):
        assert share(x, y), (x, y)
    assert not share("fritz", "matthias")
    # Two nicknames of one name, listed on different lines of the table.
    for x, y in (("fifi", "josy"), ("babeth", "bella"), ("jojo", "josie")):
        assert share(x, y), (x, y)
    # British, Italian and Spanish short forms.
    for x, y in (("gaz", "gareth"), ("gaz", "gary"), ("mimmo", "domenico"),
                 ("betta", "elisabetta"), ("beppe", "giuseppe"), ("pepe", "jose"),
                 ("nacho", "ignacio"), ("manolo", "manuel"), ("inma", "inmaculada"),
                 ("lele", "daniele"), ("alex", "alexia"), ("max", "massimo")):
        assert share(x, y), (x, y)
    assert not share("gareth", "gary")
    assert not share("daniele", "gabriele")


def test_every_nickname_group_of_a_name_is_compared():
    # A name is compared through its first NAME_GROUPS groups: one in more would lose
    # the groups listed last (Alex and Alexia).
    from dedupe.features import NAME_GROUPS, nickname_groups

    crowded = {name: groups for name, groups in nickname_groups().items()
               if len(groups) > NAME_GROUPS}
    assert not crowded


@pytest.mark.parametrize(("x", "y", "one"), [
    ("dasilva.jeanphilippe", "jeanphilippe.dasilva", True),  # the words reordered
    ("clifford.pemberton", "clifford_pemberton", True),  # another separator
    ("mariepierreb", "mariepierre.beranger", True),  # given name and initial
    ("vbrooks", "brooks.valerie", True),  # surname first
    ("marie.durand", "marie.durand2", False),
    ("j.martin", "jean.martin", True),
    ("sonke.bohm", "s.bohm2", False),  # a number the company added
    ("mohammed.whitaker", "mohammed.c.whitaker", False),  # a middle initial added
    ("emmanuelle.rousseau", "emmanuelle.roussel", False),  # another surname
    ("f.roy", "f.roy.jr", False),
    # A compound given name is one name: its initials or its first initial, not its
    # first word, and not another compound that starts alike.
    ("jp.martin", "jean-pierre.martin", True),
    ("j.p.martin", "jean-pierre.martin", True),
    ("j.martin", "jean-pierre.martin", True),
    ("jeanpierre.martin", "jean-pierre.martin", True),
    ("jean.martin", "jean-pierre.martin", False),
    ("jean-paul.martin", "jean-pierre.martin", False),
    ("marie.dupont", "marie-claire.dupont", False),
    ("jpmartin", "jean-pierre.martin", True),
    ("jeanpierremartin", "jean-pierre.martin", True),
    ("jeanmartin", "jean-pierre.martin", False),
    # Its initials alone, or with the surname's, as eric@ or ericd@ for eric.delacroix@.
    ("jp", "jean-pierre.martin", True),
    ("jpm", "jean-pierre.martin", True),
    ("jm", "jean-pierre.martin", False),
    # Two letters swapped in typing, not another person's address.
    ("antoine.leroy", "antoine.leory", True),
    ("paul.martin", "paul.matrin", True),
    ("antoine.leroy", "antoine.leroux", False),
    # A letter doubled or not: a slip too, not a number or another letter.
    ("olivier.perrot", "olivier.perot", True),
    ("philippe.roy", "philipe.roy", True),
    ("olivier.perrot", "olivier.perrott2", False),
    ("marie.durand", "marie.durant", False),
    # A name and its feminine form, even where a nickname joins them (Manu).
    ("jean.martin", "jeanne.martin", False),
    ("emmanuel.roux", "emmanuelle.roux", False),
    ("julien.faure", "julie.faure", False),
    # A surname made compound (a married name added): the shorter address's words first.
    ("emilie.girard", "emilie.girard-blanc", True),
    ("chloe.martinez", "c.martinez-garcia", True),
    ("chloe.martinez", "c.martin-garcia", False),
    ("emilie.girard", "emilie.g.blanc", False),
    # Two given names of their own, the rest alike; a nickname is one person's.
    ("luca.rossi", "lucia.rossi", False),
    ("kate.oneill", "katherine.oneill", True),
])
def test_two_local_parts_at_one_company(x: str, y: str, one: bool):
    from dedupe.comparisons import _locals_consistent

    assert _locals_consistent(x, y) is one
    assert _locals_consistent(y, x) is one


@pytest.mark.parametrize(("written", "folded"), [
    ("M.-P.", "m p"),  # Marie-Pierre's initials, not Monsieur P.
    ("M-Laure", "m laure"),  # Marie-Laure, not Monsieur Laure
    ("J.-P.", "j p"),
    ("M. Jean", "jean"),
    ("Mme Hélène", "helene"),
])
def test_a_one_letter_civility_before_an_initial_is_an_initial(written: str, folded: str):
    from dedupe.features import fold_name

    assert fold_name(written) == folded


@pytest.mark.parametrize(("written", "folded", "spelled"), [
    # Letters without a decomposition: the letter they are written as in ASCII.
    ("Søren ØSTERGAARD", "soren ostergaard", "soeren oestergaard"),
    ("Łukasz", "lukasz", ""),
    ("Michał", "michal", ""),
    ("Đorđe", "dorde", ""),
    ("Ahmet Yılmaz", "ahmet yilmaz", ""),
    # Umlauts dropped, or written out.
    ("Jürgen Müller", "jurgen muller", "juergen mueller"),
    ("Åse", "ase", "aase"),
    ("Hélène", "helene", ""),
])
def test_names_with_letters_of_other_alphabets(written: str, folded: str, spelled: str):
    from dedupe.features import fold_name, umlauts_written_out

    assert (fold_name(written), umlauts_written_out(written)) == (folded, spelled)


@pytest.mark.parametrize(("raw", "key"), [
    ("01 40 00 00 01", "140000001"),
    ("+33 1 40 00 00 01 poste 12", "140000001"),  # not the keypad digits of "poste"
    ("01.40.00.00.01 p. 12", "140000001"),
    ("+1 (415) 555-0100 x 23", "155550100"),
    ("+44 20 7946 0000 ext. 4", "079460000"),
    ("0033 6 12 34 56 78", "612345678"),
])
def test_a_number_s_key_leaves_its_extension_out(raw: str, key: str):
    from dedupe.features import phone_key

    assert phone_key(raw) == key


@pytest.mark.parametrize(("e164", "kind", "raw", "mobile"), [
    ("+33672148309", None, "06 72 14 83 09", True),
    ("+33639986620", None, "+33 6 39 98 66 20", True),  # a range kept for fiction
    ("+447700900123", None, "07700 900123", True),
    ("+491715583920", None, "0171 5583920", True),
    ("+33353012200", None, "03 53 01 22 00", False),
    ("+13125550163", None, "(312) 555-0163", False),  # the North American plan: unknown
    ("+33612345678", "fixed_line", "06 12 34 56 78", False),  # as enrich typed it
    ("+13125550163", "mobile", "(312) 555-0163", True),
    (None, None, "06 39 98 66 20", True),  # not parsed yet: a French mobile's form
    (None, None, "07.81.96.90.08", True),
    (None, None, "+33 (0)6 39 98 66 20", True),
    (None, None, "071 123 45 67", False),  # St. Gallen, or no French mobile
    (None, None, "03 20 33 50 00", False),
    # Not parsed yet, a British mobile's form (07, eleven digits) and a German one's
    # (015 to 017, twelve): not a British landline's (0161 for Manchester), nor 070.
    (None, None, "07563 291981", True),
    (None, None, "07811 944271", True),
    (None, None, "0172 21269642", True),
    (None, None, "0161 234 5678", False),
    (None, None, "07064 123456", False),
    (None, None, "020 7946 0958", False),
    # The country code with no + before it, as Brevo's SMS column writes numbers: the
    # plan's mobile ranges, at an international number's length.
    (None, None, "33673291486", True),
    (None, None, "4917655384107", True),
    (None, None, "33142685300", False),
    (None, None, "15125550147", False),
    (None, None, "3367329148", False),
    # A French mobile whose 0 a spreadsheet dropped (stored as a number), as Spain's
    # and Switzerland's mobiles are written at home; not a landline so cut (01…).
    (None, None, "609746138", True),
    (None, None, "7 83 80 09 79", True),
    (None, None, "140000001", False),
    (None, None, "724818590", False),
])
def test_which_numbers_are_mobiles(e164: str | None, kind: str | None, raw: str,
                                   mobile: bool):
    from dedupe.features import is_mobile

    assert is_mobile(e164, kind, raw) is mobile


def test_a_number_typed_mobile_later_compares_its_record_again():
    # enrich types a Polish mobile the plans' ranges here do not list: the record's
    # dedupe input changed, so an incremental run compares it again.
    from dedupe.features import person_hashes

    def row(kind: str | None) -> list[Any]:
        phones = json.dumps([{"raw": "+48 512 345 678", "e164": "+48512345678",
                              "type": kind}])
        return ["p_1", "Anna", "Nowak", "", "[]", phones, "", "", "", "", "", "", "", "",
                1]

    (_, before), (_, after) = person_hashes([[row(None)]]), person_hashes([[row("mobile")]])
    assert before != after


def test_a_site_found_later_compares_the_company_s_people_again():
    # enrich or a crawl finds the company's site: the records' dedupe input changed (the
    # site is compared with names and addresses), so an incremental run compares them.
    from dedupe.features import person_hashes

    def row(domain: str | None) -> list[Any]:
        return ["p_1", "Henri", "Germain", "", "[]", "[]", "c_1", "Zephix", domain, "", "",
                "", "", "", 1]

    (_, before), (_, after) = person_hashes([[row(None)]]), person_hashes([[row("zephix.fr")]])
    assert before != after


def test_names_worn_by_one_sex_each():
    from dedupe.features import MAN, WOMAN, gender_of, other_sex

    assert (gender_of("julien"), gender_of("julie"), gender_of("samira")) == (MAN, WOMAN, WOMAN)
    assert gender_of("jean marie") == MAN
    assert gender_of("marie claire") == WOMAN
    # Worn by both somewhere (Andrea in Italy), or a short form: no one's in particular.
    assert {gender_of(x) for x in ("dominique", "camille", "andrea", "sacha", "alex")} == {0}
    assert other_sex("julien", "julie")
    assert other_sex("jean", "jeanne")
    assert not other_sex("julien", "julian")
    assert not other_sex("claude", "claudine")


@pytest.mark.parametrize(("local", "first", "last", "fits"), [
    ("pharris", "pete", "harris", True),
    ("mathieul", "math", "lebihan", True),  # the full given name, then the initial
    ("wouter", "w", "schroder", True),
    ("emmanuelle.roussel", "emmanuelle", "rousseau", False),  # another surname after it
    ("lpetit", "emilie", "petit", False),
    # A man's name is no shortened woman's, nor the other way round.
    ("julien.faure", "julie", "faure", False),
    ("julie.faure", "julien", "faure", False),
    # Jürgen Müller (folded "jurgen muller") at a German firm: umlauts written out.
    ("juergen.mueller", "jurgen", "muller", True),
    ("j.mueller", "jurgen", "muller", True),
    ("mueller.schmidt", "jurgen", "muller", False),
])
def test_an_address_as_a_form_of_a_name(local: str, first: str, last: str, fits: bool):
    from dedupe.comparisons import _local_fits

    assert _local_fits(local, first, last) is fits


def test_questions_a_later_run_no_longer_asks_leave_the_queue(tmp_path: Path, db: Path):
    # A first run asks about two Jean Martin at two companies (a low review threshold);
    # a run whose rules no longer ask takes the question out, and an answered one stays.
    _import_crm(tmp_path, db,
                "id,first_name,last_name,company_name,city\n"
                "1,Jean,Martin,Acme,Lyon\n"
                "2,Jean,Martin,Globex,Lyon\n"
                "3,Paul,Durand,Initech,Nantes\n"
                "4,Paul,Durand,Umbrella,Nantes\n")
    low = write(tmp_path / "low.toml", "[dedupe]\nreview_threshold = 0.001\n")
    high = write(tmp_path / "high.toml", "[dedupe]\nreview_threshold = 0.94\n")
    api.dedupe(db, config=low)
    asked = _review_pairs(db, "person")
    assert len(asked) == 2
    found = _by_source_id(dump(db))
    answered = next(pid for pid, in sqlite3.connect(db).execute(
        "SELECT id FROM pairs WHERE a IN (?, ?) AND b IN (?, ?)",
        (found["crm:3"]["id"], found["crm:4"]["id"], found["crm:3"]["id"],
         found["crm:4"]["id"])))
    api.review(db, reject=[answered])
    api.dedupe(db, config=high, retrain=True)
    conn = sqlite3.connect(db)
    left = conn.execute("SELECT id, review FROM pairs WHERE kind = 'person'").fetchall()
    conn.close()
    assert left == [(answered, "rejected")]


def _key_pairs(db: Path, key: str, max_block: int = 60, window: int = 3,
               report: Any = None) -> set[tuple[str, str]]:
    """The pairs one blocking key proposes, by first source id, each in sorted order
    (``report``: a ``BlockingReport`` the key fills, when the caller reads it)."""
    from dedupe.blocking import BlockingReport, _person_jobs

    f, first_source = _features_and_sources(db)
    job = dict((name, find) for name, _, find in _person_jobs(f, max_block=max_block,
                                                              window=window))[key]
    names = [first_source[pid] for pid in f.ids.tolist()]
    return {tuple(sorted((names[a], names[b])))
            for a, b in job(BlockingReport() if report is None else report).tolist()}


def test_a_local_part_pairs_records_only_beside_a_free_mail_address(tmp_path: Path,
                                                                      db: Path):
    # jean.martin@ at two firms is the firms' naming pattern; at gmail.com it is the
    # person's own, which their work address may repeat.
    _import_crm(tmp_path, db,
                "id,first_name,last_name,email,company_name\n"
                "1,Jean,Martin,jean.martin@acme-industrie.fr,Acme Industrie\n"
                "2,Jean,Martin,jean.martin@boulons-durand.fr,Boulons Durand\n"
                "3,J.,Martin,jean.martin@gmail.com,\n")
    assert _key_pairs(db, "email local part") == {("crm:1", "crm:3"), ("crm:2", "crm:3")}


def test_a_local_part_only_work_addresses_share_makes_no_block(tmp_path: Path, db: Path):
    # c.menard@ at four firms is their naming pattern: no pair of them is kept, so no
    # block of them is built (nor reported as over the size cap); j.roux@ at a firm and
    # at gmail.com is one person's.
    _import_crm(tmp_path, db,
                "id,first_name,last_name,email,company_name\n"
                "1,Claire,Menard,c.menard@acme-industrie.fr,Acme Industrie\n"
                "2,Cyril,Menard,c.menard@boulons-durand.fr,Boulons Durand\n"
                "3,Carole,Menard,c.menard@cabinet-vidal.fr,Cabinet Vidal\n"
                "4,Cedric,Menard,c.menard@garage-perrin.fr,Garage Perrin\n"
                "5,Julie,Roux,j.roux@hotel-bellevue.fr,Hotel Bellevue\n"
                "6,J.,Roux,j.roux@gmail.com,\n")
    from dedupe.blocking import BlockingReport

    report = BlockingReport()
    assert _key_pairs(db, "email local part", max_block=3, report=report) == {
        ("crm:5", "crm:6")}
    assert not report.skipped_blocks.get("email local part")


def test_a_mail_provider_read_from_the_data_is_no_work_domain_in_blocking(tmp_path: Path,
                                                                         db: Path):
    # mailbox.example is on no free-mail list, but people of eight firms write from it:
    # a provider, as the comparisons read it. Its local parts are people's own (Jean
    # Martin's work address repeats his), and two strangers there who share initials
    # share no employer.
    firms = ["Boulangerie Roux", "Cabinet Vidal", "Garage Perrin", "Hotel Bellevue",
             "Imprimerie Faure", "Librairie Morel", "Pharmacie Leroy", "Transports Gautier"]
    people = ["Julie,Mercier,julie.mercier", "Jacques,Moreau,jmoreau", "Paul,Dubois,pdubois",
              "Anne,Girard,anne.girard", "Luc,Bonnet,lbonnet", "Marc,Fontaine,mfontaine",
              "Eva,Chevalier,eva.chevalier", "Ines,Lambert,ines.lambert"]
    rows = [f"{i + 3},{person}@mailbox.example,{firm}"
            for i, (person, firm) in enumerate(zip(people, firms, strict=True))]
    _import_crm(tmp_path, db,
                "id,first_name,last_name,email,company_name\n"
                "1,Jean,Martin,jean.martin@acme-industrie.fr,Acme Industrie\n"
                "2,J.,Martin,jean.martin@mailbox.example,\n" + "\n".join(rows) + "\n")
    assert ("crm:1", "crm:2") in _key_pairs(db, "email local part")
    assert ("crm:3", "crm:4") not in _key_pairs(db, "work domain+initials")


def test_a_shared_number_pairs_only_names_that_may_be_one_persons(tmp_path: Path,
                                                                  db: Path):
    switchboard = "+33 1 40 00 00 00"
    _import_crm(tmp_path, db,
                "id,first_name,last_name,phone,company_name\n"
                f"1,Sophie,Leclerc,{switchboard},Acme\n"
                f"2,Paul,Durand,{switchboard},Acme\n"
                f"3,S.,Leclerc,{switchboard},Acme\n"  # an initial
                f"4,Durand,Paul,{switchboard},Acme\n"  # swapped
                f"5,Bob,Kowalski,{switchboard},Acme\n"
                f"6,Robert,Nowak,{switchboard},Acme\n"  # a nickname group, a new surname
                f"7,,,{switchboard},Acme\n")  # no name to tell
    pairs = _key_pairs(db, "phone")
    assert ("crm:1", "crm:3") in pairs
    assert ("crm:2", "crm:4") in pairs
    assert ("crm:5", "crm:6") in pairs
    assert {("crm:1", "crm:7"), ("crm:2", "crm:7")} <= pairs
    # Nothing of the names in common: two people behind one switchboard.
    assert ("crm:1", "crm:2") not in pairs
    assert ("crm:1", "crm:5") not in pairs
    assert ("crm:2", "crm:6") not in pairs


def test_a_key_on_one_name_pairs_only_records_whose_other_name_may_agree(tmp_path: Path,
                                                                          db: Path):
    # At one company, the Martins are mostly several people; a Martin whose given name
    # may be the same person's (an initial, a nickname, none) is still compared.
    _import_crm(tmp_path, db,
                "id,first_name,last_name,company_name\n"
                "1,Jean,Martin,Acme Industrie\n"
                "2,Claire,Martin,Acme Industrie\n"
                "3,J.,Martin,Acme Industrie\n"  # an initial
                "4,Robert,Kowalski,Acme Industrie\n"
                "5,Bob,Kowalski,Acme Industrie\n"  # a nickname group
                "6,,Martin,Acme Industrie\n"  # no given name to tell
                "7,Sophie,Durand,Acme Industrie\n"
                "8,Sophie,Leclerc,Acme Industrie\n")
    by_surname = _key_pairs(db, "company+surname")
    assert {("crm:1", "crm:3"), ("crm:4", "crm:5"), ("crm:1", "crm:6"),
            ("crm:2", "crm:6")} <= by_surname
    assert ("crm:1", "crm:2") not in by_surname
    assert ("crm:2", "crm:3") not in by_surname
    by_given = _key_pairs(db, "company+given name")
    # Two Sophies of other surnames: no typo makes Durand of Leclerc.
    assert ("crm:7", "crm:8") not in by_given
    assert ("crm:4", "crm:5") in by_given


@pytest.mark.parametrize(("url", "key"), [
    ("https://www.linkedin.com/in/jean-dupont-123abc/", "in/jean-dupont-123abc"),
    ("linkedin.com/in/jean-dupont-123abc", "in/jean-dupont-123abc"),
    ("http://fr.linkedin.com/in/Jean-Dupont-123abc?trk=public_profile",
     "in/jean-dupont-123abc"),
    ("www.linkedin.com/in/jean-dupont-123abc#about", "in/jean-dupont-123abc"),
    ("https://www.linkedin.com/in/l%C3%A9a-moreau-55/", "in/léa-moreau-55"),
    ("https://www.linkedin.com/in/jd/en", "in/jd"),  # a language
    ("https://www.linkedin.com/pub/jean-dupont/12/345/678", "pub/jean-dupont/12/345/678"),
    ("https://www.linkedin.com/company/acme/", ""),  # nobody's profile
    ("https://notlinkedin.com/in/x/", "https://notlinkedin.com/in/x"),
])
def test_one_key_for_every_spelling_of_a_linkedin_profile(url: str, key: str):
    from dedupe.features import linkedin_key

    assert linkedin_key(url) == key


@pytest.mark.parametrize(("text", "same", "apart", "reviews"), [
    # Two addresses at one company, a president and an assistant: two Chloé Giraud. The
    # same two address forms with two chief-executive titles are one person.
    ("id,first_name,last_name,email,company_name,title,city\n"
     "1,Chloé,Giraud,cgiraud@sequana.example,Groupe Sequana,Présidente,Lyon\n"
     "2,Chloe,Giraud,c.giraud@sequana.example,Groupe Sequana,Assistante de direction,Lyon\n"
     "3,Marc,Perrin,mperrin@rhone.example,Rhône Lys,Président,Lyon\n"
     "4,Marc,Perrin,m.perrin@rhone.example,Rhône Lys SARL,PDG,Lyon\n",
     [(3, 4)], [(1, 2)], None),
    # Two addresses at one company, a sales director and an accountant with two mobiles:
    # two Pierre Durand. One person's second address with the title in other words (one
    # department) is one person; so is another title with no second address.
    ("id,first_name,last_name,email,phone,company_name,title,city\n"
     "1,Pierre,Durand,pierre.durand@acme.example,06 12 34 56 78,Acme SAS,"
     "Directeur commercial,Paris\n"
     "2,Pierre,Durand,p.durand@acme.example,06 98 76 54 32,Acme SAS,Comptable,Paris\n"
     "3,Claire,Lambert,claire.lambert@borel.example,,Borel,Directrice commerciale,Lyon\n"
     "4,Claire,Lambert,c.lambert@borel.example,,Borel SA,Head of Sales,Lyon\n"
     "5,Hugo,Fabre,hugo.fabre@cedre.example,,Cèdre,Responsable marketing,Nantes\n"
     "6,Hugo,Fabre,,,Cèdre SARL,Chef de projet IT,Nantes\n",
     [(3, 4), (5, 6)], [(1, 2)], None),
    # One LinkedIn profile as three sources write it; a company page several people
    # were given is nobody's profile.
    ("id,first_name,last_name,email,linkedin,company_name\n"
     "1,Jean,Dupont,,https://www.linkedin.com/in/jean-dupont-123abc/,Acme\n"
     "2,J.,Dupont,jd@gmail.com,linkedin.com/in/jean-dupont-123abc,\n"
     "3,Jean,DUPONT,,http://fr.linkedin.com/in/jean-dupont-123abc?trk=public_profile,"
     "Acme SAS\n"
     "4,Carl,Mer,carl@mer.example,https://www.linkedin.com/company/acme/,Acme\n"
     "5,Dan,Vo,dan@vo.example,https://www.linkedin.com/company/acme,Acme\n",
     [(1, 2), (2, 3)], [(4, 5)], 0),
    # One mailbox with a tag, or at Gmail with its dots or under googlemail.com.
    ("id,first_name,last_name,email,company_name\n"
     "1,Marie,Curie,marie.curie+news@radium.example,Radium\n"
     "2,Marie,Curie,marie.curie@radium.example,Radium SA\n"
     "3,Jean,Dupont,jean.dupont+crm@gmail.com,\n"
     "4,Jean,Dupont,JeanDupont@googlemail.com,Acme\n",
     [(1, 2), (3, 4)], [(1, 3)], 0),
], ids=["titles far apart in seniority", "titles in two departments", "one linkedin profile",
        "one mailbox"])
def test_one_person_or_two(tmp_path: Path, db: Path, text: str, same: list[tuple[int, int]],
                           apart: list[tuple[int, int]], reviews: int | None):
    found, _ = _dedupe_crm(tmp_path, db, text)
    for x, y in same:
        assert found[f"crm:{x}"] is found[f"crm:{y}"]
    for x, y in apart:
        assert found[f"crm:{x}"] is not found[f"crm:{y}"]
    if reviews is not None:
        assert len(_review_pairs(db, "person")) == reviews


@pytest.mark.parametrize(("city", "title", "email", "merged"), [
    (3, 4, 0, False),  # two towns, two departments: two namesakes at one company
    (3, 3, 5, False),  # two towns, seniorities far apart
    (1, 4, 0, True),   # one town: one person's titles as two sources give them
    (3, 2, 0, True),   # two towns, titles merely different: a move
    (3, 4, 1, True),   # one address: one person, whatever the titles
])
def test_titles_far_apart_in_two_towns_at_one_company(city: int, title: int, email: int,
                                                      merged: bool):
    # Kim Schwartz, CFO in San Francisco with a Gmail address, and Kimberly Schwartz,
    # account executive in Pittsburgh with none, at McDonald Brothers: no address at the
    # company on both sides, yet the company, the towns and the titles tell them apart.
    from dedupe.stage import guard

    levels = np.zeros((1, 10), dtype=np.int8)
    levels[0, [0, 1, 2, 5, 6, 9]] = [2, 1, email, 1, city, title]
    p = guard(levels, np.array([0.99]), 0.6)
    assert bool(p[0] > 0.9) is merged


def test_one_name_behind_two_numbered_addresses_is_two_namesakes(tmp_path: Path, db: Path):
    # C. Lemaire at c.lemaire@ and c.lemaire2@ of Établissements Lemaire, both on the
    # office line: the company told two namesakes apart by a number, and the one line
    # they give is the office's, no key. Benjamin Bonnet at benjamin@ and, mistyped,
    # benjain@, on his own mobile, stays one person.
    found, _ = _dedupe_crm(tmp_path, db, "id,first_name,last_name,email,phone,company_name\n"
                           "1,C.,Lemaire,c.lemaire@lemaire.example,02 88 86 57 00,Lemaire\n"
                           "2,C,LEMAIRE,c.lemaire2@lemaire.example,02 88 86 57 00,Lemaire\n"
                           "3,Benjamin,Bonnet,benjamin@bonnet.example,07 55 73 20 31,Bonnet\n"
                           "4,ben,bonnet,benjain@bonnet.example,+33 7 55 73 20 31,Bonnet\n")
    assert found["crm:1"] is not found["crm:2"]
    assert found["crm:3"] is found["crm:4"]


def test_a_personal_address_with_a_number_tells_no_namesakes_apart(tmp_path: Path,
                                                                    db: Path):
    # Jean Dupont with a personal address first (jdupont2@gmail.com, its number his own
    # choice) and his work address second, beside Jean Dupont at jean.dupont@ on the
    # same line: the addresses at the company are compared, not the personal one.
    found, _ = _dedupe_crm(tmp_path, db,
                           "id,first_name,last_name,email,secondary_email,phone,company_name\n"
                           "1,Jean,Dupont,jdupont2@gmail.com,j.dupont@acme.example,"
                           "01 42 68 53 11,Acme\n"
                           "2,Jean,Dupont,jean.dupont@acme.example,,01 42 68 53 11,Acme\n")
    assert found["crm:1"] is found["crm:2"]


def test_a_numbered_second_address_tells_namesakes_apart(tmp_path: Path, db: Path):
    # C. Lemaire at c.lemaire@, and C LEMAIRE with a personal address first and
    # c.lemaire2@ second (a CRM's "Secondary Email"), on the office line: the addresses
    # at the company are the ones compared, and the number tells two namesakes apart.
    found, _ = _dedupe_crm(tmp_path, db,
                           "id,first_name,last_name,email,secondary_email,phone,company_name\n"
                           "1,C.,Lemaire,c.lemaire@lemaire.example,,02 88 86 57 00,Lemaire\n"
                           "2,C,LEMAIRE,clemaire@gmail.com,c.lemaire2@lemaire.example,"
                           "02 88 86 57 00,Lemaire\n")
    assert found["crm:1"] is not found["crm:2"]


def test_two_surnames_alone_on_one_number_are_two_people(tmp_path: Path, db: Path):
    # Masson and Nguyen, no given name, each an address of their own at OCT Traiteur and
    # the office line: two people, not one with the names swapped (an empty given name
    # fitted the other's surname), so the number is the office's and proves nothing.
    from dedupe.comparisons import same_person_name

    assert not same_person_name(("", "masson"), ("", "nguyen"))
    assert same_person_name(("", "dupont"), ("dupont", "jean"))  # swapped fields
    found, _ = _dedupe_crm(tmp_path, db, "id,first_name,last_name,email,phone,company_name\n"
                           "1,,Masson,emmanuelle.masson@oct.example,01 20 28 50 39,OCT\n"
                           "2,,Nguyen,fabrice.nguyen@oct.example,+33 1 20 28 50 39,OCT\n"
                           "3,Léa,Roy,lea.roy@oct.example,01 20 28 50 11,OCT\n"
                           "4,Léa,Roy,,01 20 28 50 11,OCT\n")
    assert found["crm:1"] is not found["crm:2"]
    assert found["crm:3"] is found["crm:4"]


@pytest.mark.parametrize(("email", "phone", "merged"), [
    (4, 2, False),  # another person's address at the company, the office line
    (0, 2, False),  # the office line: the street address is the office's
    (3, 0, False),  # two addresses at one company's domain: so is it
    (0, 0, True),   # nothing says work: a home, the key a registry's records have
    (0, 3, True),
])
def test_an_office_address_is_no_home(email: int, phone: int, merged: bool):
    # Caro Lévêque (caroline.leveque@) and Charlotte de Kattre (charlotte.delattre@),
    # on the switchboard of Compagnie Océane BTP at its street address, neither giving
    # the company's name: a street address, postcode and town with no company on
    # either side is a home, a key for a registry's records, but two addresses at one
    # company or the office line say it is the office's.
    from dedupe.stage import guard

    levels = np.zeros((1, 10), dtype=np.int8)
    levels[0, [0, 1, 2, 3, 6, 7, 8]] = [5, 5, email, phone, 1, 1, 1]
    p = guard(levels, np.array([0.99]), 0.6)
    assert bool(p[0] > 0.9) is merged


@pytest.mark.parametrize(("phone", "email", "merged"), [
    (3, 0, False),  # two numbers, titles far apart: two namesakes at one company
    (3, 1, True),   # one address: one person, whatever the titles and numbers
    (1, 0, True),   # one number
    (0, 0, True),   # titles alone are weak evidence
])
def test_titles_far_apart_and_two_numbers_at_one_company(phone: int, email: int,
                                                         merged: bool):
    # Damien Benoît, developer at Sequana BTP on one mobile, and Damien Benoît, its
    # président, on another: one name and one company, nothing personal in common.
    from dedupe.stage import guard

    levels = np.zeros((1, 10), dtype=np.int8)
    levels[0, [0, 1, 2, 3, 5, 9]] = [1, 1, email, phone, 1, 3]
    p = guard(levels, np.array([0.99]), 0.6)
    assert bool(p[0] > 0.9) is merged


@pytest.mark.parametrize(("phone", "email", "merged"), [
    (0, 0, False),  # one name at one company, two profiles of their own: two people
    (3, 5, False),
    (0, 1, True),  # one address: one person, whatever the profiles
    (1, 0, True),  # a number no one else carries
])
def test_two_linkedin_profiles_of_their_own_contradict(phone: int, email: int,
                                                       merged: bool):
    # Zacharie Marin at Simon Formation as in/zacharie-marin-1a33d7ff and as
    # in/zacharie-marin-203: two namesakes, however well names and company agree.
    from dedupe.stage import guard

    levels = np.zeros((1, 10), dtype=np.int8)
    levels[0, [0, 1, 2, 3, 4, 5]] = [1, 1, email, phone, 2, 1]
    p = guard(levels, np.array([0.999]), 0.6)
    assert bool(p[0] > 0.9) is merged


@pytest.mark.parametrize(("second", "merged"), [
    ("Tanguy,Leblanc,,06 97 51 44 67", False),  # two surnames of their own
    ("Tanguy,Leblanc,tanguy.lebrun@olivier-composites.fr,", True),  # one address
    ("Tanguy,Lebrnu,,06 97 51 44 67", True),  # a typo of Lebrun
])
def test_two_surnames_of_their_own_loosely_alike_contradict(tmp_path: Path, db: Path,
                                                            second: str, merged: bool):
    # Tanguy Lebrun and Tanguy Leblanc at Olivier Composites in Rennes: the surnames are
    # only loosely alike, which counts for a match as often as a typo does, but the lists
    # hold both: two people, unless an address, own number or profile says one.
    _import_crm(tmp_path, db,
                "id,first_name,last_name,email,phone,company_name,city\n"
                "1,Tanguy,Lebrun,tanguy.lebrun@olivier-composites.fr,,"
                "Olivier Composites,Rennes\n"
                f"2,{second},Olivier Composites SAS,Rennes\n")
    from dedupe.comparisons import person_levels
    from dedupe.stage import _surnames_apart, guard

    f, _ = _features_and_sources(db)
    pairs = np.array([[0, 1]])
    levels = person_levels(f, pairs)
    p = np.array([0.99])
    p = guard(levels, p, 0.6, _surnames_apart(f, pairs, levels, p, 0.6))
    assert bool(p[0] > 0.9) is merged


def test_an_address_alone_joins_the_person_whose_address_it_is(tmp_path: Path, db: Path):
    # A CRM export of 240 people, each twice (a second row's case and number written
    # otherwise), and a newsletter's list that gives only addresses: one of those
    # addresses is Camille Renard's Gmail one. That address, which no one else
    # carries, is hers;
    # the role mailbox of the list (contact@, Paul Marchand's in the CRM) is nobody's in
    # particular.
    given = ["Camille", "Louis", "Chloé", "Hugo", "Léa", "Jules", "Manon", "Arthur",
             "Inès", "Nathan", "Sarah", "Théo"]
    family = ["Renard", "Garnier", "Faure", "Rousseau", "Blanc", "Guerin", "Muller",
              "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clement",
              "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin"]
    rows = ["id,first_name,last_name,email,phone,company_name,city"]
    for k in range(240):
        first, last = given[k % 12], family[k // 12]
        domain = f"firme{k % 60}.fr"
        local = f"{first.lower().replace('é', 'e').replace('è', 'e')}.{last.lower()}"
        number = f"06 {10 + k // 100:02d} {k % 100:02d} {k % 7:02d} {k % 13:02d}"
        # Work addresses, and a personal one for every fourth person.
        email = f"{local}{k}@gmail.com" if k % 4 == 0 else f"{local}@{domain}"
        rows.append(f"a{k},{first},{last},{email},{number},Firme {k % 60},Lyon")
        rows.append(f"b{k},{first},{last.upper()},{email},"
                    f"+33{number[1:].replace(' ', '')},Firme {k % 60} SAS,LYON")
    rows.append("n1,,,camille.renard0@gmail.com,,,")
    rows.append("n2,,,contact@firme1.fr,,,")
    rows.append("c1,Paul,Marchand,contact@firme1.fr,,Firme 1,Lyon")
    found, _ = _dedupe_crm(tmp_path, db, "\n".join(rows) + "\n")
    assert found["crm:n1"]["id"] == found["crm:a0"]["id"] == found["crm:b0"]["id"]
    assert found["crm:n2"]["id"] != found["crm:c1"]["id"]


def test_records_giving_no_surname_and_nothing_new_are_covered(tmp_path: Path, db: Path):
    # A newsletter's records beside Émilie Philippe's: her address alone, with her given
    # name, or with a number of its own; a record giving a surname is no such record.
    from dedupe.stage import _covered

    _import_crm(tmp_path, db, "id,first_name,last_name,email,phone,company_name\n"
                "1,Émilie,Philippe,emilie.philippe@roux-giraud.fr,06 87 43 44 81,Roux\n"
                "2,Émilie,PHILIPPE,emiliephilippe@roux-giraud.fr,,Roux\n"
                "3,,,emilie.philippe@roux-giraud.fr,,\n"
                "4,Émilie,,emilie.philippe@roux-giraud.fr,,\n"
                "5,,,emilie.philippe@roux-giraud.fr,06 11 22 33 44,\n"
                "6,,Philippe,emilie.philippe@roux-giraud.fr,,\n")
    f, row = _features_and_rows(db)
    covered = _covered(f)
    her = [row["crm:1"], row["crm:2"]]
    assert covered([row["crm:3"]], her)
    assert covered([row["crm:4"]], her)
    assert not covered([row["crm:5"]], her)
    assert not covered([row["crm:6"]], her)
    assert not covered(her, [row["crm:3"]])


def test_one_name_at_one_personal_address_through_a_job_change(tmp_path: Path, db: Path):
    """A French CRM's two contacts of one man: his Gmail address at his old firm and at
    his new one, and all a new job changes (the company, its line, the town, the title,
    the postcode) told the model otherwise. One name, one personal address: one
    person, and the pair says why. Two names at one address (a couple's), or two
    LinkedIn profiles of their own, stay with the model."""
    found, report = _dedupe_crm(
        tmp_path, db,
        "id,first_name,last_name,email,phone,company_name,title,address,postcode,city,"
        "linkedin_url\n"
        "1,Hervé,Guillaume,herve.guillaume@gmail.com,+33 4 36 73 52 79,Revado Santé,"
        "IT Manager,126 bis allée de Rivoli,69009,Lyon,\n"
        "2,Hervé,GUILLAUME,herve.guillaume@gmail.com,09 99 28 08 55,Galova Services,"
        "Chargé de com,192 rue Pasteur,93100,Montreuil,\n"
        "3,Denis,Ménard,denis.menard@gmail.com,03 65 17 47 61,Orbix Énergie,"
        "Responsable commercial,67 rue du Commerce,59000,Lille,\n"
        "4,Claire,Ménard,denis.menard@gmail.com,04 94 94 04 79,Uniéa Industrie,"
        "Chief Financial Officer,109 rue du Commerce,06000,Nice,\n"
        "5,Paul,Martin,paul.martin@gmail.com,,Acme,CTO,,75001,Paris,"
        "https://www.linkedin.com/in/paul-martin-1a2b3c4d\n"
        "6,Paul,Martin,paul.martin@gmail.com,,Globex,Comptable,,13001,Marseille,"
        "https://www.linkedin.com/in/paul-martin-9f8e7d6c\n")
    assert found["crm:1"] is found["crm:2"]
    assert found["crm:3"] is not found["crm:4"]
    assert found["crm:5"] is not found["crm:6"]
    assert report.details["personal_address_pairs"] == 1
    reasons = json.loads(sqlite3.connect(db).execute(
        "SELECT reasons FROM clusters WHERE kind = 'person' AND golden_id = ?",
        (found["crm:1"]["id"],)).fetchone()[0])
    assert reasons[0] == "one name at one personal address"


def test_identical_records_merge_where_nothing_else_tells(tmp_path: Path, db: Path):
    """A list of addresses and nothing more, each row several times (two newsletter
    exports put together, their ids kept): every candidate pair is a duplicate, and a
    shared address reads as what any two of them share. Identical records that give an
    address or a number are one, and say so; a name alone twice is not for this rule
    (the model decides)."""
    rows = ["id,first_name,last_name,email,phone"]
    for k in range(60):
        for copy in range(3):
            rows.append(f"m{k}-{copy},,,reader{k}@gmail.com,")
    for k in range(30):
        for copy in range(2):
            rows.append(f"t{k}-{copy},,,,+33 6 12 34 {k // 10:02d} {k % 10:02d}")
    rows += ["n1,John,Smith,,", "n2,John,Smith,,"]
    people, report = _dedupe_crm(tmp_path, db, "\n".join(rows) + "\n")
    assert report.details["identical_pairs"] == 60 * 3 + 30
    for k in range(60):
        assert len({people[f"crm:m{k}-{c}"]["id"] for c in range(3)}) == 1
    for k in range(30):
        assert people[f"crm:t{k}-0"]["id"] == people[f"crm:t{k}-1"]["id"]
    assert len({p["id"] for sid, p in people.items() if sid[4] in "mt"}) == 90
    conn = sqlite3.connect(db)
    reasons = [json.loads(r) for (r,) in conn.execute(
        "SELECT reasons FROM clusters WHERE kind = 'person'"
        " AND golden_id IN (SELECT id FROM people WHERE last_name IS NULL)")]
    assert len(reasons) == 90
    assert all(r[0] == "identical records: every compared field the same" for r in reasons)
    assert conn.execute("SELECT count(*) FROM pairs WHERE kind = 'person'"
                        " AND reasons LIKE '[\"identical records%'").fetchone() == (210,)
