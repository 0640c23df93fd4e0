"""Person names: the N-items of the bad-input catalogue, casing rules, word order."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enrichers.names import NameParts, ordered_by_address, recase_name, recase_place, split_name


def parts(text: str) -> tuple[str | None, str | None, str | None]:
    found = split_name(text)
    return found.first_name, found.middle, found.last_name


# --- casing (DD-5) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # N-1: particles, never naive .title()
        ("DE LA FONTAINE", "de La Fontaine"),
        ("de la fontaine", "de La Fontaine"),
        ("de la Fontaine", "de la Fontaine"),  # mixed case: as the person wrote it
        ("JEAN-PIERRE DE LA FONTAINE", "Jean-Pierre de La Fontaine"),
        # N-2: hyphens
        ("JEAN-PIERRE", "Jean-Pierre"),
        ("MARIE-ÈVE", "Marie-Ève"),
        ("marie-ève", "Marie-Ève"),
        # N-3: apostrophes and Mc/Mac
        ("O'NEIL", "O'Neil"),
        ("O’Neil", "O'Neil"),
        ("o'neil", "O'Neil"),
        ("D'ARTAGNAN", "d'Artagnan"),
        ("MCDONALD", "McDonald"),
        ("McDONALD", "McDonald"),
        ("mcdonald", "McDonald"),
        ("MACLEOD", "MacLeod"),
        ("MACRON", "Macron"),
        ("MACHADO", "Machado"),
        ("N'DIAYE", "N'Diaye"),
        # N-4: particles preserved
        ("van der Berg", "van der Berg"),
        ("VAN DER BERG", "van der Berg"),
        ("von Trapp", "von Trapp"),
        ("VON TRAPP", "von Trapp"),
        ("Le Pen", "Le Pen"),
        ("LE PEN", "Le Pen"),
        ("Ben Ali", "Ben Ali"),
        ("BEN ALI", "Ben Ali"),
        ("DU BELLAY", "du Bellay"),
        # a particle that ends the text is a name
        ("LE", "Le"),
        ("DE", "De"),
        # N-7: letters whose case mapping changes length
        ("LŒUVRE", "Lœuvre"),
        ("STRAUSS", "Strauss"),
        ("GROß", "Groß"),
        ("İSTANBUL", "İstanbul"),
        # shouting words inside mixed text
        ("Jean DUPONT", "Jean Dupont"),
        ("jean dupont", "Jean Dupont"),
        ("JP Morgan", "JP Morgan"),
        ("j.-p.", "J.-P."),
        ("  jean   dupont ", "Jean Dupont"),
        ("", ""),
        ("123", "123"),
    ],
)
def test_recase(text, expected):
    assert recase_name(text) == expected


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.one_of(
        st.text(),
        st.lists(
            st.sampled_from(
                [
                    "DE",
                    "de",
                    "LA",
                    "la",
                    "O'",
                    "D'",
                    "Mc",
                    "MC",
                    "van",
                    "-",
                    " ",
                    "'",
                    ".",
                    "JEAN",
                    "jean",
                    "Ève",
                    "ß",
                    "İ",
                    "ǅ",
                    "ŉ",
                    "ﬁ",
                    "Œ",
                    "JP",
                ]
            ),
            max_size=10,
        ).map("".join),
    )
)
def test_recase_is_idempotent_and_never_raises(text):
    once = recase_name(text)
    assert recase_name(once) == once
    place = recase_place(text)
    assert recase_place(place) == place


@pytest.mark.parametrize(("text", "expected"), [
    ("PARIS", "Paris"), ("LE HAVRE", "Le Havre"), ("AIX-EN-PROVENCE", "Aix-en-Provence"),
    ("CHALON-SUR-SAÔNE", "Chalon-sur-Saône"), ("L'ISLE-ADAM", "L'Isle-Adam"),
    ("VILLENEUVE-D'ASCQ", "Villeneuve-d'Ascq"), ("PONT-À-MOUSSON", "Pont-à-Mousson"),
    ("PARIS CEDEX 08", "Paris Cedex 08"), ("lyon 2e", "Lyon 2e"), ("PARIS 11E", "Paris 11e"),
    ("FRANKFURT AM MAIN", "Frankfurt am Main"), ("MÜNCHEN", "München"),
    ("NEWCASTLE UPON TYNE", "Newcastle upon Tyne"), ("DES MOINES", "Des Moines"),
    ("Saint-étienne", "Saint-étienne"),  # mixed case: as written
])
def test_recase_place(text, expected):
    assert recase_place(text) == expected


# --- splitting -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "middle", "last"),
    [
        ("JEAN-PIERRE DE LA FONTAINE", "Jean-Pierre", None, "de La Fontaine"),
        ("Jean-Pierre de la Fontaine", "Jean-Pierre", None, "de la Fontaine"),
        ("Anne van der Berg", "Anne", None, "van der Berg"),
        ("Maria von Trapp", "Maria", None, "von Trapp"),
        ("Marine Le Pen", "Marine", None, "Le Pen"),
        ("Zine Ben Ali", "Zine", None, "Ben Ali"),
        # A compound given name written without its hyphen is the given name; another
        # second given name is a middle one.
        ("Marie Claire Dupont", "Marie Claire", None, "Dupont"),
        ("Jean Pierre Vasseur", "Jean Pierre", None, "Vasseur"),
        ("MOREL Jean Marc Louis", "Jean Marc", "Louis", "Morel"),
        ("Pierre Paul Martin", "Pierre", "Paul", "Martin"),
        ("John Michael Smith", "John", "Michael", "Smith"),
        ("Ronald McDONALD", "Ronald", None, "McDonald"),
        ("CHARLES D'ARTAGNAN", "Charles", None, "d'Artagnan"),
        # LAST, First and the French order
        ("Dupont, Jean", "Jean", None, "Dupont"),
        ("DE LA FONTAINE, Jean", "Jean", None, "de La Fontaine"),
        ("DUPONT Jean", "Jean", None, "Dupont"),
        ("Jean DUPONT", "Jean", None, "Dupont"),
        ("DE LA FONTAINE Jean", "Jean", None, "de La Fontaine"),
        ("DUPONT Marie Claire", "Marie Claire", None, "Dupont"),
        ("LI Wei", "Wei", None, "Li"),
        # A Vietnamese name: the middle name Thi or Van before the given name it goes by,
        # the family name first or last (not the particle "van").
        ("NGUYEN Thi Lan", "Lan", "Thi", "Nguyen"),
        ("Nguyen Van Anh", "Anh", "Van", "Nguyen"),
        ("Thi Lan Nguyen", "Lan", "Thi", "Nguyen"),
        ("TRAN Thi Ngoc Anh", "Anh", "Thi Ngoc", "Tran"),
        ("Van Nguyen", "Van", None, "Nguyen"),
        ("de la Fontaine Jean", "Jean", None, "de la Fontaine"),
        # Surname first behind a capitalised particle no given name is, then a given name.
        ("Le Bris Alexandre", "Alexandre", None, "Le Bris"),
        ("Le Gall Valérie", "Valérie", None, "Le Gall"),
        ("Da Silva Maria", "Maria", None, "Da Silva"),
        ("Van Der Berg Anne", "Anne", None, "Van Der Berg"),
        ("Ben Carter Smith", "Ben", "Carter", "Smith"),
        # Surname first, the given name as initials after it (a list sorted by surname);
        # not after a given name, whose surname an initial then stands for.
        ("Dos Santos J-C", "J-C", None, "Dos Santos"),
        ("DUPONT J.-P.", "J.-P.", None, "Dupont"),
        ("Le Gall A.", "A.", None, "Le Gall"),
        ("Sarah K.", "Sarah", None, "K."),
        ("Jean-Pierre M.", "Jean-Pierre", None, "M."),
        # given names are never particle-cased
        ("VAN MORRISON", "Van", None, "Morrison"),
        ("AL PACINO", "Al", None, "Pacino"),
        ("Jean Le", "Jean", None, "Le"),
        # N-5: decoration stripped
        ("Julie 🚀 Martin", "Julie", None, "Martin"),
        ("✨Marie✨ Dupont", "Marie", None, "Dupont"),
        ("Robert (Bob) Smith", "Robert", None, "Smith"),
        ("Jean Dupont, CEO", "Jean", None, "Dupont"),
        ("Julie Martin | Head of Sales", "Julie", None, "Martin"),
        ("Julie Martin - Directrice commerciale", "Julie", None, "Martin"),
        # Written as an address's local part (a CRM filled from the email)
        ("jean.petit", "Jean", None, "Petit"),
        ("marie_curie", "Marie", None, "Curie"),
        ("jean-pierre.dupont", "Jean-Pierre", None, "Dupont"),
    ],
)
def test_split(text, first, middle, last):
    assert parts(text) == (first, middle, last)


@pytest.mark.parametrize(("text", "aside"), [
    ("Luc Bernard - CEO", "CEO"),
    ("Julie Martin | Head of Sales", "Head of Sales"),
    ("Service client - Jean Dupont", "Service client"),
    ("Jean Dupont", None),
    ("Direction commerciale", None),  # no name: nothing beside it
    # A headline's "Title @ Company": the name, and the title without the company.
    ("Thomas Leroy – CEO @ Acme", "CEO"),
    ("Thomas Leroy - Head of Sales @Acme", "Head of Sales"),
])
def test_what_a_full_name_holds_beside_the_name(text, aside):
    assert split_name(text).aside == aside
    assert split_name(first="Luc", last="Bernard - CEO").aside is None  # own fields


def test_split_result_fields():
    assert split_name("JEAN-PIERRE DE LA FONTAINE") == NameParts(
        civility=None,
        first_name="Jean-Pierre",
        middle=None,
        last_name="de La Fontaine",
        suffix=None,
        full_name="Jean-Pierre de La Fontaine",
        initials=False,
        reason="ok",
    )


@pytest.mark.parametrize(
    ("text", "civility", "first", "last"),
    [
        ("M. Jean Dupont", "M.", "Jean", "Dupont"),
        ("Monsieur Jean Dupont", "M.", "Jean", "Dupont"),
        ("Mme Marie Dupont", "Mme", "Marie", "Dupont"),
        ("Madame DUPONT Marie", "Mme", "Marie", "Dupont"),
        ("Mlle Julie Martin", "Mlle", "Julie", "Martin"),
        ("Dr Martin", "Dr", None, "Martin"),  # N-6
        ("M. Dupont", "M.", None, "Dupont"),  # N-6
        ("Pr Anne Durand", "Pr", "Anne", "Durand"),
        ("Me Paul Bernard", "Me", "Paul", "Bernard"),
        ("Maître Paul Bernard", "Me", "Paul", "Bernard"),
        ("Mr John Smith", "Mr", "John", "Smith"),
        ("Mrs Jane Smith", "Mrs", "Jane", "Smith"),
        ("Ms Jane Smith", "Ms", "Jane", "Smith"),
        ("Miss Jane Smith", "Miss", "Jane", "Smith"),
        ("Herr Hans Müller", "Herr", "Hans", "Müller"),
        ("Frau Anna Schmidt", "Frau", "Anna", "Schmidt"),
        # A doctor's field after the title is part of it, not a given name (DACH).
        ("Dr. med. Klaus Weber", "Dr", "Klaus", "Weber"),
        ("Prof. Dr. med. Klaus von Trapp", "Pr", "Klaus", "von Trapp"),
        ("Frau Dr. rer. nat. Anna Schmidt", "Frau", "Anna", "Schmidt"),
        ("Dr. med. dent. Jörg Fischer", "Dr", "Jörg", "Fischer"),
        # A couple: both civilities, no given name.
        ("M. et Mme Dupont", "M. et Mme", None, "Dupont"),
        ("Monsieur et Madame Jean Dupont", "M. et Mme", "Jean", "Dupont"),
        ("Mr and Mrs Smith", "Mr and Mrs", None, "Smith"),
        ("Mr & Mrs John Smith", "Mr and Mrs", "John", "Smith"),
        ("Mme et M. Dupont", "Mme et M.", None, "Dupont"),
        # Degrees written before the name are no given name; a particle stays.
        ("Dipl.-Ing. Hans Müller", None, "Hans", "Müller"),
        ("Prof. Dr.-Ing. Hans Meier", "Pr", "Hans", "Meier"),
        ("Mag. Anna Huber", None, "Anna", "Huber"),
        ("Dr. Nat King", "Dr", "Nat", "King"),
        # Spanish and Italian civilities, as a team page writes them.
        ("Dra. Silvia Sierra", "Dra.", "Silvia", "Sierra"),
        ("Sr. Francisco Javier Sanz", "Sr.", "Francisco", "Sanz"),
        ("Sra. Inmaculada Díez", "Sra.", "Inmaculada", "Díez"),
        ("Dott.ssa Anna Neri", "Dott.ssa", "Anna", "Neri"),
        ("Sig. Marco Rossi", "Sig.", "Marco", "Rossi"),
    ],
)
def test_civility(text, civility, first, last):
    found = split_name(text)
    assert (found.civility, found.first_name, found.last_name) == (civility, first, last)


def test_suffix():
    found = split_name("John Smith Jr.")
    assert (found.first_name, found.last_name, found.suffix) == ("John", "Smith", "Jr.")
    assert split_name("Smith, John, PhD").suffix == "PhD"
    # Letters after a name, in capitals: no surname, nor a given name before a comma.
    found = split_name("Susan Fletcher FCA")
    assert (found.first_name, found.last_name, found.suffix) == ("Susan", "Fletcher", "FCA")
    found = split_name("Jane Doe, CPA")
    assert (found.first_name, found.last_name, found.suffix) == ("Jane", "Doe", "CPA")
    assert split_name("David King MRICS").last_name == "King"
    # Written as a name, they are one: Obe is a surname too.
    assert split_name("Mary Jane Obe").last_name == "Obe"


@pytest.mark.parametrize(
    ("text", "first", "initials"),
    [
        ("J.-P. Sartre", "J.-P.", True),
        ("J. Dupont", "J.", True),
        ("JP Dupont", "JP", True),
        ("j.-p. sartre", "J.-P.", True),
        ("Jean-Paul Sartre", "Jean-Paul", False),
        ("Li Wei", "Li", False),
    ],
)
def test_initials(text, first, initials):
    found = split_name(text)
    assert (found.first_name, found.initials) == (first, initials)


@pytest.mark.parametrize(
    "text",
    [
        "Direction Commerciale",
        "Service client",
        "Contact",
        "Service des ventes",
        "Ressources Humaines",
        "Monsieur le Directeur",
        "Accueil",
        "jean.dupont@exemple.fr",
        "https://www.exemple.fr",
    ],
)
def test_n06_role_only_name_is_not_a_person(text):
    found = split_name(text)
    assert found.reason == "not a person"
    assert (found.first_name, found.middle, found.last_name, found.full_name) == (None,) * 4


@pytest.mark.parametrize("text", ["", "   ", "N/A", "-", "?", "nc", "🚀✨"])
def test_empty_or_placeholder(text):
    assert split_name(text).reason == "empty"
    assert split_name(text).full_name is None


def test_single_words():
    assert (split_name("Julie").first_name, split_name("Julie").reason) == (
        "Julie",
        "first_name_only",
    )
    assert (split_name("DUPONT").last_name, split_name("DUPONT").reason) == (
        "Dupont",
        "last_name_only",
    )


def test_separate_fields():
    found = split_name(first="JEAN-PIERRE", last="DE LA FONTAINE")
    assert (found.first_name, found.last_name, found.full_name) == (
        "Jean-Pierre",
        "de La Fontaine",
        "Jean-Pierre de La Fontaine",
    )
    # the fields win over a full name given beside them
    assert split_name("Paul Martin", first="Jean", last="Dupont").full_name == "Jean Dupont"
    assert split_name(first="M. Jean", last="dupont").civility == "M."
    # A Vietnamese given-name field with its middle name: greeted by the given name.
    found = split_name(first="Thi Lan", last="NGUYEN")
    assert (found.first_name, found.middle, found.last_name) == ("Lan", "Thi", "Nguyen")
    # The whole name in the surname field, surname in capitals (French CRMs).
    for last in ("MARTIN Sophie", "Sophie MARTIN"):
        found = split_name(first="", last=last)
        assert (found.first_name, found.last_name) == ("Sophie", "Martin")
    assert split_name(first="", last="DE LA FONTAINE Jean-Pierre").last_name == (
        "de La Fontaine")
    assert split_name(first=None, last="LE PEN").last_name == "Le Pen"
    assert split_name(first="", last="de La Fontaine").last_name == "de La Fontaine"
    found = split_name(first="Dr. med. Klaus", last="Weber")
    assert (found.civility, found.first_name) == ("Dr", "Klaus")
    assert split_name(first="Jean-Pierre", last="de la Fontaine").last_name == "de la Fontaine"
    assert split_name(first="", last="Direction commerciale").reason == "not a person"
    # The two fields filled the other way round, as a particle shows: "Le Gall" in the
    # given-name field, "Jean-Marc" in the surname's (dedupe reads them swapped; the
    # fields stay as written). "Ben Ali" / "Zine" is no such case (Ben is a given name
    # too), nor "De Jean" / "Marc" (a given name after the particle), nor a surname
    # field that holds no given name.
    from enrichers.names import swapped_fields

    assert swapped_fields("Le Gall", "Jean-Marc")
    assert swapped_fields("du Moulin", "Anne")
    assert not any(swapped_fields(f, g) for f, g in (
        ("Ben Ali", "Zine"), ("De Jean", "Marc"), ("Le Gall", "Conseil"),
        ("Jean-Marc", "Le Gall"), ("Le Gall", "van Jean")))
    assert split_name(first="Le Gall", last="Jean-Marc").first_name == "Le Gall"
    assert split_name(first="Julie").reason == "first_name_only"
    assert split_name(first="  ", last=None).reason == "empty"
    assert split_name().reason == "empty"


def test_n07_comparison_survives_length_changing_case():
    # Slicing and casefolding never break on letters whose case changes their length.
    assert split_name("İBRAHİM YILMAZ").last_name is not None
    assert split_name("Lœuvre, Anne").last_name == "Lœuvre"
    assert split_name("STRAUß Johann").last_name == "Strauß"


name_words = st.lists(
    st.sampled_from(
        [
            "Jean",
            "JEAN",
            "marie",
            "de",
            "DE",
            "la",
            "LA",
            "van",
            "O'NEIL",
            "d'Arcy",
            "M.",
            "Dr",
            "Mme",
            ",",
            "-",
            "Dupont",
            "DUPONT",
            "McDONALD",
            "🚀",
            "J.",
            "J.-P.",
            "(Bob)",
            "Ève",
            "ß",
            "Strauß",
            "Le",
            "Ben",
        ]
    ),
    max_size=7,
).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(), st.one_of(st.none(), st.text()), st.one_of(st.none(), st.text()))
def test_split_never_raises(full, first, last):
    found = split_name(full, first=first, last=last)
    assert isinstance(found, NameParts)
    if found.reason == "not a person":
        assert found.full_name is None
    for part in (found.first_name, found.middle, found.last_name):
        if part:
            assert part == part.strip()
            assert "  " not in part


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(name_words)
def test_split_parts_are_stable(full):
    found = split_name(full)
    if found.first_name and found.last_name:
        given = " ".join(p for p in (found.first_name, found.middle) if p)
        again = split_name(first=given, last=found.last_name)
        assert (again.first_name, again.last_name) == (given, found.last_name)


def test_non_strings_do_not_raise():
    assert split_name(42).reason == "empty"  # type: ignore[arg-type]
    assert recase_name(None) == ""  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("last", "surname", "suffix"),
    [("Dupont, PhD", "Dupont", "PhD"), ("Smith Jr.", "Smith", "Jr."),
     ("Smith, Jr.", "Smith", "Jr."), ("Dupont", "Dupont", None)],
)
def test_a_suffix_in_the_last_name_field(last, surname, suffix):
    parts = split_name(first="Jean", last=last)
    assert (parts.last_name, parts.suffix) == (surname, suffix)


@pytest.mark.parametrize("text", ["jean@acme.example", "Jean Dupont <jean@acme.example>",
                                  "https://www.linkedin.com/in/jdupont"])
def test_an_address_or_a_link_is_no_name(text):
    assert split_name(text).reason == "not a person"


@pytest.mark.parametrize(("text", "email", "first", "last"), [
    # A full name written surname first ("Nom Prénom" in one column): the person's own
    # address tells the order, whichever way the address writes the given name.
    ("Martin Sophie", "sophie.martin@beta.example", "Sophie", "Martin"),
    ("Martin Sophie", "smartin@beta.example", "Sophie", "Martin"),
    ("Martin Sophie", "Sophie-Martin@beta.example", "Sophie", "Martin"),
    ("Dupont Marie", "marie.dupont+crm@acme.example", "Marie", "Dupont"),
    ("Garcia José", "jose.garcia77@gmail.com", "José", "Garcia"),
    ("Lefebvre Jean-Pierre", "jean-pierre.lefebvre@acme.example", "Jean-Pierre", "Lefebvre"),
    # The address in the name's order, an address that spells no name, a surname no
    # list holds as a given name (a company writing the surname first): as split.
    ("Sophie Martin", "sophie.martin@beta.example", "Sophie", "Martin"),
    ("Martin Sophie", "contact@beta.example", "Martin", "Sophie"),
    ("Marie Dupont", "dupont.marie@acme.example", "Marie", "Dupont"),
])
def test_a_full_name_in_the_order_its_address_writes(text, email, first, last):
    parts = ordered_by_address(split_name(text), [email])
    assert (parts.first_name, parts.last_name) == (first, last)
    assert parts.full_name == f"{first} {last}"
