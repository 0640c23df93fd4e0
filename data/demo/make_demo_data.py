"""Write the two demo input files: a CRM export and a trade-show badge scan.

Everything in them is made up. Domains end in ``.example`` or ``.test`` (reserved by
RFC 2606 and RFC 6761), phone numbers come from the ranges regulators keep for fiction
(ARCEP 01 99 00 xx xx and 06 39 98 xx xx, Ofcom's drama numbers, the US 555-0100 to
555-0199 block) and SIRENs are random numbers that pass the Luhn check. The seed is
fixed, so running the script again rewrites both files byte for byte::

    python data/demo/make_demo_data.py            # rewrite crm_export.csv and salon_contacts.csv
    python data/demo/make_demo_data.py --check    # exit 1 if the files on disk differ
    python data/demo/make_demo_data.py --summary  # counts and duplicate clusters, for the README

The files are hand-shaped rather than random noise: the README lists every duplicate
cluster and every row an import must quarantine, so tests can assert exact counts.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

SEED = 20250611
HERE = Path(__file__).resolve().parent
CRM_FILE = "crm_export.csv"
SALON_FILE = "salon_contacts.csv"

CRM_HEADERS = [
    "Record ID",
    "First Name",
    "Last Name",
    "Email",
    "Phone Number",
    "Job Title",
    "Company Name",
    "Website URL",
    "City",
    "Country/Region",
    "Lifecycle Stage",
    "Lead Source",
    "Notes",
]
SALON_HEADERS = [
    "Civilité",
    "Prénom",
    "Nom",
    "Société",
    "Fonction",
    "E-mail",
    "Téléphone",
    "Code postal",
    "Ville",
    "Pays",
    "SIREN",
    "Commentaire",
]


@dataclass(frozen=True)
class Company:
    name: str  # the name as the CRM usually spells it, legal form included
    domain: str
    city: str
    country: str  # ISO 3166 alpha-2
    pattern: str  # how the company builds addresses: first.last, f.last, flast, first
    postcode: str = ""
    website: str = ""
    siren: str = ""


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    female: bool
    company: Company
    title: str
    email: str = ""
    phone: str = ""
    stage: str = "Lead"
    lead_source: str = "Website"
    notes: str = ""
    website: str = ""
    country_label: str = ""


# --- companies -------------------------------------------------------------------------

# fmt: off
FR_COMPANIES = [
    Company("Lumenia SAS", "lumenia.example", "Paris", "FR", "first.last", "75011"),
    Company("Brasserie des Halles SARL", "brasserie-des-halles.test", "Lyon", "FR", "first",
            "69002"),
    Company("Atelier Clément & Fils SARL", "atelier-clement.test", "Nantes", "FR", "f.last",
            "44000"),
    Company("Groupe Vauban Conseil SAS", "vauban-conseil.example", "Lille", "FR", "first.last",
            "59000"),
    Company("Océane Logistique SAS", "oceane-logistique.example", "Bordeaux", "FR", "flast",
            "33300"),
    Company("Les Jardins de Mathilde SARL", "jardins-de-mathilde.test", "Rennes", "FR", "first",
            "35000"),
    Company("Kerlann Numérique SAS", "kerlann.example", "Rennes", "FR", "first.last", "35700"),
    Company("Maison Bréhat SAS", "maison-brehat.test", "Paris", "FR", "first.last", "75008"),
    Company("Orbital Conseil SARL", "orbital-conseil.test", "Paris", "FR", "f.last", "75002"),
    Company("Sologne Bois & Énergie SAS", "sologne-bois-energie.example", "Nantes", "FR",
            "first.last", "44200"),
    Company("Cabinet Lemaire-Aubry SARL", "lemaire-aubry.test", "Bordeaux", "FR", "flast",
            "33000"),
    Company("Hexagone Data SAS", "hexagone-data.example", "Lyon", "FR", "first.last", "69003"),
    Company("Pâtisserie Roussel SARL", "patisserie-roussel.test", "Lille", "FR", "first",
            "59800"),
    Company("Trans-Alpes Fret SAS", "trans-alpes-fret.example", "Lyon", "FR", "f.last", "69007"),
    Company("Studio Mirabelle SAS", "studio-mirabelle.test", "Paris", "FR", "first", "75010"),
    Company("Ardoise Immobilier SARL", "ardoise-immobilier.example", "Nantes", "FR",
            "first.last", "44100"),
    Company("Quai Ouest Événements SAS", "quai-ouest.test", "Bordeaux", "FR", "first.last",
            "33100"),
    Company("Filature du Nord SAS", "filature-du-nord.example", "Lille", "FR", "f.last",
            "59000"),
    Company("Verdure Énergies SAS", "verdure-energies.example", "Rennes", "FR", "first.last",
            "35200"),
    Company("Clinique Vétérinaire des Tilleuls SELARL", "clinique-des-tilleuls.test", "Lyon",
            "FR", "first.last", "69006"),
]
GB_COMPANIES = [
    Company("Harbourside Analytics Ltd", "harbourside-analytics.example", "London", "GB",
            "first.last"),
    Company("Pennine Tooling Ltd", "pennine-tooling.test", "Manchester", "GB", "flast"),
    Company("Marlow & Finch Ltd", "marlowfinch.example", "London", "GB", "first"),
    Company("Copperleaf Software Ltd", "copperleaf.example", "Manchester", "GB", "first.last"),
    Company("Thistle Lane Foods Ltd", "thistlelane.test", "Manchester", "GB", "f.last"),
    Company("Kingsgate Legal LLP", "kingsgate-legal.example", "London", "GB", "flast"),
    Company("Albion Freight Ltd", "albion-freight.test", "London", "GB", "first.last"),
    Company("Northwind Print Ltd", "northwind-print.example", "Manchester", "GB", "first"),
    Company("Greyfriars Recruitment Ltd", "greyfriars-recruitment.test", "London", "GB",
            "first.last"),
    Company("Brightwater Energy PLC", "brightwater-energy.example", "London", "GB",
            "first.last"),
]
US_COMPANIES = [
    Company("Cedar Ridge Analytics Inc.", "cedarridge.example", "Austin", "US", "first"),
    Company("Bluebonnet Logistics LLC", "bluebonnet-logistics.test", "Austin", "US", "flast"),
    Company("Harborview Health Inc.", "harborview-health.example", "Boston", "US", "first.last"),
    Company("Summit Peak Software Inc.", "summitpeak.example", "Denver", "US", "first.last"),
    Company("Lakeshore Supply Co. LLC", "lakeshore-supply.test", "Chicago", "US", "flast"),
    Company("Golden Gate Robotics Inc.", "goldengate-robotics.example", "San Francisco", "US",
            "first"),
    Company("Empire Row Media LLC", "empirerow.test", "New York", "US", "first.last"),
    Company("Pinecrest Insurance Group Inc.", "pinecrest-insurance.example", "Seattle", "US",
            "f.last"),
    Company("Redwood & Vine LLC", "redwoodvine.test", "San Francisco", "US", "first"),
    Company("Liberty Forge Manufacturing Inc.", "libertyforge.example", "Chicago", "US",
            "flast"),
]
# Companies met only at the trade show.
SALON_COMPANIES = [
    Company("Bocage Imprimerie SARL", "bocage-imprimerie.test", "Rennes", "FR", "f.last",
            "35000"),
    Company("Azur Piscines SAS", "azur-piscines.example", "Bordeaux", "FR", "first.last",
            "33700"),
    Company("Cap Horizon Formation SAS", "cap-horizon-formation.test", "Nantes", "FR",
            "first.last", "44300"),
    Company("Lys & Lin Textiles SARL", "lys-et-lin.example", "Lille", "FR", "first", "59100"),
    Company("Atelier Ferroviaire Rhodanien SAS", "afr-rhone.test", "Lyon", "FR", "flast",
            "69009"),
    Company("Numéria Cloud SAS", "numeria-cloud.example", "Paris", "FR", "first.last", "75009"),
]
US_AREA_CODES = {
    "Austin": "512",
    "Boston": "617",
    "Denver": "303",
    "Chicago": "312",
    "San Francisco": "415",
    "New York": "212",
    "Seattle": "206",
}
# Numbers the featured people below are given by hand; the pool never hands them out.
FIXED_PHONES = ("01 99 00 31 74", "01 99 00 45 18", "06 39 98 23 57", "01 99 00 10 00")
COUNTRY_LABELS = {"FR": "France", "GB": "United Kingdom", "US": "United States"}

# --- names and titles --------------------------------------------------------------------

FR_FEMALE = [
    "Amélie", "Élodie", "Camille", "Léa", "Margaux", "Céline", "Sophie", "Anaïs", "Manon",
    "Chloé", "Émilie", "Nathalie", "Isabelle", "Aurélie", "Gaëlle", "Noémie", "Marie-Claire",
    "Julie", "Pauline", "Mathilde", "Laure", "Océane", "Juliette", "Capucine",
]
FR_MALE = [
    "Jérôme", "Sébastien", "Benoît", "Thibaut", "Mathieu", "Julien", "Olivier", "Rémi",
    "Hervé", "Stéphane", "Antoine", "Guillaume", "Yannick", "Gaël", "Aurélien",
    "Jean-Baptiste", "Pierre-Henri", "Frédéric", "Éric", "Bertrand", "Arnaud", "Maxime",
    "Quentin", "Loïc",
]
FR_LAST = [
    "Bernard", "Dubois", "Moreau", "Fournier", "Mercier", "Blanchard", "Lemoine", "Chevalier",
    "Gauthier", "Perrin", "Barbier", "Caron", "Boyer", "Lambert", "Dufresne", "Le Goff",
    "Le Bihan", "Morvan", "Tanguy", "Delacroix", "Deschamps", "Bouvier", "Collin", "Hamon",
    "Rivière", "Le Floch", "du Plessis", "de Saint-Aubin", "Morel-Jacquet", "Lefort",
    "Guérin", "Poirier", "Brunet", "Ménard", "Picard", "Royer", "Texier", "Bégué", "Lacroix",
    "Hébert", "Joly", "Renaud", "Meunier", "Vidal", "Jourdan", "Prévost", "Carré", "Marchal",
    "Chauvin", "Leroux", "Benoît-Lacaze", "d'Aubrac",
]
EN_FEMALE = [
    "Charlotte", "Emily", "Amelia", "Olivia", "Eleanor", "Siobhan", "Priya", "Aisha",
    "Jennifer", "Ashley", "Sarah", "Maria", "Brittany", "Keisha", "Rachel", "Laura", "Grace",
    "Lucy", "Natalie", "Danielle", "Holly", "Megan",
]
EN_MALE = [
    "Oliver", "Harry", "George", "James", "William", "Callum", "Mohammed", "Ravi", "Michael",
    "Daniel", "Christopher", "Matthew", "David", "Carlos", "Jamal", "Wei", "Andrew", "Samuel",
    "Ethan", "Nathan", "Connor", "Marcus",
]
EN_LAST = [
    "Jones", "Taylor", "Brown", "Wilson", "Roberts", "Wright", "Thompson", "Hughes",
    "Edwards", "Green", "Harris", "Clarke", "Patel", "Khan", "Fitzgerald", "Ashworth",
    "Pemberton", "McAllister", "Johnson", "Williams", "Davis", "Garcia", "Rodriguez",
    "Martinez", "Anderson", "Jackson", "White", "Lee", "Kim", "Carter", "Mitchell", "Reyes",
    "Sullivan", "O'Connor", "Bennett", "Fleming", "Hargreaves", "Okafor", "Lindqvist",
    "Delgado", "Park", "Whitaker",
]
FR_TITLES = [  # (masculine, feminine)
    ("Directeur commercial", "Directrice commerciale"),
    ("Responsable marketing", "Responsable marketing"),
    ("PDG", "PDG"),
    ("DAF", "DAF"),
    ("Chargé d'affaires", "Chargée d'affaires"),
    ("Gérant", "Gérante"),
    ("DRH", "DRH"),
    ("Head of Sales", "Head of Sales"),
    ("Directeur général", "Directrice générale"),
    ("Responsable achats", "Responsable achats"),
    ("Business developer", "Business developer"),
    ("Assistant de direction", "Assistante de direction"),
    ("Directeur des opérations", "Directrice des opérations"),
    ("Responsable grands comptes", "Responsable grands comptes"),
    ("Chef de projet digital", "Cheffe de projet digital"),
    ("Comptable", "Comptable"),
    ("CTO", "CTO"),
    ("Office manager", "Office manager"),
]
GB_TITLES = [
    "Sales Director", "Head of Marketing", "Managing Director", "Finance Director",
    "Operations Manager", "Business Development Manager", "HR Manager", "Office Manager",
    "CEO", "Procurement Lead", "Account Manager",
]
US_TITLES = [
    "VP of Sales", "CEO", "CFO", "Director of Marketing", "Account Executive",
    "Head of Growth", "Operations Manager", "Founder", "COO", "Sales Development Rep",
    "HR Director",
]
STAGES = [
    ("Subscriber", 2), ("Lead", 10), ("Marketing Qualified Lead", 5),
    ("Sales Qualified Lead", 4), ("Opportunity", 3), ("Customer", 3), ("Other", 1),
]
LEAD_SOURCES = [
    ("Website", 6), ("Trade show", 4), ("Referral", 3), ("LinkedIn", 4), ("Webinar", 2),
    ("Cold outreach", 3), ("Partner", 2),
]
FR_NOTES = [
    "Rappeler en septembre",
    "Demande un devis pour 12 licences",
    "Pas de besoin avant l'an prochain",
    "Budget ~15 k€ sur l'exercice",
    "A répondu « pas maintenant »",
    "Décision prise par la DAF, à mettre en copie",
    "Vu au salon, a pris une brochure",
]
EN_NOTES = [
    "Asked for a demo next quarter",
    "Follow up in March, after the budget review",
    "Uses a competitor; contract ends in June",
    "Warm intro from a partner",
    "Prefers email, not calls",
    "Said “send me the deck” on the call",
]

# fmt: on


# --- helpers -----------------------------------------------------------------------------


def ascii_slug(text: str) -> str:
    """Lower-case ASCII form used in email local parts: accents, spaces and apostrophes go."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch == "-")


def company_email(first: str, last: str, company: Company) -> str:
    f, la = ascii_slug(first), ascii_slug(last)
    local = {
        "first.last": f"{f}.{la}",
        "f.last": f"{f[0]}.{la}",
        "flast": f"{f[0]}{la}",
        "first": f,
    }[company.pattern]
    return f"{local}@{company.domain}"


def luhn_siren(rng: random.Random) -> str:
    """A 9-digit number whose Luhn sum is a multiple of 10, as every SIREN's is."""
    body = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
    for check in range(10):
        digits = [*body, check]
        total = 0
        # From the right, every second digit is doubled (the check digit itself is not).
        for pos, digit in enumerate(reversed(digits)):
            doubled = digit * 2 if pos % 2 else digit
            total += doubled - 9 if doubled > 9 else doubled
        if total % 10 == 0:
            return "".join(map(str, digits))
    raise AssertionError("unreachable: one check digit always fits")


def website_for(company: Company, rng: random.Random) -> str:
    return rng.choice(
        [
            f"https://www.{company.domain}",
            f"https://www.{company.domain}/",
            f"https://{company.domain}",
            f"www.{company.domain}",
            f"http://www.{company.domain}",
        ]
    )


class PhonePool:
    """Hands out distinct numbers from the fictional ranges, in a national display form."""

    def __init__(self, rng: random.Random, fixed: tuple[str, ...] = ()) -> None:
        self.rng = rng
        self.used: set[str] = set(fixed)

    def _take(self, make) -> str:
        while True:
            number = make(self.rng.randint(0, 999), self.rng.randint(0, 99))
            if number not in self.used:
                self.used.add(number)
                return number

    def fr_landline(self) -> str:  # ARCEP: 01 99 00 00 00 - 01 99 00 99 99
        return self._take(lambda a, b: f"01 99 00 {a % 100:02d} {b:02d}")

    def fr_mobile(self) -> str:  # ARCEP: 06 39 98 00 00 - 06 39 98 99 99
        return self._take(lambda a, b: f"06 39 98 {a % 100:02d} {b:02d}")

    def gb(self, city: str) -> str:  # Ofcom drama ranges
        if city == "Manchester":
            return self._take(lambda a, _b: f"0161 496 0{a:03d}")
        return self._take(lambda a, _b: f"020 7946 0{a:03d}")

    def gb_mobile(self) -> str:  # Ofcom drama range 07700 900000 - 07700 900999
        return self._take(lambda a, _b: f"07700 900{a:03d}")

    def us(self, city: str) -> str:  # NANPA: 555-0100 - 555-0199 are fictional everywhere
        area = US_AREA_CODES[city]
        return self._take(lambda _a, b: f"({area}) 555-01{b:02d}")

    def for_company(self, company: Company) -> str:
        if company.country == "FR":
            return self.fr_mobile() if self.rng.random() < 0.08 else self.fr_landline()
        if company.country == "GB":
            return self.gb_mobile() if self.rng.random() < 0.08 else self.gb(company.city)
        return self.us(company.city)


def weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def fr_title(rng: random.Random, female: bool) -> str:
    masc, fem = rng.choice(FR_TITLES)
    return fem if female else masc


def title_for(rng: random.Random, country: str, female: bool) -> str:
    if country == "FR":
        return fr_title(rng, female)
    return rng.choice(GB_TITLES if country == "GB" else US_TITLES)


def e164(display: str, country: str) -> str:
    digits = "".join(ch for ch in display if ch.isdigit())
    prefix = {"FR": "33", "GB": "44", "US": "1"}[country]
    if country == "US":
        return f"+1{digits[-10:]}"
    return f"+{prefix}{digits[1:]}"


def spaced_international(display: str, country: str) -> str:
    """'01 99 00 12 34' -> '+33 1 99 00 12 34'; '020 7946 0123' -> '+44 20 7946 0123'."""
    if country == "US":
        digits = "".join(ch for ch in display if ch.isdigit())
        return f"+1 {digits[:3]} {digits[3:6]} {digits[6:]}"
    code = {"FR": "+33", "GB": "+44"}[country]
    return f"{code} {display[1:]}"


# --- the CRM export ------------------------------------------------------------------------


@dataclass
class Built:
    """Rows in file order plus what the README needs to know about them."""

    rows: list[list[str]]
    # label -> record ids of a cluster (the first one is the original record)
    clusters: dict[str, list[str]]
    quarantined: dict[str, str]  # record id -> reason
    blank_rows: list[int]  # data-row numbers (1-based, header excluded)
    notable: dict[str, str]  # record id -> what is special about a stored row
    people: dict[str, Person]  # featured people by key, for the badge scan


def build_crm(rng: random.Random, phones: PhonePool) -> Built:
    fr = {c.domain.split(".")[0]: c for c in FR_COMPANIES}
    gb = {c.domain.split(".")[0]: c for c in GB_COMPANIES}
    us = {c.domain.split(".")[0]: c for c in US_COMPANIES}
    websites = {
        c.domain: website_for(c, rng) for c in [*FR_COMPANIES, *GB_COMPANIES, *US_COMPANIES]
    }

    def person(first, last, female, company, title, *, email=None, phone=None, **kw) -> Person:
        return Person(
            first=first,
            last=last,
            female=female,
            company=company,
            title=title,
            email=company_email(first, last, company) if email is None else email,
            phone=phones.for_company(company) if phone is None else phone,
            stage=kw.pop("stage", weighted(rng, STAGES)),
            lead_source=kw.pop("lead_source", weighted(rng, LEAD_SOURCES)),
            website=kw.pop("website", websites[company.domain]),
            country_label=kw.pop("country_label", COUNTRY_LABELS[company.country]),
            **kw,
        )

    # People whose rows carry the documented duplicates and edge cases.
    featured: dict[str, Person] = {
        "helene": person("Hélène", "Lefèvre", True, fr["lumenia"], "Responsable marketing"),
        "bob": person("Robert", "Miller", False, us["cedarridge"], "VP of Sales"),
        "jean-pierre": person(
            "Jean-Pierre", "Rousseau", False, fr["hexagone-data"], "Directeur commercial"
        ),
        "francois": person(
            "François", "Girard", False, fr["orbital-conseil"], "PDG", phone="01 99 00 31 74"
        ),
        "clemence": person("Clémence", "Aubry", True, fr["verdure-energies"], "DAF"),
        "thomas": person("Thomas", "Walker", False, gb["copperleaf"], "Sales Director"),
        "zoe": person("Zoé", "Marchand", True, fr["kerlann"], "Chargée d'affaires"),
        "berenice": person(
            "Bérénice",
            "de La Fontaine",
            True,
            fr["maison-brehat"],
            "Directrice générale",
            phone="01 99 00 45 18",
        ),
        "katherine": person(
            "Katherine", "O'Neill", True, gb["harbourside-analytics"], "Head of Marketing"
        ),
        "gregoire": person("Grégoire", "Leclerc", False, fr["studio-mirabelle"], "Head of Sales"),
        "anne-sophie": person(
            "Anne-Sophie", "Garnier-Roux", True, fr["quai-ouest"], "DRH", phone="06 39 98 23 57"
        ),
        "elizabeth": person("Elizabeth", "Nguyen", True, us["summitpeak"], "Director of Marketing"),
        # Same name, two companies: not a duplicate.
        "nicolas-lumenia": person("Nicolas", "Martin", False, fr["lumenia"], "CTO"),
        "nicolas-fret": person(
            "Nicolas", "Martin", False, fr["trans-alpes-fret"], "Directeur des opérations"
        ),
        # Particle that naive title-casing breaks.
        "loic": person(
            "Loïc", "d'Herbelot", False, fr["ardoise-immobilier"], "Responsable grands comptes"
        ),
        # Two people behind one switchboard number: not duplicates.
        "thibault": person(
            "Thibault",
            "Besnard",
            False,
            fr["brasserie-des-halles"],
            "Gérant",
            email="contact@brasserie-des-halles.test",
            phone="01 99 00 10 00",
        ),
        "agathe": Person(
            "Agathe",
            "Morvan",
            True,
            fr["brasserie-des-halles"],
            "Responsable marketing",
            email="agathe@brasserie-des-halles.test",
            phone="01 99 00 10 00",
            stage="Lead",
            lead_source="Trade show",
            website=websites["brasserie-des-halles.test"],
            country_label="France",
        ),
        # Role addresses.
        "sophie-caron": person(
            "Sophie",
            "Caron",
            True,
            fr["patisserie-roussel"],
            "Gérante",
            email="contact@patisserie-roussel.test",
        ),
        "hannah": person(
            "Hannah",
            "Wood",
            True,
            gb["thistlelane"],
            "Office Manager",
            email="info@thistlelane.test",
        ),
        "tyler": person(
            "Tyler", "Cooper", False, us["redwoodvine"], "Founder", email="hello@redwoodvine.test"
        ),
        # Free-mail addresses.
        "remi": person(
            "Rémi",
            "Pelletier",
            False,
            fr["atelier-clement"],
            "Gérant",
            email="remi.pelletier@freemail.test",
        ),
        "jessica": person(
            "Jessica",
            "Hall",
            True,
            gb["greyfriars-recruitment"],
            "Account Manager",
            email="jess.hall@freemail.test",
        ),
        "kevin": person(
            "Kevin",
            "Lopez",
            False,
            us["lakeshore-supply"],
            "Account Executive",
            email="kevlopez@freemail.test",
            phone="",
        ),
        # Stored as text, neutralised on export.
        "formula": person(
            "Oliver",
            "Pryce",
            False,
            gb["albion-freight"],
            "Operations Manager",
            notes='=HYPERLINK("http://evil.test","x")',
        ),
        # A name and a garbage email: stored, the enricher marks the address invalid.
        "garbage": person(
            "Cédric",
            "Vasseur",
            False,
            fr["filature-du-nord"],
            "Responsable achats",
            email="c.vasseur@@filature-du-nord",
            phone="",
        ),
        # Name and company only: prospects to enrich, not bad rows.
        "solene": person(
            "Solène", "Kerbrat", True, fr["kerlann"], "Business developer", email="", phone=""
        ),
        "aurelien": person(
            "Aurélien",
            "Faure",
            False,
            fr["ardoise-immobilier"],
            "DAF",
            email="",
            phone="",
            website="",
        ),
        "ines": person(
            "Inès",
            "Benali",
            True,
            fr["hexagone-data"],
            "Cheffe de projet digital",
            email="",
            phone="",
        ),
        "rhys": person(
            "Rhys",
            "Evans",
            False,
            gb["pennine-tooling"],
            "Managing Director",
            email="",
            phone="",
            website="",
        ),
        "megan": person(
            "Megan",
            "Brooks",
            True,
            us["lakeshore-supply"],
            "Operations Manager",
            email="",
            phone="",
        ),
    }
    used_names = {(p.first, p.last) for p in featured.values()}
    used_names |= {
        ("Bob", "Miller"),
        ("Kate", "O'Neill"),
        ("Liz", "Nguyen"),
        ("Yannick", "Le Bihan"),
    }

    def fresh_name(country: str) -> tuple[str, str, bool]:
        while True:
            female = rng.random() < 0.5
            if country == "FR":
                first = rng.choice(FR_FEMALE if female else FR_MALE)
                last = rng.choice(FR_LAST)
            else:
                first = rng.choice(EN_FEMALE if female else EN_MALE)
                last = rng.choice(EN_LAST)
            if (first, last) not in used_names:
                used_names.add((first, last))
                return first, last, female

    # Fill every company up to a realistic head count with ordinary contacts.
    counts = {"FR": 50, "GB": 28, "US": 29}
    pools = {"FR": FR_COMPANIES, "GB": GB_COMPANIES, "US": US_COMPANIES}
    ordinary: list[Person] = []
    for country, count in counts.items():
        slots = [pools[country][i % len(pools[country])] for i in range(count)]
        rng.shuffle(slots)
        for company in slots:
            first, last, female = fresh_name(country)
            has_email = rng.random() < 0.9
            has_phone = not has_email or rng.random() < 0.7
            notes = ""
            if rng.random() < 0.25:
                notes = rng.choice(FR_NOTES if country == "FR" else EN_NOTES)
            ordinary.append(
                person(
                    first,
                    last,
                    female,
                    company,
                    title_for(rng, country, female),
                    email=None if has_email else "",
                    phone=None if has_phone else "",
                    notes=notes,
                    website=websites[company.domain] if rng.random() < 0.9 else "",
                )
            )
    # A quoted field holding a line break: one record over two physical lines.
    ordinary[3] = replace(
        ordinary[3], notes="Appel du 12/03 : intéressé\nEnvoyer la plaquette tarifaire"
    )

    def row(p: Person, **over: str) -> list[str]:
        values = {
            "First Name": p.first,
            "Last Name": p.last,
            "Email": p.email,
            "Phone Number": p.phone,
            "Job Title": p.title,
            "Company Name": p.company.name,
            "Website URL": p.website,
            "City": p.company.city,
            "Country/Region": p.country_label,
            "Lifecycle Stage": p.stage,
            "Lead Source": p.lead_source,
            "Notes": p.notes,
        }
        values.update(over)
        return ["", *(values[h] for h in CRM_HEADERS[1:])]

    f = featured
    tagged: list[tuple[str, list[str]]] = []  # (tag, row); tag names a cluster or a case
    for key, p in f.items():
        tag = f"C:{key}" if key in CLUSTER_LABELS else f"N:{key}"
        tagged.append((tag, row(p)))
    tagged += [("", row(p)) for p in ordinary]

    # The second (and third) records of each duplicate cluster.
    helene, bob, jp = f["helene"], f["bob"], f["jean-pierre"]
    dups = [
        (
            "helene",
            row(
                helene,
                **{
                    "First Name": "Helene",
                    "Last Name": "Lefevre",
                    "Phone Number": "",
                    "Company Name": "Lumenia",
                    "Job Title": "Resp. marketing",
                },
            ),
        ),
        (
            "bob",
            row(
                bob,
                **{
                    "First Name": "Bob",
                    "Email": "bob@cedarridge.example",
                    "Phone Number": bob.phone.replace("(", "").replace(") ", ".").replace("-", "."),
                    "Company Name": "Cedar Ridge Analytics",
                },
            ),
        ),
        (
            "jean-pierre",
            row(
                jp,
                **{
                    "First Name": "JEAN-PIERRE",
                    "Last Name": "ROUSSEAU",
                    "Company Name": "HEXAGONE DATA",
                    "Country/Region": "FR",
                },
            ),
        ),
        (
            "francois",
            row(
                f["francois"],
                **{
                    "Email": "",
                    "Phone Number": "+33199003174",
                    "Job Title": "Président",
                    "Website URL": "",
                },
            ),
        ),
        (
            "clemence",
            row(
                f["clemence"],
                **{
                    "Email": "clemence.aubry@freemail.test",
                    "Phone Number": phones.fr_mobile(),
                    "Lead Source": "Webinar",
                },
            ),
        ),
        (
            "thomas",
            row(
                f["thomas"],
                **{
                    "First Name": "Thomas ",
                    "Last Name": "Walker ",
                    "Email": f["thomas"].email + " ",
                    "Phone Number": spaced_international(f["thomas"].phone, "GB"),
                    "Company Name": "Copperleaf Software Ltd ",
                },
            ),
        ),
        (
            "zoe",
            row(
                f["zoe"],
                **{"Email": f["zoe"].email.upper(), "Company Name": "KERLANN NUMERIQUE SAS"},
            ),
        ),
        (
            "berenice",
            row(
                f["berenice"],
                **{
                    "First Name": "BÉRÉNICE",
                    "Last Name": "DE LA FONTAINE",
                    "Phone Number": "+33 (0)1 99 00 45 18",
                },
            ),
        ),
        (
            "berenice",
            row(
                f["berenice"],
                **{
                    "First Name": "Berenice",
                    "Last Name": "de la Fontaine",
                    "Email": "",
                    "Phone Number": "0199004518",
                    "Job Title": "DG",
                    "Lifecycle Stage": "Opportunity",
                },
            ),
        ),
        (
            "katherine",
            row(
                f["katherine"],
                **{
                    "First Name": "Kate",
                    "Last Name": "O\u2019Neill",
                    "Email": "kate.oneill@harbourside-analytics.example",
                    "Phone Number": spaced_international(f["katherine"].phone, "GB"),
                    "Country/Region": "GB",
                },
            ),
        ),
        ("gregoire", row(f["gregoire"], **{"First Name": "Leclerc", "Last Name": "Grégoire"})),
        (
            "anne-sophie",
            row(
                f["anne-sophie"],
                **{
                    "First Name": "Anne Sophie",
                    "Last Name": "Garnier Roux",
                    "Email": "",
                    "Phone Number": e164(f["anne-sophie"].phone, "FR"),
                },
            ),
        ),
        (
            "elizabeth",
            row(
                f["elizabeth"],
                **{
                    "First Name": "Liz",
                    "Email": "liz.nguyen@summitpeak.example",
                    "Phone Number": spaced_international(f["elizabeth"].phone, "US"),
                    "Company Name": "Summit Peak Software, Inc.",
                },
            ),
        ),
    ]
    tagged += [(f"D:{key}", r) for key, r in dups]

    # Rows an import must quarantine, and the one blank row.
    kerlann = fr["kerlann"]
    bad = [
        (
            "Q:extra-field-notes",  # an unquoted comma in Notes: 14 fields
            [
                "",
                "Yannick",
                "Le Bihan",
                "yannick.lebihan@kerlann.example",
                phones.fr_landline(),
                "Directeur commercial",
                kerlann.name,
                websites[kerlann.domain],
                "Rennes",
                "France",
                "Lead",
                "Trade show",
                "Relancé par mail",
                " pas de réponse",
            ],
        ),
        (
            "Q:extra-field-company",  # an unquoted comma in the company name: 14 fields
            [
                "",
                "Margaux",
                "Dupuis",
                "margaux.dupuis@dupuis-associes.test",
                phones.fr_landline(),
                "Gérante",
                "Dupuis",
                " Fils & Associés",
                "https://www.dupuis-associes.test",
                "Bordeaux",
                "France",
                "Lead",
                "Referral",
                "Recommandée par un client",
            ],
        ),
        ("Q:no-name-no-contact-city", ["", "", "", "", "", "", "", "", "Nantes", "", "", "", ""]),
        (
            "Q:no-name-no-contact-stage",
            [
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "Manchester",
                "United Kingdom",
                "Lead",
                "Trade show",
                "",
            ],
        ),
        ("B:blank", [""] * len(CRM_HEADERS)),
    ]
    tagged += bad
    rng.shuffle(tagged)

    # Record IDs grow in file order, with the gaps a CRM leaves behind.
    rows: list[list[str]] = []
    clusters: dict[str, list[str]] = {}
    quarantined: dict[str, str] = {}
    blank_rows: list[int] = []
    notable: dict[str, str] = {}
    next_id = 5120031
    for number, (tag, r) in enumerate(tagged, start=1):
        if tag == "B:blank":
            blank_rows.append(number)
            rows.append(r)
            continue
        next_id += rng.randint(3, 47)
        record_id = str(next_id)
        r[0] = record_id
        rows.append(r)
        kind, _, key = tag.partition(":")
        if kind == "C":  # the original goes first, wherever it sits in the file
            clusters.setdefault(key, []).insert(0, record_id)
        elif kind == "D":
            clusters.setdefault(key, []).append(record_id)
        elif kind == "Q":
            quarantined[record_id] = QUARANTINE_REASONS[key]
        elif kind == "N" and key in NOTABLE:
            notable[record_id] = NOTABLE[key]
    return Built(rows, clusters, quarantined, blank_rows, notable, featured)


CLUSTER_LABELS = {
    "helene": "accents dropped (Helene Lefevre), phone missing, company without legal form",
    "bob": "nickname Bob/Robert, second address, phone 512.555.01xx vs (512) 555-01xx",
    "jean-pierre": "name and company in capitals, country FR vs France",
    "francois": "phone 01 99 00 31 74 vs +33199003174, no email, title Président vs PDG",
    "clemence": "second address on a free-mail domain, mobile added",
    "thomas": "trailing spaces in names, email and company; phone +44 vs 0161",
    "zoe": "email in capitals, company KERLANN NUMERIQUE SAS",
    "berenice": "three records: DE LA FONTAINE in capitals with +33 (0)1 ..., then "
    "Berenice de la Fontaine with no email and phone 0199004518",
    "katherine": "nickname Kate, curly apostrophe O\u2019Neill, second address, country GB",
    "gregoire": "first and last name swapped, same email",
    "anne-sophie": "hyphens dropped (Anne Sophie Garnier Roux), no email, mobile in E.164",
    "elizabeth": "nickname Liz, second address, 'Summit Peak Software, Inc.'",
}
QUARANTINE_REASONS = {
    "extra-field-notes": "14 fields for 13 headers (unquoted comma in Notes)",
    "extra-field-company": "14 fields for 13 headers (unquoted comma in the company name)",
    "no-name-no-contact-city": "no name and no contact method (only a city)",
    "no-name-no-contact-stage": "no name and no contact method (city, country, stage, source)",
}
NOTABLE = {
    "nicolas-lumenia": "homonym: Nicolas Martin at Lumenia, not a duplicate",
    "nicolas-fret": "homonym: Nicolas Martin at Trans-Alpes Fret, not a duplicate",
    "thibault": "role address contact@, shares the switchboard 01 99 00 10 00",
    "agathe": "shares the switchboard 01 99 00 10 00 with another person: not a duplicate",
    "sophie-caron": "role address contact@",
    "hannah": "role address info@",
    "tyler": "role address hello@",
    "remi": "free-mail address",
    "jessica": "free-mail address",
    "kevin": "free-mail address, no phone",
    "formula": "Notes hold =HYPERLINK(...): stored as text, neutralised on export",
    "garbage": "email c.vasseur@@filature-du-nord: stored, marked invalid by the enricher",
    "solene": "name and company only: a prospect to enrich",
    "aurelien": "name and company only (no website either)",
    "ines": "name and company only",
    "rhys": "name and company only (no website either)",
    "megan": "name and company only",
    "loic": "particle d'Herbelot",
}


# --- the badge scan ------------------------------------------------------------------------


@dataclass
class BuiltSalon:
    rows: list[list[str]]
    cross: list[tuple[int, str, str]]  # (row number, CRM key, what differs)
    internal: list[int]  # row numbers of the one person scanned twice
    quarantined: dict[int, str]  # row number -> reason


def dotted(display: str) -> str:
    return display.replace(" ", ".")


def build_salon(rng: random.Random, phones: PhonePool, crm: Built) -> BuiltSalon:
    sirens = {c.domain: luhn_siren(rng) for c in [*FR_COMPANIES, *SALON_COMPANIES]}
    fr = {c.domain.split(".")[0]: c for c in FR_COMPANIES}
    f = crm.people

    def scan(
        civility: str,
        first: str,
        last: str,
        company: Company,
        title: str,
        email: str,
        phone: str,
        comment: str = "",
    ) -> list[str]:
        return [
            civility,
            first,
            last,
            company.name,
            title,
            email,
            phone,
            company.postcode,
            company.city,
            "France" if company.country == "FR" else "",
            sirens.get(company.domain, ""),
            comment,
        ]

    # The same people as in the CRM export, written the way a badge scanner writes them.
    tagged: list[tuple[str, list[str]]] = []

    def known(key: str, diff: str, over: dict[str, str] | None = None) -> None:
        p = f[key]
        values = scan(
            "Mme" if p.female else "M.",
            p.first,
            p.last.upper(),
            p.company,
            p.title,
            p.email,
            dotted(p.phone),
        )
        for column, value in (over or {}).items():
            values[SALON_HEADERS.index(column)] = value
        tagged.append((f"X:{key}:{diff}", values))

    known("helene", "company LUMENIA, NOM in capitals, phone with dots", {"Société": "LUMENIA"})
    known(
        "francois",
        "another address francois.girard@, phone with dots",
        {"E-mail": "francois.girard@orbital-conseil.test"},
    )
    known("zoe", "no phone", {"Téléphone": "", "Commentaire": "Veut le “pack Pro” avant l’été"})
    known(
        "berenice",
        "NOM DE LA FONTAINE, phone +33 1 99 00 45 18",
        {"Téléphone": "+33 1 99 00 45 18"},
    )
    known(
        "jean-pierre",
        "first name without hyphen (Jean Pierre)",
        {"Prénom": "Jean Pierre", "Commentaire": "Mise en œuvre prévue au T2"},
    )
    known(
        "clemence",
        "free-mail address only, no phone",
        {"E-mail": "clemence.aubry@freemail.test", "Téléphone": ""},
    )
    known(
        "thomas",
        "UK visitor: company without Ltd, +44 phone, title in French",
        {
            "Société": "Copperleaf Software",
            "Pays": "Royaume-Uni",
            "Téléphone": spaced_international(f["thomas"].phone, "GB"),
            "Fonction": "Directeur commercial",
        },
    )
    known(
        "gregoire",
        "SIREN written with spaces",
        {"SIREN": " ".join(sirens[f["gregoire"].company.domain][i : i + 3] for i in (0, 3, 6))},
    )
    known(
        "solene",
        "name and company only in the CRM; the badge adds email and phone",
        {
            "E-mail": company_email("Solène", "Kerbrat", f["solene"].company),
            "Téléphone": dotted(phones.fr_landline()),
        },
    )
    known(
        "nicolas-lumenia",
        "the Lumenia Nicolas Martin, not the Trans-Alpes Fret one",
        {"Commentaire": "Budget annuel ~20 k€"},
    )

    # New people: some at companies the CRM knows, most at companies met at the show.
    used = {(r[1].strip(), r[2].strip()) for r in crm.rows}
    new_companies = [
        fr["lumenia"],
        fr["hexagone-data"],
        fr["quai-ouest"],
        fr["sologne-bois-energie"],
        *SALON_COMPANIES,
        *SALON_COMPANIES[:4],
        SALON_COMPANIES[5],
        SALON_COMPANIES[5],
        fr["orbital-conseil"],
        fr["jardins-de-mathilde"],
    ]
    comments = [
        "",
        "",
        "",
        "",
        "",
        "",
        "Intéressé par une démo",
        "Passage rapide au stand",
        "Demande le tarif « équipe »",
        "Déjà client d’un concurrent",
        "Rappeler après le 15/09",
        "Budget à valider en comité",
    ]
    assert len(new_companies) == 18
    for number, company in enumerate(new_companies):
        while True:
            female = rng.random() < 0.5
            first = rng.choice(FR_FEMALE if female else FR_MALE)
            last = rng.choice(FR_LAST)
            if (first, last) not in used:
                used.add((first, last))
                break
        phone = phones.fr_mobile() if rng.random() < 0.15 else phones.fr_landline()
        phone = rng.choice(
            [phone, dotted(phone), phone.replace(" ", ""), spaced_international(phone, "FR")]
        )
        email = company_email(first, last, company) if rng.random() < 0.9 else ""
        values = scan(
            "Mme" if female else "M.",
            first,
            last.upper(),
            company,
            fr_title(rng, female),
            email,
            phone,
            rng.choice(comments),
        )
        if number == 5:
            # One visitor scanned twice: the second scan lost the email, the phone is retyped.
            twice = list(values)
            twice[SALON_HEADERS.index("E-mail")] = ""
            phone_col = SALON_HEADERS.index("Téléphone")
            twice[phone_col] = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
            twice[SALON_HEADERS.index("Commentaire")] = "2e passage au stand"
            tagged += [("T1", values), ("T2", twice)]
        else:
            tagged.append(("N", values))

    # An unquoted ';' in the comment splits it into a 13th field.
    lumenia = fr["lumenia"]
    tagged.append(
        (
            "Q",
            [
                "M.",
                "Arnaud",
                "TEXIER",
                lumenia.name,
                "Responsable achats",
                company_email("Arnaud", "Texier", lumenia),
                dotted(phones.fr_landline()),
                lumenia.postcode,
                lumenia.city,
                "France",
                sirens[lumenia.domain],
                "Intéressé",
                " rappeler en janvier",
            ],
        )
    )
    rng.shuffle(tagged)
    first_scan, second_scan = (
        next(i for i, (t, _) in enumerate(tagged) if t == tag) for tag in ("T1", "T2")
    )
    if second_scan < first_scan:
        tagged[first_scan], tagged[second_scan] = tagged[second_scan], tagged[first_scan]

    rows: list[list[str]] = []
    cross: list[tuple[int, str, str]] = []
    internal: list[int] = []
    quarantined: dict[int, str] = {}
    for number, (tag, r) in enumerate(tagged, start=1):
        rows.append(r)
        if tag.startswith("X:"):
            _, key, diff = tag.split(":", 2)
            cross.append((number, key, diff))
        elif tag in ("T1", "T2"):
            internal.append(number)
        elif tag == "Q":
            quarantined[number] = "13 fields for 12 headers (unquoted ';' in Commentaire)"
    return BuiltSalon(rows, cross, internal, quarantined)


# --- writing and checking --------------------------------------------------------------------


def render() -> tuple[bytes, bytes, Built, BuiltSalon]:
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not secrets
    phones = PhonePool(rng, FIXED_PHONES)
    crm = build_crm(rng, phones)
    salon = build_salon(rng, phones, crm)

    crm_buf = io.StringIO(newline="")
    writer = csv.writer(crm_buf, lineterminator="\n")
    writer.writerow(CRM_HEADERS)
    writer.writerows(crm.rows)

    salon_buf = io.StringIO(newline="")
    writer = csv.writer(salon_buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(SALON_HEADERS)
    writer.writerows(salon.rows)
    return (
        crm_buf.getvalue().encode("utf-8"),
        salon_buf.getvalue().encode("cp1252"),
        crm,
        salon,
    )


def summary(crm: Built, salon: BuiltSalon) -> str:
    by_id = {r[0]: (n, r) for n, r in enumerate(crm.rows, start=1) if r[0]}
    out = []
    stored = len(crm.rows) - len(crm.quarantined) - len(crm.blank_rows)
    extra = sum(len(ids) - 1 for ids in crm.clusters.values())
    out.append(
        f"{CRM_FILE}: {len(crm.rows)} data rows, {stored} stored, "
        f"{len(crm.quarantined)} quarantined, {len(crm.blank_rows)} blank "
        f"(row {', '.join(map(str, crm.blank_rows))}); {len(crm.clusters)} clusters, "
        f"{extra} extra records, {stored - extra} distinct people"
    )
    out.append("\nQuarantined (Record ID, data row, reason):")
    for record_id, reason in crm.quarantined.items():
        out.append(f"| {record_id} | {by_id[record_id][0]} | {reason} |")
    out.append("\nClusters (Record IDs, data rows, variation):")
    for key, ids in crm.clusters.items():
        rows = ", ".join(str(by_id[i][0]) for i in ids)
        name = " ".join(by_id[ids[0]][1][1:3])
        out.append(f"| {name} | {', '.join(ids)} | {rows} | {CLUSTER_LABELS[key]} |")
    out.append("\nNotable stored rows (Record ID, data row, note):")
    for record_id, note in sorted(crm.notable.items(), key=lambda kv: by_id[kv[0]][0]):
        out.append(f"| {record_id} | {by_id[record_id][0]} | {note} |")
    newline = next(r[0] for r in crm.rows if any("\n" in v for v in r))
    out.append(f"\nNotes with a line break: Record ID {newline}, row {by_id[newline][0]}")

    s_stored = len(salon.rows) - len(salon.quarantined)
    out.append(
        f"\n{SALON_FILE}: {len(salon.rows)} data rows, {s_stored} stored, "
        f"{len(salon.quarantined)} quarantined, 0 blank"
    )
    for number, reason in salon.quarantined.items():
        out.append(f"quarantined row {number}: {reason}")
    out.append(f"scanned twice: rows {salon.internal}")
    out.append("\nCross-file duplicates (salon row, CRM Record IDs, variation):")
    for number, key, diff in sorted(salon.cross):
        ids = crm.clusters.get(key) or [
            rid
            for rid, (_, r) in by_id.items()
            if r[1] == crm.people[key].first
            and r[2] == crm.people[key].last
            and r[6] == crm.people[key].company.name
        ]
        p = crm.people[key]
        out.append(f"| {number} | {p.first} {p.last} | {', '.join(ids)} | {diff} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the files on disk")
    parser.add_argument("--summary", action="store_true", help="print counts and clusters")
    parser.add_argument("--out", type=Path, default=HERE, help="directory to write to")
    args = parser.parse_args(argv)

    crm_bytes, salon_bytes, crm, salon = render()
    if args.summary:
        sys.stdout.write(summary(crm, salon) + "\n")
        return 0
    outputs = {args.out / CRM_FILE: crm_bytes, args.out / SALON_FILE: salon_bytes}
    if args.check:
        stale = [p.name for p, data in outputs.items() if not p.exists() or p.read_bytes() != data]
        if stale:
            sys.stderr.write(f"out of date: {', '.join(stale)}; run make_demo_data.py\n")
            return 1
        return 0
    for path, data in outputs.items():
        path.write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
