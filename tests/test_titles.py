"""Job titles: English, French and German titles mapped to the ICP's seniorities and departments."""

from __future__ import annotations

import textwrap
import tomllib
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enrichers.titles import TitleClass, classify_title, load_title_rules
from prospecting.errors import ConfigError
from prospecting.icp import DEPARTMENTS, SENIORITIES


def label(title: str, rules=None) -> tuple[str | None, str | None]:
    found = classify_title(title, rules)
    return found.seniority, found.department


@pytest.mark.parametrize(
    ("title", "seniority", "department"),
    [
        ("Geschäftsführer", "c_suite", "executive"),
        ("Geschäftsführerin", "c_suite", "executive"),
        ("Geschäftsführender Gesellschafter", "owner", "executive"),
        ("Inhaberin", "owner", "executive"),
        ("Gründerin & CEO", "founder", "executive"),
        ("Mitglied des Vorstands", "c_suite", "executive"),
        ("Leiter Vertrieb", "head", "sales"),
        ("Vertriebsleiterin DACH", "head", "sales"),
        ("Personalleiterin", "head", "hr"),
        ("Kaufmännischer Leiter", "head", "finance"),
        ("IT-Leiter", "head", "it"),
        ("Teamleiterin Kundenservice", "manager", "customer_success"),
        ("Prokurist", "director", None),
        ("Assistenz der Geschäftsführung", "entry", "executive"),
        ("Vertriebsmitarbeiter im Außendienst", "entry", "sales"),
        ("Softwareentwicklerin", "entry", "engineering"),
        ("Werkstudentin Marketing", "intern", "marketing"),
        ("Sachbearbeiterin Einkauf", "entry", "procurement"),
        ("Qualitätsmanagerin", "manager", "operations"),
        ("Leiterin Qualitätssicherung", "head", "operations"),
        ("Personal Trainer", None, None),  # "Personal" is not the German HR department
    ],
)
def test_german_titles(title, seniority, department):
    assert label(title) == (seniority, department)


@pytest.mark.parametrize(
    ("title", "seniority", "department"),
    [
        ("PDG", "c_suite", "executive"),
        ("P.D.G.", "c_suite", "executive"),
        ("DG", "c_suite", "executive"),
        ("Directeur Général", "c_suite", "executive"),
        ("Président", "c_suite", "executive"),
        ("Présidente", "c_suite", "executive"),
        ("Gérant", "owner", "executive"),
        ("Gérante", "owner", "executive"),
        ("Gérant(e)", "owner", "executive"),
        ("Fondateur", "founder", "executive"),
        ("Co-fondatrice", "founder", "executive"),
        ("Co-founder & CEO", "founder", "executive"),
        ("CEO", "c_suite", "executive"),
        ("CTO", "c_suite", "engineering"),
        ("CFO", "c_suite", "finance"),
        ("COO", "c_suite", "operations"),
        ("CMO", "c_suite", "marketing"),
        ("CRO", "c_suite", "sales"),
        ("CIO", "c_suite", "it"),
        ("CISO", "c_suite", "it"),
        ("Chief Executive Officer", "c_suite", "executive"),
        ("Managing Director", "c_suite", "executive"),
        ("DAF", "director", "finance"),
        ("DRH", "director", "hr"),
        ("DSI", "director", "it"),
        ("Directeur commercial", "director", "sales"),
        ("Directrice commerciale", "director", "sales"),
        ("Directeur·rice commercial·e", "director", "sales"),
        ("Dir. Commercial", "director", "sales"),
        ("Directeur marketing", "director", "marketing"),
        ("Directeur technique", "director", "engineering"),
        ("Directeur administratif et financier", "director", "finance"),
        ("Directeur des systèmes d'information", "director", "it"),
        ("Directeur des ressources humaines", "director", "hr"),
        ("Directeur juridique", "director", "legal"),
        ("Responsable marketing", "manager", "marketing"),
        ("Resp. Marketing", "manager", "marketing"),
        ("Responsable RH", "manager", "hr"),
        ("Responsable des achats", "manager", "procurement"),
        ("Responsable ADV", "manager", "sales"),
        ("Chef de projet digital", "manager", "marketing"),
        ("Responsable transformation digitale", "manager", "it"),
        ("Head of Sales", "head", "sales"),
        ("Comms Officer", "entry", "marketing"),
        ("Head of Customer Success", "head", "customer_success"),
        ("VP Sales", "vp", "sales"),
        ("Vice-Président Ventes", "vp", "sales"),
        ("SVP Engineering", "vp", "engineering"),
        ("Chargé d'affaires", "entry", "sales"),
        ("Chargée d'affaires", "entry", "sales"),
        ("Chargé(e) d'affaires", "entry", "sales"),
        ("Chargée de communication", "entry", "marketing"),
        ("Ingénieur commercial", "entry", "sales"),
        ("Ingénieure d'affaires", "entry", "sales"),
        ("Business Developer", "entry", "sales"),
        ("SDR", "entry", "sales"),
        ("BDR", "entry", "sales"),
        ("Account Executive", "entry", "sales"),
        ("Senior Account Executive", "senior", "sales"),
        ("Key Account Manager", "manager", "sales"),
        ("Office manager", "manager", "operations"),
        ("Stagiaire", "intern", None),
        ("Intern", "intern", None),
        ("Stagiaire Business Developer", "intern", "sales"),
        ("Alternant", "intern", None),
        ("Alternante chargée de recrutement", "intern", "hr"),
        ("Consultant", "entry", None),
        ("Consultante SAP", "entry", "it"),
        ("Senior Consultant", "senior", None),
        ("Développeur", "entry", "engineering"),
        ("Développeuse full stack", "entry", "engineering"),
        ("Senior Software Engineer", "senior", "engineering"),
        ("Comptable", "entry", "finance"),
        ("Juriste", "entry", "legal"),
        ("Acheteur", "entry", "procurement"),
        ("Acheteuse", "entry", "procurement"),
        ("Customer Success Manager", "manager", "customer_success"),
        ("Product Owner", "manager", "product"),
        ("Data Scientist", "entry", "data"),
        ("UX Designer", "entry", "design"),
        ("Assistante de direction", "entry", "executive"),
        ("Assistant to the CEO", "entry", "executive"),
        # Whom a title serves gives no seniority: an EA or a PA is no chief executive.
        ("EA to the CEO", "entry", "executive"),
        ("PA to the Managing Director", "entry", "executive"),
        ("Advisor to the CEO", None, "executive"),
        ("Chargée de mission auprès du DG", "entry", "executive"),
        ("Go-to-Market Director", "director", None),
        ("Go to Market Director", "director", None),
        ("Directeur général adjoint", "vp", "executive"),
        ("Chief of Staff", "manager", "executive"),
        # The employer named after the title says nothing of the role: "& Partner" is
        # no partner, "Partners" no owner.
        ("Sales Manager chez Finogo & Partner", "manager", "sales"),
        ("Sales Manager at Finogo Partners", "manager", "sales"),
        ("Einkäufer bei Müller Partner GmbH", "entry", "procurement"),
        ("Responsable marketing digital @ Xennexa Partners", "manager", "marketing"),
        ("Partner at McKinsey", "owner", "executive"),
        ("Attorney at Law", "entry", "legal"),
    ],
)
def test_titles(title, seniority, department):
    assert label(title) == (seniority, department)


@pytest.mark.parametrize(
    "title",
    [
        "DIRECTEUR COMMERCIAL",
        "directeur commercial",
        "Directeur Commercial",
        "DIRECTRICE COMMERCIALE",
    ],
)
def test_case_and_accent_insensitive(title):
    assert label(title) == ("director", "sales")
    assert label("President") == label("Président") == label("PRÉSIDENT")


@pytest.mark.parametrize(
    "title",
    ["Director", "Doctor", "Sector Manager", "Directeur de secteur", "Factory Manager", "Actor"],
)
def test_words_match_whole(title):
    # "cto" is inside these words; it must never make them C-level.
    assert classify_title(title).seniority != "c_suite"


def test_longer_pattern_hides_shorter_ones():
    assert label("Vice President") == ("vp", None)  # not "president"
    assert label("Assistant de direction")[0] == "entry"  # not "direction"
    assert label("Chief of Staff")[0] == "manager"  # not "chief"
    assert label("Ingénieur marketing") == (None, "marketing")  # a vague word yields


def test_result_fields():
    assert classify_title("Directrice commerciale") == TitleClass(
        seniority="director", department="sales", confidence=0.9, matched="directeur + commercial"
    )
    assert classify_title("Growth Ninja").confidence == 0.6
    assert classify_title("Consultant").confidence == 0.5  # a plain role says little
    assert classify_title("") == TitleClass(None, None, 0.0, None)
    assert classify_title("Bonjour") == TitleClass(None, None, 0.0, None)


def test_builtin_rules_use_the_icp_vocabularies():
    text = resources.files("prospecting.data").joinpath("titles.toml").read_text("utf-8")
    rules = tomllib.loads(text)["rule"]
    assert {r["seniority"] for r in rules if "seniority" in r} <= set(SENIORITIES)
    assert {r["department"] for r in rules if "department" in r} <= set(DEPARTMENTS)
    assert len(load_title_rules()) > 300


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def test_user_rules_extend_and_override(tmp_path):
    rules = load_title_rules(
        write(
            tmp_path / "titles.toml",
            """
            [aliases]
            ninja = "hacker"

            [[rule]]
            patterns = ["growth hacker"]
            seniority = "senior"
            department = "marketing"

            [[rule]]
            patterns = ["consultant"]
            seniority = "senior"
            department = "sales"
            priority = 45

            [[rule]]
            patterns = ["chasseur de têtes"]
            seniority = "entry"
            department = "hr"
            """,
        )
    )
    assert label("Growth Ninja", rules) == ("senior", "marketing")
    assert label("Consultante", rules) == ("senior", "sales")
    assert label("Chasseuse de têtes", rules) == (None, None)  # no alias for the feminine
    assert label("Chasseur de Têtes", rules) == ("entry", "hr")
    assert label("Directeur commercial", rules) == ("director", "sales")  # built-ins kept
    assert label("Consultant") == ("entry", None)  # the default rules are untouched


def test_bad_user_file_reports_every_problem(tmp_path):
    path = write(
        tmp_path / "bad.toml",
        """
        colour = "blue"

        [[rule]]
        patterns = []
        seniority = "boss"

        [[rule]]
        patterns = ["growth"]
        department = "growth"
        priority = "high"

        [[rule]]
        patterns = ["x"]
        """,
    )
    with pytest.raises(ConfigError) as excinfo:
        load_title_rules(path)
    problems = "\n".join(excinfo.value.problems)
    assert "unknown key 'colour'" in problems
    assert "'patterns' must be a non-empty list" in problems
    assert "seniority 'boss'" in problems
    assert "department 'growth'" in problems
    assert "'priority' must be an integer" in problems
    assert "give a 'seniority', a 'department' or both" in problems
    assert len(excinfo.value.problems) == 6


def test_missing_or_broken_user_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_title_rules(tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_title_rules(write(tmp_path / "broken.toml", "[[rule]\n"))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_and_stays_in_the_vocabularies(title):
    found = classify_title(title)
    assert found.seniority is None or found.seniority in SENIORITIES
    assert found.department is None or found.department in DEPARTMENTS
    assert 0.0 <= found.confidence <= 1.0
    assert (found.matched is None) == (found.seniority is None and found.department is None)


def test_non_strings_do_not_raise():
    assert classify_title(None) == TitleClass(None, None, 0.0, None)  # type: ignore[arg-type]
