#!/usr/bin/env python3
"""A labelled set of B2B contact records with duplicates, as exports write them.

Simulates a growth team merging several exports about the same (mostly French)
market: a HubSpot-like CRM export, a trade-show badge-scan list, a scraped team
page and a purchased list.  Every row carries the id of the real person it
describes in the column "entity" (same id = same person). Written apart from the
matching rules, with their own conventions (export column names, a full-name column,
Spanish and Italian names, hard negatives: namesakes, family firms, shared lines), to
check that the dedupe holds on data it was not shaped on.

    python bench/dedupe_exports.py --people 5000 --seed 12 --out /tmp/g5k.csv

then, beside splink::

    python bench/compare_splink.py --csv /tmp/g5k.csv --id-column "Record ID" \
        --truth-column entity --project-python .venv/bin/python

Only the standard library and Faker are used.  Output is deterministic for a
given seed (no iteration over sets, every random draw from seeded generators).
"""

import argparse
import csv
import random
import re
import sys
import time
import unicodedata
from collections import Counter

import faker.providers.person.de_DE as _de_person
import faker.providers.person.es_ES as _es_person
import faker.providers.person.fr_BE as _be_person
import faker.providers.person.fr_CA as _ca_person
import faker.providers.person.fr_FR as _fr_person
import faker.providers.person.it_IT as _it_person
from faker import Faker

HEADER = [
    "Record ID",
    "First Name",
    "Last Name",
    "Full Name",
    "Email",
    "Secondary Email",
    "Phone",
    "Mobile Phone",
    "Company",
    "Website",
    "Job Title",
    "City",
    "Postcode",
    "Country",
    "entity",
]

LOCS = ["fr", "uk", "us", "de", "es", "it"]
LOC_W = [60, 13, 12, 6, 5, 4]
SRCS = ["crm", "badge", "web", "list"]
SRC_W = {"crm": 0.35, "badge": 0.25, "web": 0.15, "list": 0.25}
APPEAR_W = [45, 30, 15, 10]  # entity appears 1,2,3,4 times

# --------------------------------------------------------------------------
# text helpers
# --------------------------------------------------------------------------
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "ª": "a",
        "º": "o",
        "’": "'",
    }
)
_DE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def fold(s):
    s = s.translate(_SPECIAL)
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def fold_de(s):
    return fold(s.translate(_DE))


def slug(s, de=False):
    s = (fold_de(s) if de else fold(s)).lower()
    return "".join(c for c in s if c.isalnum() or c == "-").strip("-")


def pick(rng, items):
    """items: list of (weight, value)"""
    tot = sum(w for w, _ in items)
    x = rng.random() * tot
    for w, v in items:
        x -= w
        if x < 0:
            return v
    return items[-1][1]


def pick_u(u, items):
    tot = sum(w for w, _ in items)
    x = u * tot
    for w, v in items:
        x -= w
        if x < 0:
            return v
    return items[-1][1]


def typo(s, rng):
    """one character swapped, dropped or doubled (never the first letter)"""
    idx = [i for i, c in enumerate(s) if c.isalpha() and i > 0]
    if len(idx) < 3:
        return s
    for _ in range(12):
        i = rng.choice(idx)
        op = rng.random()
        if op < 0.4:
            j = i + 1
            if j < len(s) and s[j].isalpha() and s[i].lower() != s[j].lower():
                return s[:i] + s[j] + s[i] + s[j + 1 :]
        elif op < 0.72:
            if len(idx) >= 4:
                return s[:i] + s[i + 1 :]
        else:
            return s[:i] + s[i] + s[i:]
    return s


def title_words(s):
    return " ".join(w[:1].upper() + w[1:] for w in s.split(" "))


# --------------------------------------------------------------------------
# names
# --------------------------------------------------------------------------
FR_FIRST_M = [
    "Julien",
    "Nicolas",
    "Sébastien",
    "Mathieu",
    "Guillaume",
    "Romain",
    "Maxime",
    "Antoine",
    "Florian",
    "Kévin",
    "Jérémy",
    "Cédric",
    "Fabien",
    "Ludovic",
    "Arnaud",
    "Damien",
    "Benoît",
    "Anthony",
    "Yann",
    "Loïc",
    "Grégory",
    "Aurélien",
    "Raphaël",
    "Quentin",
    "Hugo",
    "Clément",
    "Bastien",
    "Mickaël",
    "Jonathan",
    "Jérôme",
    "Frédéric",
    "François",
    "Stéphane",
    "Laurent",
    "Christophe",
    "Olivier",
    "Thierry",
    "Pascal",
    "Emmanuel",
    "Alexandre",
    "Vincent",
    "Thomas",
    "Franck",
    "Hervé",
    "Gaël",
    "Benjamin",
    "Dominique",
    "Philippe",
    "Patrick",
    "Éric",
]
FR_FIRST_F = [
    "Nathalie",
    "Isabelle",
    "Sandrine",
    "Céline",
    "Stéphanie",
    "Aurélie",
    "Émilie",
    "Julie",
    "Camille",
    "Laure",
    "Élodie",
    "Caroline",
    "Virginie",
    "Audrey",
    "Amandine",
    "Mélanie",
    "Pauline",
    "Marion",
    "Claire",
    "Hélène",
    "Anaïs",
    "Chloé",
    "Léa",
    "Manon",
    "Delphine",
    "Karine",
    "Valérie",
    "Sophie",
    "Cécile",
    "Agnès",
    "Laetitia",
    "Gaëlle",
    "Maëlle",
    "Sylvie",
    "Christelle",
    "Séverine",
    "Catherine",
    "Véronique",
    "Florence",
    "Alexandra",
    "Frédérique",
    "Charlotte",
    "Dominique",
    "Béatrice",
    "Mathilde",
    "Juliette",
    "Noémie",
    "Inès",
    "Margaux",
]
FR_COMPOUND_M = [
    "Jean-Pierre",
    "Jean-François",
    "Jean-Marc",
    "Jean-Luc",
    "Jean-Michel",
    "Jean-Claude",
    "Jean-Baptiste",
    "Pierre-Yves",
    "Jean-Philippe",
    "Paul-Henri",
    "Pierre-Alexandre",
    "Jean-Christophe",
    "Louis-Marie",
]
FR_COMPOUND_F = [
    "Marie-Christine",
    "Marie-Claire",
    "Marie-Hélène",
    "Anne-Sophie",
    "Anne-Laure",
    "Marie-Laure",
    "Marie-Pierre",
    "Anne-Marie",
    "Marie-Anne",
    "Marie-Noëlle",
    "Marie-France",
    "Anne-Claire",
]
FR_PARTICLE_LAST = [
    "de La Tour",
    "de Villeneuve",
    "du Chesne",
    "Le Bihan",
    "Le Meur",
    "Le Guen",
    "Le Corre",
    "de Montalembert",
    "du Moulin",
    "de Beaumont",
    "des Rosiers",
    "de Vaucelles",
    "d'Arcy",
    "d'Estienne",
    "Le Floch",
    "Le Bris",
    "de Lestrange",
    "du Plessis",
    "de Kerguelen",
    "Le Goff",
    "Le Gall",
    "Le Roux",
]
FR_ACCENT_LAST = [
    "Lefèvre",
    "Lemaître",
    "Bénard",
    "Gérard",
    "Ménard",
    "Hébert",
    "Lévêque",
    "Crémieux",
    "Dupré",
    "Thévenin",
    "Bérard",
    "Séguin",
    "Géraud",
    "Périer",
    "Frémont",
    "Jégou",
    "Prévost",
    "Mérieux",
    "Chéron",
    "Hervé",
    "Rivière",
    "Sénéchal",
    "Delépine",
    "Noël",
    "Guérin",
    "Clément",
    "Léger",
    "Maréchal",
    "Mégret",
    "Béranger",
]

DE_FIRST_M = [
    "Thomas",
    "Michael",
    "Andreas",
    "Stefan",
    "Christian",
    "Markus",
    "Frank",
    "Jürgen",
    "Klaus",
    "Martin",
    "Matthias",
    "Sebastian",
    "Alexander",
    "Tobias",
    "Jan",
    "Florian",
    "Daniel",
    "Johannes",
    "Maximilian",
    "Lukas",
    "Jörg",
    "Uwe",
    "Wolfgang",
    "Dirk",
    "Ralf",
    "Björn",
    "Sören",
    "Kai",
    "Benedikt",
    "Philipp",
    "Karl-Heinz",
    "Hans-Peter",
    "Jens",
    "Oliver",
    "Tim",
    "Moritz",
    "Felix",
    "Bernd",
    "Günter",
    "Holger",
]
DE_FIRST_F = [
    "Sabine",
    "Andrea",
    "Claudia",
    "Stefanie",
    "Katharina",
    "Julia",
    "Anna",
    "Monika",
    "Petra",
    "Susanne",
    "Nicole",
    "Birgit",
    "Jana",
    "Lena",
    "Franziska",
    "Christina",
    "Sandra",
    "Melanie",
    "Ute",
    "Heike",
    "Jutta",
    "Anja",
    "Kerstin",
    "Laura",
    "Lisa",
    "Sophie",
    "Elisabeth",
    "Annika",
    "Jessica",
    "Bärbel",
    "Carolin",
    "Alexandra",
    "Tanja",
    "Silke",
    "Jördis",
]
DE_LAST = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Schmitz",
    "Krause",
    "Meier",
    "Lehmann",
    "Schmid",
    "Schulze",
    "Maier",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Mayer",
    "Huber",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Lang",
    "Scholz",
    "Möller",
    "Weiß",
    "Jung",
    "Hahn",
    "Schubert",
    "Vogel",
    "Friedrich",
    "Keller",
    "Günther",
    "Frank",
    "Berger",
    "Winkler",
    "Roth",
    "Beck",
    "Lorenz",
    "Baumann",
    "Franke",
    "Albrecht",
    "Schuster",
    "Simon",
    "Ludwig",
    "Böhm",
    "Winter",
    "Kraus",
    "Schumacher",
    "Krämer",
    "Vogt",
    "Stein",
    "Jäger",
    "Otto",
    "Sommer",
    "Groß",
    "Seidel",
    "Heinrich",
    "Brandt",
    "Haas",
    "Schreiber",
    "Graf",
    "Dietrich",
    "Ziegler",
    "Kuhn",
    "Kühn",
    "Pohl",
    "Engel",
    "Horn",
    "Busch",
    "Bergmann",
    "Voigt",
    "Sauer",
    "Arnold",
    "Pfeiffer",
    "von Arnim",
    "von der Heide",
    "Oßwald",
    "Dreßler",
]
ES_FIRST_M = [
    "Antonio",
    "José",
    "Manuel",
    "Francisco",
    "David",
    "Juan",
    "Javier",
    "Daniel",
    "Carlos",
    "Jesús",
    "Alejandro",
    "Miguel",
    "Rafael",
    "Pablo",
    "Sergio",
    "Fernando",
    "Jorge",
    "Luis",
    "Alberto",
    "Álvaro",
    "Diego",
    "Adrián",
    "Raúl",
    "Enrique",
    "Ramón",
    "Ignacio",
    "Guillermo",
    "Iñaki",
    "Íñigo",
    "Jordi",
    "Xavier",
    "Joan",
    "Francisco Javier",
    "José Luis",
    "José Antonio",
    "Juan Carlos",
    "Eduardo",
]
ES_FIRST_F = [
    "María",
    "Carmen",
    "Ana",
    "Laura",
    "Isabel",
    "Cristina",
    "Marta",
    "Lucía",
    "Elena",
    "Pilar",
    "Paula",
    "Sara",
    "Raquel",
    "Rosa",
    "Beatriz",
    "Nuria",
    "Silvia",
    "Patricia",
    "Mercedes",
    "Dolores",
    "Montserrat",
    "Begoña",
    "Ainhoa",
    "María José",
    "María del Carmen",
    "Ana Belén",
    "Inmaculada",
    "Rocío",
    "Concepción",
    "Irene",
    "Alba",
    "Núria",
]
ES_LAST = [
    "García",
    "Rodríguez",
    "González",
    "Fernández",
    "López",
    "Martínez",
    "Sánchez",
    "Pérez",
    "Gómez",
    "Martín",
    "Jiménez",
    "Ruiz",
    "Hernández",
    "Díaz",
    "Moreno",
    "Muñoz",
    "Álvarez",
    "Romero",
    "Alonso",
    "Gutiérrez",
    "Navarro",
    "Torres",
    "Domínguez",
    "Vázquez",
    "Ramos",
    "Gil",
    "Ramírez",
    "Serrano",
    "Blanco",
    "Molina",
    "Morales",
    "Suárez",
    "Ortega",
    "Delgado",
    "Castro",
    "Ortiz",
    "Rubio",
    "Marín",
    "Sanz",
    "Núñez",
    "Iglesias",
    "Medina",
    "Garrido",
    "Cortés",
    "Castillo",
    "Santos",
    "Lozano",
    "Guerrero",
    "Cano",
    "Prieto",
    "Méndez",
    "Cruz",
    "Calvo",
    "Gallego",
    "Vidal",
    "León",
    "Márquez",
    "Herrera",
    "Peña",
    "Flores",
    "Cabrera",
    "Campos",
    "Vega",
    "Fuentes",
    "Carrasco",
    "Caballero",
    "Reyes",
    "Nieto",
    "Aguilar",
    "Pascual",
    "Herrero",
    "Montero",
    "Lorenzo",
    "Hidalgo",
    "Giménez",
    "Ibáñez",
    "Ferrer",
    "Durán",
    "Benítez",
    "Mora",
    "Vicente",
    "Vargas",
    "Arias",
    "Carmona",
    "Crespo",
    "Pastor",
    "Soto",
    "Sáez",
    "Velasco",
    "Soler",
    "Parra",
    "Esteban",
    "Bravo",
    "Echeverría",
    "Urrutia",
    "Ibarra",
    "Peñalver",
    "Zubizarreta",
]
IT_FIRST_M = [
    "Marco",
    "Giuseppe",
    "Giovanni",
    "Antonio",
    "Francesco",
    "Alessandro",
    "Andrea",
    "Luca",
    "Matteo",
    "Lorenzo",
    "Roberto",
    "Stefano",
    "Paolo",
    "Davide",
    "Simone",
    "Federico",
    "Riccardo",
    "Daniele",
    "Massimo",
    "Fabio",
    "Salvatore",
    "Vincenzo",
    "Domenico",
    "Emanuele",
    "Nicola",
    "Pietro",
    "Gianluca",
    "Massimiliano",
    "Raffaele",
    "Niccolò",
    "Tommaso",
]
IT_FIRST_F = [
    "Maria",
    "Giulia",
    "Francesca",
    "Chiara",
    "Sara",
    "Alessandra",
    "Valentina",
    "Federica",
    "Elena",
    "Silvia",
    "Laura",
    "Paola",
    "Anna",
    "Martina",
    "Roberta",
    "Elisabetta",
    "Giorgia",
    "Ilaria",
    "Beatrice",
    "Claudia",
    "Michela",
    "Serena",
    "Antonella",
    "Simona",
    "Daniela",
    "Cristina",
    "Lucia",
]
IT_LAST = [
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "Romano",
    "Colombo",
    "Ricci",
    "Marino",
    "Greco",
    "Bruno",
    "Gallo",
    "Conti",
    "De Luca",
    "Mancini",
    "Costa",
    "Giordano",
    "Rizzo",
    "Lombardi",
    "Moretti",
    "Barbieri",
    "Fontana",
    "Santoro",
    "Mariani",
    "Rinaldi",
    "Caruso",
    "Ferrara",
    "Galli",
    "Martini",
    "Leone",
    "Longo",
    "Gentile",
    "Martinelli",
    "Vitale",
    "Lombardo",
    "Serra",
    "Coppola",
    "De Santis",
    "D'Angelo",
    "Marchetti",
    "Parisi",
    "Villa",
    "Conte",
    "Ferraro",
    "Ferri",
    "Fabbri",
    "Bianco",
    "Marini",
    "Grasso",
    "Valentini",
    "Messina",
    "Sala",
    "De Angelis",
    "Gatti",
    "Pellegrini",
    "Palumbo",
    "Sanna",
    "Farina",
    "Rizzi",
    "Monti",
    "Cattaneo",
    "Morelli",
    "Amato",
    "Silvestri",
    "Mazza",
    "Testa",
    "Grassi",
    "Carbone",
    "Giuliani",
    "Benedetti",
    "Barone",
    "Caputo",
    "Montanari",
    "Guerra",
    "Palmieri",
    "Bernardi",
    "Fiore",
    "De Rosa",
    "Ferretti",
    "Bellini",
    "Basile",
    "Riva",
    "Donati",
    "Piras",
    "Sartori",
    "Neri",
    "Milani",
    "Pagano",
    "Ruggiero",
    "Sorrentino",
    "D'Amico",
    "Orlando",
    "Negri",
    "Forlì",
    "Niccolò",
]

COMMON = {  # very common names, many different people share them
    "fr": [
        ("Marie", "Martin", "f"),
        ("Jean", "Martin", "m"),
        ("Nicolas", "Bernard", "m"),
        ("Sophie", "Petit", "f"),
        ("Pierre", "Dubois", "m"),
        ("Isabelle", "Durand", "f"),
        ("Philippe", "Moreau", "m"),
        ("Nathalie", "Laurent", "f"),
        ("Thomas", "Lefebvre", "m"),
        ("Julie", "Michel", "f"),
        ("David", "Martin", "m"),
        ("Sandrine", "Bernard", "f"),
    ],
    "uk": [
        ("John", "Smith", "m"),
        ("David", "Jones", "m"),
        ("Sarah", "Williams", "f"),
        ("James", "Brown", "m"),
        ("Emma", "Taylor", "f"),
        ("Paul", "Wilson", "m"),
    ],
    "us": [
        ("John", "Smith", "m"),
        ("Michael", "Johnson", "m"),
        ("David", "Garcia", "m"),
        ("Jennifer", "Brown", "f"),
        ("James", "Williams", "m"),
        ("Maria", "Rodriguez", "f"),
    ],
    "de": [
        ("Thomas", "Müller", "m"),
        ("Michael", "Schmidt", "m"),
        ("Anna", "Schneider", "f"),
        ("Stefan", "Fischer", "m"),
    ],
    "es": [
        ("David", "García", "m"),
        ("María", "García", "f"),
        ("José", "Martínez", "m"),
        ("Antonio", "Fernández", "m"),
        ("Laura", "López", "f"),
    ],
    "it": [
        ("Marco", "Rossi", "m"),
        ("Giuseppe", "Russo", "m"),
        ("Maria", "Esposito", "f"),
        ("Francesca", "Bianchi", "f"),
    ],
}

NICKS = {
    "fr": {
        "Alexandre": ["Alex"],
        "Alexandra": ["Alex"],
        "Frédéric": ["Fred"],
        "Frédérique": ["Fred"],
        "Christophe": ["Chris"],
        "Nicolas": ["Nico"],
        "Sébastien": ["Seb", "Séb"],
        "Maxime": ["Max"],
        "Benjamin": ["Ben"],
        "Catherine": ["Cathy"],
        "Stéphanie": ["Steph", "Stéph"],
        "Véronique": ["Véro"],
        "Dominique": ["Dom"],
        "Emmanuel": ["Manu"],
        "Emmanuelle": ["Manue"],
        "Jean-Pierre": ["J-P", "JP", "Jean-P."],
        "Jean-François": ["J-F", "JF"],
        "Jean-Marc": ["J-M", "JM"],
        "Jean-Luc": ["J-L"],
        "Jean-Michel": ["J-M"],
        "Jean-Claude": ["J-C"],
        "Jean-Baptiste": ["J-B", "JB"],
        "Pierre-Yves": ["P-Y", "PY"],
        "Jean-Christophe": ["J-C"],
        "Jean-Philippe": ["J-P"],
        "Marie-Christine": ["Marie-Chr.", "M-Christine"],
        "Marie-Claire": ["M-Claire"],
        "Marie-Hélène": ["M-Hélène", "Marie-H."],
        "Anne-Sophie": ["A-Sophie", "Anne-So"],
        "Anne-Laure": ["A-Laure"],
        "Marie-Laure": ["M-Laure"],
        "Thomas": ["Tom"],
        "Mathieu": ["Matt"],
        "Matthieu": ["Matt"],
        "Isabelle": ["Isa"],
        "Valérie": ["Val"],
        "Philippe": ["Phil"],
        "Patrick": ["Pat"],
        "Charlotte": ["Charlie"],
        "Anthony": ["Tony"],
        "Jonathan": ["Jon"],
        "Raphaël": ["Raph"],
        "Florence": ["Flo"],
        "Florian": ["Flo"],
        "Aurélien": ["Aurel"],
        "Timothée": ["Tim"],
        "Christelle": ["Chris"],
        "Guillaume": ["Guillaume"],
        "Grégory": ["Greg", "Grég"],
        "Mickaël": ["Mika"],
    },
    "en": {
        "Robert": ["Bob", "Rob"],
        "William": ["Bill", "Will"],
        "Katherine": ["Kate", "Katie"],
        "Catherine": ["Cathy", "Kate"],
        "Kathleen": ["Kathy"],
        "Elizabeth": ["Liz", "Beth"],
        "Michael": ["Mike"],
        "James": ["Jim", "Jamie"],
        "Richard": ["Rick", "Rich"],
        "Thomas": ["Tom"],
        "Christopher": ["Chris"],
        "Jennifer": ["Jen", "Jenny"],
        "Daniel": ["Dan", "Danny"],
        "Matthew": ["Matt"],
        "Jonathan": ["Jon"],
        "Alexander": ["Alex"],
        "Margaret": ["Maggie", "Peggy"],
        "Patricia": ["Pat", "Trish"],
        "Andrew": ["Andy", "Drew"],
        "Anthony": ["Tony"],
        "Samuel": ["Sam"],
        "Samantha": ["Sam"],
        "Benjamin": ["Ben"],
        "Nicholas": ["Nick"],
        "Joseph": ["Joe"],
        "Edward": ["Ed", "Ted"],
        "Rebecca": ["Becky"],
        "Victoria": ["Vicky"],
        "Susan": ["Sue"],
        "Deborah": ["Debbie"],
        "Steven": ["Steve"],
        "Stephen": ["Steve"],
        "Timothy": ["Tim"],
        "David": ["Dave"],
        "Jessica": ["Jess"],
        "Charles": ["Charlie", "Chuck"],
        "Gregory": ["Greg"],
        "Jeffrey": ["Jeff"],
        "Kenneth": ["Ken"],
        "Ronald": ["Ron"],
        "Donald": ["Don"],
        "Peter": ["Pete"],
        "Philip": ["Phil"],
        "Lawrence": ["Larry"],
        "Frederick": ["Fred"],
        "Zachary": ["Zach"],
        "Joshua": ["Josh"],
        "Nathan": ["Nate"],
        "Nathaniel": ["Nate"],
        "Abigail": ["Abby"],
        "Jacqueline": ["Jackie"],
        "Christina": ["Tina"],
        "Alexandra": ["Alex"],
        "Cynthia": ["Cindy"],
        "Pamela": ["Pam"],
        "Kimberly": ["Kim"],
        "Kimberley": ["Kim"],
        "Melissa": ["Mel"],
        "Amanda": ["Mandy"],
        "Stephanie": ["Steph"],
        "Raymond": ["Ray"],
        "Douglas": ["Doug"],
        "Terence": ["Terry"],
        "Leonard": ["Len"],
        "Gareth": ["Gaz"],
        "Christine": ["Chris"],
        "Benedict": ["Ben"],
    },
    "de": {
        "Johannes": ["Hannes"],
        "Alexander": ["Alex"],
        "Christian": ["Chris"],
        "Michael": ["Micha"],
        "Stefanie": ["Steffi"],
        "Katharina": ["Kathi"],
        "Elisabeth": ["Lisa"],
        "Maximilian": ["Max"],
        "Benedikt": ["Ben"],
        "Sebastian": ["Basti"],
        "Andreas": ["Andi"],
        "Thomas": ["Tom"],
        "Tobias": ["Tobi"],
        "Franziska": ["Franzi"],
        "Alexandra": ["Alex"],
        "Hans-Peter": ["H.-P."],
        "Karl-Heinz": ["K.-H."],
    },
    "es": {
        "Francisco": ["Paco", "Fran"],
        "José": ["Pepe"],
        "Ignacio": ["Nacho"],
        "Manuel": ["Manolo"],
        "Alejandro": ["Álex"],
        "Guillermo": ["Guille"],
        "Jesús": ["Chus"],
        "Dolores": ["Lola"],
        "Concepción": ["Concha"],
        "Mercedes": ["Merche"],
        "Enrique": ["Quique"],
        "Fernando": ["Nando"],
        "Antonio": ["Toni"],
        "Cristina": ["Cris"],
        "Daniel": ["Dani"],
        "Eduardo": ["Edu"],
        "Francisco Javier": ["Javier", "Fco. Javier"],
        "José Luis": ["J. Luis"],
        "María José": ["Mª José", "M. José"],
        "José Antonio": ["J. Antonio"],
        "Juan Carlos": ["J. Carlos"],
        "María del Carmen": ["Mari Carmen", "Mª Carmen"],
        "Inmaculada": ["Inma"],
        "Montserrat": ["Montse"],
    },
    "it": {
        "Giuseppe": ["Beppe", "Pino"],
        "Francesco": ["Franco"],
        "Alessandro": ["Alex", "Sandro"],
        "Giovanni": ["Gianni"],
        "Antonio": ["Toni"],
        "Vincenzo": ["Enzo"],
        "Domenico": ["Mimmo"],
        "Massimiliano": ["Max"],
        "Alessandra": ["Ale"],
        "Federica": ["Fede"],
        "Federico": ["Fede"],
        "Emanuele": ["Manu"],
        "Elisabetta": ["Betta"],
        "Matteo": ["Teo"],
        "Raffaele": ["Lele"],
        "Daniele": ["Dani"],
        "Salvatore": ["Totò"],
    },
}
NICKS["fr"]["Guillaume"] = []
_FR_BAD = {
    "Alexandrie",
    "Alexandria",
    "Alex",
    "Arnaude",
    "Nath",
    "Olivie",
    "Lucy",
    "Margaret",
    "Maggie",
    "Susan",
    "Susanne",
    "Margaud",
    "Célina",
    "Luce",
    "Anastasie",
    "William",
    "Isaac",
    "Zacharie",
    "Honoré",
    "Théophile",
    "Alphonse",
    "Aimé",
    "Auguste",
    "Martin",
}
FAKER_FR_M = [n for n in _fr_person.Provider.first_names_male if n not in _FR_BAD]
FAKER_FR_F = [n for n in _fr_person.Provider.first_names_female if n not in _FR_BAD]
# surname pools: France-only lists are small, so mix in Walloon and Quebec surnames
# (mostly of French origin)
FR_LAST_POOL = (
    list(_fr_person.Provider.last_names) * 3
    + list(_be_person.Provider.last_names)
    + [
        n
        for n in _ca_person.Provider.last_names
        if n not in ("Tremblay", "Gagnon", "Ouellet", "Ouellette")
    ]
)
_ok = re.compile(r"^[A-ZÄÖÜÀ-Ý][a-zäöüßà-ÿ']+(-[A-Z][a-zäöüßà-ÿ]+)?$")
EXTRA_LAST = {
    "de": [n for n in _de_person.Provider.last_names if _ok.match(n)],
    "es": [n for n in _es_person.Provider.last_names if _ok.match(n)],
    "it": [
        n
        for n in _it_person.Provider.last_names
        if _ok.match(n)
        and n
        not in (
            "Brunelleschi",
            "Toscanini",
            "Borghese",
            "Badoglio",
            "Tron",
            "Badoer",
            "Volta",
            "Nievo",
        )
    ],
}  # no usual short form
LANG = {"fr": "fr", "uk": "en", "us": "en", "de": "de", "es": "es", "it": "it"}

CIVILITY = {
    "fr": {
        "m": [(70, "M."), (15, "Dr"), (10, "Dr."), (5, "Me")],
        "f": [(75, "Mme"), (15, "Dr"), (10, "Dr.")],
    },
    "en": {
        "m": [(55, "Mr"), (20, "Mr."), (25, "Dr.")],
        "f": [(35, "Ms"), (20, "Mrs"), (15, "Ms."), (30, "Dr.")],
    },
    "de": {
        "m": [(50, "Herr"), (35, "Dr."), (15, "Prof. Dr.")],
        "f": [(50, "Frau"), (35, "Dr."), (15, "Prof. Dr.")],
    },
    "es": {"m": [(60, "Sr."), (40, "Dr.")], "f": [(60, "Sra."), (40, "Dra.")]},
    "it": {
        "m": [(45, "Dott."), (30, "Ing."), (15, "Avv."), (10, "Sig.")],
        "f": [(55, "Dott.ssa"), (25, "Ing."), (20, "Sig.ra")],
    },
}

# --------------------------------------------------------------------------
# job titles  (masculine, feminine, english)
# --------------------------------------------------------------------------
FR_TITLES = [
    ("Directeur commercial", "Directrice commerciale", "Sales Director"),
    ("Responsable marketing", "Responsable marketing", "Marketing Manager"),
    ("DAF", "DAF", "CFO"),
    ("Directeur administratif et financier", "Directrice administrative et financière", "CFO"),
    ("Chargé de communication", "Chargée de communication", "Communications Officer"),
    ("Directeur général", "Directrice générale", "CEO"),
    ("Président", "Présidente", "President"),
    ("PDG", "PDG", "CEO"),
    ("Gérant", "Gérante", "Managing Director"),
    ("DRH", "DRH", "HR Director"),
    ("Responsable des achats", "Responsable des achats", "Procurement Manager"),
    ("Acheteur", "Acheteuse", "Buyer"),
    ("Chef de projet", "Cheffe de projet", "Project Manager"),
    ("Ingénieur commercial", "Ingénieure commerciale", "Account Executive"),
    ("DSI", "DSI", "CIO"),
    ("Directeur technique", "Directrice technique", "CTO"),
    ("Responsable comptable", "Responsable comptable", "Accounting Manager"),
    ("Contrôleur de gestion", "Contrôleuse de gestion", "Financial Controller"),
    ("Chef de produit", "Cheffe de produit", "Product Manager"),
    ("Responsable grands comptes", "Responsable grands comptes", "Key Account Manager"),
    ("Assistant de direction", "Assistante de direction", "Executive Assistant"),
    ("Office manager", "Office manager", "Office Manager"),
    ("Directeur marketing", "Directrice marketing", "CMO"),
    ("Responsable RH", "Responsable RH", "HR Manager"),
    ("Responsable logistique", "Responsable logistique", "Logistics Manager"),
    ("Directeur des opérations", "Directrice des opérations", "COO"),
    ("Responsable communication", "Responsable communication", "Communications Manager"),
    ("Développeur", "Développeuse", "Software Developer"),
    ("Consultant", "Consultante", "Consultant"),
    ("Juriste", "Juriste", "Legal Counsel"),
    ("Responsable qualité", "Responsable qualité", "Quality Manager"),
    ("Directeur d'agence", "Directrice d'agence", "Branch Manager"),
    ("Chargé d'affaires", "Chargée d'affaires", "Business Manager"),
    ("Technico-commercial", "Technico-commerciale", "Technical Sales Representative"),
    ("Business developer", "Business developer", "Business Developer"),
]
FR_EXPAND = {
    ("DAF", "m"): "Directeur administratif et financier",
    ("DAF", "f"): "Directrice administrative et financière",
    ("DRH", "m"): "Directeur des ressources humaines",
    ("DRH", "f"): "Directrice des ressources humaines",
    ("DSI", "m"): "Directeur des systèmes d'information",
    ("DSI", "f"): "Directrice des systèmes d'information",
    ("PDG", "m"): "Président-directeur général",
    ("PDG", "f"): "Présidente-directrice générale",
    ("Directeur général", "m"): "DG",
    ("Directrice générale", "f"): "DG",
    ("Directeur administratif et financier", "m"): "DAF",
    ("Directrice administrative et financière", "f"): "DAF",
}
EN_TITLES = {
    "VP Sales": ["Vice President of Sales", "VP, Sales", "V.P. Sales", "VP of Sales"],
    "Head of Marketing": ["Marketing Lead", "Head of Marketing & Communications"],
    "CFO": ["Chief Financial Officer"],
    "CEO": ["Chief Executive Officer", "Founder & CEO", "Co-Founder & CEO"],
    "CTO": ["Chief Technology Officer"],
    "Marketing Manager": ["Marketing Mgr", "Sr. Marketing Manager"],
    "Sales Director": ["Director of Sales", "Director, Sales"],
    "Account Executive": ["AE", "Senior Account Executive", "Account Exec"],
    "Procurement Manager": ["Purchasing Manager", "Head of Procurement"],
    "HR Director": ["Director of HR", "Head of People", "Director of Human Resources"],
    "Operations Manager": ["Ops Manager", "Head of Operations"],
    "Office Manager": [],
    "Business Development Manager": ["BDM", "Business Development Mgr", "Biz Dev Manager"],
    "Product Manager": ["Senior Product Manager"],
    "Software Engineer": ["Senior Software Engineer", "Software Developer"],
    "Finance Director": ["Director of Finance"],
    "Managing Director": ["MD"],
    "Head of Sales": ["Sales Lead"],
    "Marketing Director": ["Director of Marketing"],
    "Customer Success Manager": ["CSM"],
    "IT Director": ["Director of IT", "Head of IT"],
    "COO": ["Chief Operating Officer"],
    "General Counsel": ["Legal Counsel"],
    "Executive Assistant": ["EA to the CEO"],
    "Key Account Manager": ["KAM"],
    "Growth Manager": ["Head of Growth"],
    "Data Analyst": ["Senior Data Analyst"],
    "CIO": ["Chief Information Officer"],
    "CMO": ["Chief Marketing Officer"],
    "Project Manager": ["PM", "Senior Project Manager"],
    "Buyer": ["Senior Buyer"],
}
EN_TITLE_LIST = list(EN_TITLES)
FR_EN_TITLES = [
    "Head of Sales",
    "Growth Manager",
    "Customer Success Manager",
    "Head of Marketing",
    "CEO",
    "CTO",
    "Account Executive",
    "Product Manager",
    "Business Development Manager",
    "Key Account Manager",
    "Data Analyst",
]
DE_TITLES = [
    ("Geschäftsführer", "Geschäftsführerin", "Managing Director"),
    ("Vertriebsleiter", "Vertriebsleiterin", "Head of Sales"),
    ("Leiter Marketing", "Leiterin Marketing", "Head of Marketing"),
    ("Einkaufsleiter", "Einkaufsleiterin", "Procurement Manager"),
    ("Personalleiter", "Personalleiterin", "HR Director"),
    ("Key Account Manager", "Key Account Managerin", "Key Account Manager"),
    ("Projektleiter", "Projektleiterin", "Project Manager"),
    ("Kaufmännischer Leiter", "Kaufmännische Leiterin", "CFO"),
    ("Technischer Leiter", "Technische Leiterin", "CTO"),
    ("Vorstandsvorsitzender", "Vorstandsvorsitzende", "CEO"),
    ("Softwareentwickler", "Softwareentwicklerin", "Software Engineer"),
    ("Prokurist", "Prokuristin", "Authorized Signatory"),
    ("Assistenz der Geschäftsführung", "Assistenz der Geschäftsführung", "Executive Assistant"),
    ("Leiter Finanzen und Controlling", "Leiterin Finanzen und Controlling", "Finance Director"),
    ("Außendienstmitarbeiter", "Außendienstmitarbeiterin", "Field Sales Representative"),
]
ES_TITLES = [
    ("Director comercial", "Directora comercial", "Sales Director"),
    ("Director de marketing", "Directora de marketing", "Marketing Director"),
    ("Responsable de compras", "Responsable de compras", "Procurement Manager"),
    ("Director general", "Directora general", "CEO"),
    ("Director financiero", "Directora financiera", "CFO"),
    ("Jefe de proyecto", "Jefa de proyecto", "Project Manager"),
    ("Responsable de recursos humanos", "Responsable de recursos humanos", "HR Manager"),
    ("Gerente", "Gerente", "Managing Director"),
    ("Técnico comercial", "Técnica comercial", "Sales Representative"),
    ("Ingeniero de software", "Ingeniera de software", "Software Engineer"),
    ("Director de operaciones", "Directora de operaciones", "COO"),
    ("Responsable de logística", "Responsable de logística", "Logistics Manager"),
]
IT_TITLES = [
    ("Direttore commerciale", "Direttrice commerciale", "Sales Director"),
    ("Responsabile marketing", "Responsabile marketing", "Marketing Manager"),
    ("Amministratore delegato", "Amministratrice delegata", "CEO"),
    ("Direttore finanziario", "Direttrice finanziaria", "CFO"),
    ("Responsabile acquisti", "Responsabile acquisti", "Procurement Manager"),
    ("Responsabile risorse umane", "Responsabile risorse umane", "HR Manager"),
    ("Project manager", "Project manager", "Project Manager"),
    ("Direttore tecnico", "Direttrice tecnica", "CTO"),
    ("Responsabile logistica", "Responsabile logistica", "Logistics Manager"),
    ("Sviluppatore software", "Sviluppatrice software", "Software Developer"),
    ("Key account manager", "Key account manager", "Key Account Manager"),
    ("Titolare", "Titolare", "Owner"),
]
TOP_TITLES = {
    "PDG",
    "Président",
    "Présidente",
    "Gérant",
    "Gérante",
    "Titolare",
    "Gerente",
    "Geschäftsführer",
    "Geschäftsführerin",
    "Vorstandsvorsitzender",
    "Vorstandsvorsitzende",
    "Directeur général",
    "Directrice générale",
    "Amministratore delegato",
    "Amministratrice delegata",
    "Director general",
    "Directora general",
    "CEO",
    "Managing Director",
    "Owner",
    "President",
    "COO",
    "CFO",
    "CTO",
    "CIO",
    "CMO",
}
NATIVE_TITLES = {"fr": FR_TITLES, "de": DE_TITLES, "es": ES_TITLES, "it": IT_TITLES}

# --------------------------------------------------------------------------
# geography: cities, postcodes, phone areas
# --------------------------------------------------------------------------
FR_CITIES = [  # name, weight, postcodes, area digit
    ("Paris", 30, [f"750{i:02d}" for i in range(1, 21)], "1"),
    ("Boulogne-Billancourt", 3, ["92100"], "1"),
    ("Neuilly-sur-Seine", 2, ["92200"], "1"),
    ("Levallois-Perret", 2, ["92300"], "1"),
    ("Issy-les-Moulineaux", 2, ["92130"], "1"),
    ("Courbevoie", 2, ["92400"], "1"),
    ("Puteaux", 2, ["92800"], "1"),
    ("Nanterre", 1.5, ["92000"], "1"),
    ("Saint-Denis", 1.5, ["93200", "93210"], "1"),
    ("Rueil-Malmaison", 1, ["92500"], "1"),
    ("Massy", 1, ["91300"], "1"),
    ("Versailles", 1, ["78000"], "1"),
    ("Lyon", 9, [f"6900{i}" for i in range(1, 10)], "4"),
    ("Villeurbanne", 1.5, ["69100"], "4"),
    ("Marseille", 5, [f"130{i:02d}" for i in range(1, 17)], "4"),
    ("Aix-en-Provence", 1.5, ["13090", "13100", "13290"], "4"),
    ("Nice", 2, ["06000", "06100", "06200", "06300"], "4"),
    ("Valbonne", 1, ["06560"], "4"),
    ("Montpellier", 2, ["34000", "34070", "34080", "34090"], "4"),
    ("Grenoble", 2, ["38000", "38100"], "4"),
    ("Saint-Étienne", 1, ["42000", "42100"], "4"),
    ("Annecy", 1, ["74000"], "4"),
    ("Clermont-Ferrand", 1, ["63000", "63100"], "4"),
    ("Nantes", 5, ["44000", "44100", "44200", "44300"], "2"),
    ("Rennes", 3, ["35000", "35200", "35700"], "2"),
    ("Angers", 1, ["49000", "49100"], "2"),
    ("Rouen", 1.5, ["76000", "76100"], "2"),
    ("Caen", 1, ["14000"], "2"),
    ("Tours", 1, ["37000", "37100"], "2"),
    ("Orléans", 1, ["45000"], "2"),
    ("Brest", 1, ["29200"], "2"),
    ("Le Mans", 1, ["72000", "72100"], "2"),
    ("Lille", 5, ["59000", "59800", "59160"], "3"),
    ("Strasbourg", 3, ["67000", "67100", "67200"], "3"),
    ("Reims", 1, ["51100"], "3"),
    ("Metz", 1, ["57000"], "3"),
    ("Dijon", 1, ["21000"], "3"),
    ("Bordeaux", 5, ["33000", "33100", "33200", "33300", "33800"], "5"),
    ("Mérignac", 1, ["33700"], "5"),
    ("Toulouse", 5, ["31000", "31100", "31200", "31300", "31400", "31500"], "5"),
    ("Limoges", 1, ["87000"], "5"),
    ("Pau", 0.5, ["64000"], "5"),
]
UK_CITIES = [  # name, weight, outward codes, dialling code
    (
        "London",
        40,
        [
            "EC1V",
            "EC2A",
            "EC2M",
            "EC3V",
            "EC4M",
            "WC1X",
            "WC2H",
            "W1T",
            "W1F",
            "SE1",
            "SW1P",
            "E1",
            "E14",
            "N1",
            "NW1",
        ],
        "020",
    ),
    ("Manchester", 8, ["M1", "M2", "M3", "M4", "M15"], "0161"),
    ("Birmingham", 6, ["B1", "B2", "B3", "B4"], "0121"),
    ("Leeds", 5, ["LS1", "LS2", "LS11"], "0113"),
    ("Bristol", 5, ["BS1", "BS2", "BS8"], "0117"),
    ("Edinburgh", 5, ["EH1", "EH2", "EH3", "EH8"], "0131"),
    ("Glasgow", 4, ["G1", "G2", "G3"], "0141"),
    ("Cambridge", 3, ["CB1", "CB2", "CB4"], "01223"),
    ("Reading", 3, ["RG1", "RG2"], "0118"),
    ("Oxford", 2, ["OX1", "OX2", "OX4"], "01865"),
]
US_CITIES = [  # name, state, weight, zip prefix, area codes
    ("New York", "NY", 20, "100", ["212", "646", "917"]),
    ("San Francisco", "CA", 12, "941", ["415", "628"]),
    ("Boston", "MA", 8, "021", ["617", "857"]),
    ("Chicago", "IL", 8, "606", ["312", "773"]),
    ("Austin", "TX", 6, "787", ["512", "737"]),
    ("Seattle", "WA", 6, "981", ["206"]),
    ("Los Angeles", "CA", 7, "900", ["213", "310", "323"]),
    ("Atlanta", "GA", 5, "303", ["404", "470"]),
    ("Denver", "CO", 4, "802", ["303", "720"]),
    ("Miami", "FL", 4, "331", ["305", "786"]),
    ("Palo Alto", "CA", 3, "943", ["650"]),
    ("Washington", "DC", 4, "200", ["202"]),
]
DE_CITIES = [  # name, weight, postcode range, area code, subscriber length
    ("Berlin", 20, (10115, 14199), "030", 8),
    ("München", 14, (80331, 81929), "089", 8),
    ("Hamburg", 12, (20095, 22769), "040", 8),
    ("Frankfurt am Main", 10, (60306, 60599), "069", 8),
    ("Köln", 8, (50667, 51149), "0221", 7),
    ("Düsseldorf", 7, (40210, 40629), "0211", 7),
    ("Stuttgart", 7, (70173, 70629), "0711", 7),
    ("Leipzig", 4, (4103, 4357), "0341", 7),
    ("Dresden", 3, (1067, 1328), "0351", 7),
    ("Nürnberg", 4, (90402, 90491), "0911", 7),
    ("Hannover", 4, (30159, 30669), "0511", 7),
]
ES_CITIES = [
    ("Madrid", 35, (28001, 28055), "91", 7),
    ("Barcelona", 25, (8001, 8042), "93", 7),
    ("Valencia", 10, (46001, 46026), "96", 7),
    ("Sevilla", 7, (41001, 41020), "954", 6),
    ("Bilbao", 6, (48001, 48015), "944", 6),
    ("Málaga", 6, (29001, 29018), "952", 6),
    ("Zaragoza", 5, (50001, 50018), "976", 6),
    ("Alicante", 3, (3001, 3016), "965", 6),
]
IT_CITIES = [
    ("Milano", 35, (20121, 20162), "02", 8),
    ("Roma", 25, (118, 199), "06", 8),
    ("Torino", 10, (10121, 10156), "011", 7),
    ("Bologna", 8, (40121, 40141), "051", 7),
    ("Firenze", 6, (50121, 50145), "055", 7),
    ("Napoli", 6, (80121, 80147), "081", 7),
    ("Genova", 4, (16121, 16167), "010", 7),
    ("Padova", 3, (35121, 35143), "049", 7),
    ("Verona", 3, (37121, 37142), "045", 7),
]
CITY_ALIASES = {
    "München": ["Munich", "Muenchen"],
    "Köln": ["Cologne", "Koeln"],
    "Frankfurt am Main": ["Frankfurt", "Frankfurt a. M.", "Frankfurt/Main"],
    "Nürnberg": ["Nuremberg", "Nuernberg"],
    "Düsseldorf": ["Duesseldorf"],
    "Hannover": ["Hanover"],
    "Milano": ["Milan"],
    "Roma": ["Rome"],
    "Torino": ["Turin"],
    "Firenze": ["Florence"],
    "Napoli": ["Naples"],
    "Genova": ["Genoa"],
    "Padova": ["Padua"],
    "Sevilla": ["Seville"],
    "New York": ["New York City", "NYC"],
    "San Francisco": ["SF"],
    "Saint-Étienne": ["St-Étienne", "St Etienne"],
    "Saint-Denis": ["St-Denis"],
    "Courbevoie": ["Paris La Défense", "La Défense"],
    "Puteaux": ["Paris La Défense", "La Défense"],
    "Valbonne": ["Sophia Antipolis", "Valbonne Sophia Antipolis"],
}
COUNTRY = {
    "fr": {
        "crm": [(88, "France"), (6, "FR"), (6, "FRANCE")],
        "badge": [(50, "FRANCE"), (40, "France"), (10, "FR")],
        "web": [(100, "France")],
        "list": [(50, "FR"), (40, "France"), (10, "FRANCE")],
    },
    "uk": {
        "crm": [(55, "United Kingdom"), (20, "Royaume-Uni"), (15, "UK"), (10, "England")],
        "badge": [(30, "UNITED KINGDOM"), (40, "UK"), (15, "ROYAUME-UNI"), (15, "GB")],
        "web": [(70, "United Kingdom"), (30, "UK")],
        "list": [(50, "GB"), (40, "United Kingdom"), (10, "UK")],
    },
    "us": {
        "crm": [(55, "United States"), (15, "États-Unis"), (25, "USA"), (5, "US")],
        "badge": [(50, "USA"), (30, "UNITED STATES"), (20, "ETATS-UNIS")],
        "web": [(50, "USA"), (50, "United States")],
        "list": [(50, "US"), (40, "United States"), (10, "USA")],
    },
    "de": {
        "crm": [(40, "Allemagne"), (40, "Germany"), (15, "Deutschland"), (5, "DE")],
        "badge": [(40, "ALLEMAGNE"), (40, "GERMANY"), (20, "DE")],
        "web": [(60, "Deutschland"), (40, "Germany")],
        "list": [(50, "DE"), (50, "Germany")],
    },
    "es": {
        "crm": [(40, "Espagne"), (40, "Spain"), (15, "España"), (5, "ES")],
        "badge": [(40, "ESPAGNE"), (40, "SPAIN"), (20, "ES")],
        "web": [(60, "España"), (40, "Spain")],
        "list": [(50, "ES"), (50, "Spain")],
    },
    "it": {
        "crm": [(40, "Italie"), (40, "Italy"), (15, "Italia"), (5, "IT")],
        "badge": [(40, "ITALIE"), (40, "ITALY"), (20, "IT")],
        "web": [(60, "Italia"), (40, "Italy")],
        "list": [(50, "IT"), (50, "Italy")],
    },
}
PERSONAL_DOMAINS = {
    "fr": [
        (40, "gmail.com"),
        (12, "hotmail.fr"),
        (4, "hotmail.com"),
        (12, "orange.fr"),
        (8, "free.fr"),
        (5, "wanadoo.fr"),
        (7, "yahoo.fr"),
        (5, "laposte.net"),
        (3, "sfr.fr"),
        (4, "outlook.fr"),
        (3, "icloud.com"),
    ],
    "uk": [
        (40, "gmail.com"),
        (15, "hotmail.co.uk"),
        (10, "outlook.com"),
        (10, "yahoo.co.uk"),
        (8, "btinternet.com"),
        (6, "icloud.com"),
        (4, "live.co.uk"),
        (3, "sky.com"),
    ],
    "us": [
        (50, "gmail.com"),
        (15, "yahoo.com"),
        (8, "outlook.com"),
        (8, "hotmail.com"),
        (8, "icloud.com"),
        (5, "aol.com"),
        (4, "comcast.net"),
    ],
    "de": [
        (25, "gmail.com"),
        (25, "gmx.de"),
        (25, "web.de"),
        (12, "t-online.de"),
        (5, "outlook.de"),
        (5, "yahoo.de"),
    ],
    "es": [
        (45, "gmail.com"),
        (20, "hotmail.com"),
        (10, "hotmail.es"),
        (10, "yahoo.es"),
        (8, "outlook.es"),
        (4, "telefonica.net"),
    ],
    "it": [
        (40, "gmail.com"),
        (20, "libero.it"),
        (10, "hotmail.it"),
        (10, "yahoo.it"),
        (8, "virgilio.it"),
        (6, "alice.it"),
        (3, "tiscali.it"),
    ],
}
GENERIC_LOCAL = {
    "fr": [(60, "contact"), (20, "info"), (10, "accueil"), (5, "commercial"), (5, "bonjour")],
    "uk": [(45, "info"), (20, "hello"), (15, "enquiries"), (10, "sales"), (10, "office")],
    "us": [(45, "info"), (25, "hello"), (15, "sales"), (15, "contact")],
    "de": [(60, "info"), (25, "kontakt"), (15, "office")],
    "es": [(60, "info"), (30, "contacto"), (10, "administracion")],
    "it": [(60, "info"), (25, "segreteria"), (15, "amministrazione")],
}
EMAIL_PATTERNS = {  # company-wide address convention
    "fr": [
        (58, "first.last"),
        (10, "flast"),
        (10, "f.last"),
        (5, "first"),
        (7, "firstlast"),
        (3, "first_last"),
        (3, "last.first"),
        (4, "last"),
    ],
    "uk": [
        (50, "first.last"),
        (15, "flast"),
        (8, "f.last"),
        (8, "first"),
        (10, "firstlast"),
        (4, "first_last"),
        (5, "firstl"),
    ],
    "us": [
        (35, "first.last"),
        (25, "flast"),
        (15, "first"),
        (10, "firstl"),
        (10, "firstlast"),
        (5, "f.last"),
    ],
    "de": [(60, "first.last"), (15, "f.last"), (10, "flast"), (10, "last"), (5, "firstlast")],
    "es": [(50, "first.last"), (25, "flast"), (10, "first"), (10, "f.last"), (5, "firstlast")],
    "it": [(60, "first.last"), (15, "f.last"), (10, "flast"), (10, "first"), (5, "last.first")],
}
WEB_PATHS = {
    "fr": ["/equipe", "/notre-equipe", "/a-propos", "/qui-sommes-nous"],
    "uk": ["/team", "/about-us", "/our-people"],
    "us": ["/team", "/about", "/leadership"],
    "de": ["/team", "/ueber-uns", "/unternehmen/team"],
    "es": ["/equipo", "/quienes-somos"],
    "it": ["/team", "/chi-siamo"],
}

# --------------------------------------------------------------------------
# companies
# --------------------------------------------------------------------------
BRAND_PRE = [
    "Nova",
    "Axi",
    "Opti",
    "Ker",
    "Alti",
    "Lumi",
    "Veri",
    "Sol",
    "Cap",
    "Eco",
    "Inno",
    "Vita",
    "Neo",
    "Ori",
    "Aqua",
    "Terra",
    "Hexa",
    "Quan",
    "Zen",
    "Arca",
    "Bel",
    "Cor",
    "Del",
    "Equi",
    "Flo",
    "Gal",
    "Heli",
    "Ima",
    "Juno",
    "Kali",
    "Lex",
    "Magn",
    "Nor",
    "Omni",
    "Pro",
    "Qual",
    "Rho",
    "Sygn",
    "Tri",
    "Uni",
    "Val",
    "Xen",
    "Zeph",
    "Acti",
    "Bio",
    "Clar",
    "Dyna",
    "Ener",
    "Fides",
    "Gen",
    "Hori",
    "Iso",
    "Meta",
    "Onyx",
    "Pira",
    "Silv",
    "Ultra",
    "Vox",
    "Atl",
    "Stel",
    "Mira",
    "Arc",
    "Tal",
    "Ver",
    "Syl",
    "Cyr",
    "Obe",
    "Pol",
    "Sen",
    "Tem",
]
BRAND_SUF = [
    "lis",
    "ria",
    "vea",
    "ys",
    "ion",
    "ance",
    "tis",
    "ium",
    "eo",
    "ora",
    "ix",
    "on",
    "ea",
    "ane",
    "ence",
    "us",
    "ika",
    "ens",
    "is",
    "ova",
    "ia",
    "ar",
    "ex",
    "alis",
    "ergy",
    "iq",
    "elle",
    "ine",
    "or",
]
EN_COMPOUND_A = [
    "Blue",
    "Green",
    "Red",
    "North",
    "Bright",
    "Clear",
    "Silver",
    "Oak",
    "Stone",
    "West",
    "East",
    "High",
    "Sun",
    "Iron",
    "Gold",
    "Swift",
    "True",
    "Black",
    "White",
    "Deep",
    "Fox",
    "Maple",
    "Cedar",
    "Harbour",
    "River",
]
EN_COMPOUND_B = [
    "field",
    "stone",
    "star",
    "path",
    "view",
    "line",
    "wood",
    "bridge",
    "brook",
    "gate",
    "point",
    "wave",
    "ridge",
    "peak",
    "bay",
    "hill",
    "side",
    "way",
    "works",
    "leaf",
    "light",
    "mark",
]
SECTORS = {
    "fr": [
        "Conseil",
        "Solutions",
        "Technologies",
        "Ingénierie",
        "Industrie",
        "Services",
        "Logistique",
        "Systèmes",
        "Informatique",
        "Énergie",
        "Environnement",
        "Médical",
        "Digital",
        "Distribution",
        "Immobilier",
        "Finance",
        "Formation",
        "Communication",
        "Santé",
        "Sécurité",
        "Bâtiment",
        "Électronique",
        "Emballages",
        "Automatismes",
    ],
    "en": [
        "Consulting",
        "Solutions",
        "Systems",
        "Analytics",
        "Logistics",
        "Engineering",
        "Software",
        "Digital",
        "Partners",
        "Technologies",
        "Labs",
        "Networks",
        "Capital",
        "Media",
        "Health",
        "Energy",
        "Group",
        "Holdings",
        "Industries",
        "Data",
        "Security",
    ],
    "de": [
        "Systemtechnik",
        "Maschinenbau",
        "Logistik",
        "Gebäudetechnik",
        "Software",
        "Consulting",
        "Elektrotechnik",
        "Medizintechnik",
        "Fördertechnik",
        "Umwelttechnik",
        "Verpackung",
        "Prüftechnik",
        "Automation",
        "Solutions",
    ],
    "es": [
        "Soluciones",
        "Ingeniería",
        "Consultores",
        "Logística",
        "Tecnologías",
        "Sistemas",
        "Servicios Integrales",
        "Energía",
        "Digital",
        "Distribución",
    ],
    "it": [
        "Consulting",
        "Sistemi",
        "Tecnologie",
        "Logistica",
        "Impianti",
        "Ingegneria",
        "Servizi",
        "Informatica",
        "Automazione",
        "Elettronica",
    ],
}
TRADE_PREFIX = {  # trade word + surname
    "fr": [
        "Transports",
        "Cabinet",
        "Imprimerie",
        "Menuiserie",
        "Électricité",
        "Établissements",
        "Laboratoires",
        "Ateliers",
        "Constructions",
        "Fonderie",
        "Chaudronnerie",
        "Maison",
    ],
    "de": [],
    "es": ["Construcciones", "Transportes", "Talleres", "Laboratorios"],
    "it": ["Costruzioni", "Officine", "Trasporti", "Laboratori"],
}
FR_PLACES = [
    "Atlantique",
    "Rhône-Alpes",
    "Méditerranée",
    "Île-de-France",
    "Provence",
    "Bretagne",
    "Normandie",
    "Sud-Ouest",
    "Alsace",
    "Val de Loire",
    "Grand Est",
]
UK_PLACES = [
    "Thames",
    "Pennine",
    "Northern",
    "Albion",
    "Cotswold",
    "Mersey",
    "Clyde",
    "Severn",
    "Highland",
    "Wessex",
    "Midland",
    "Kingsway",
]
US_PLACES = [
    "Bay",
    "Summit",
    "Pacific",
    "Atlantic",
    "Lakeshore",
    "Redwood",
    "Liberty",
    "Granite",
    "Cascade",
    "Lone Star",
    "Hudson",
    "Great Lakes",
]
FR_SOC_ADJ = [
    "Nouvelle",
    "Française",
    "Lyonnaise",
    "Parisienne",
    "Bretonne",
    "Générale",
    "Industrielle",
    "Européenne",
    "Normande",
    "Alsacienne",
]
FR_SOC_NOUN = [
    "Mécanique",
    "Emballage",
    "Travaux Publics",
    "Chaudronnerie",
    "Négoce",
    "Électricité",
    "Distribution",
    "Services",
    "Plasturgie",
    "Outillage",
]
FAMILY_FMT = {
    "fr": [
        (35, "{S} & Fils"),
        (20, "{S} et Fils"),
        (25, "{S} Frères"),
        (10, "Établissements {S}"),
        (10, "{S} Père & Fils"),
    ],
    "uk": [(60, "{S} & Sons"), (30, "{S} Brothers"), (10, "{S} Family Partners")],
    "us": [(55, "{S} & Sons"), (30, "{S} Brothers"), (15, "{S} Family Enterprises")],
    "de": [(50, "{S} & Söhne"), (30, "Gebrüder {S}"), (20, "{S} & Sohn")],
    "es": [(50, "{S} e Hijos"), (30, "Hermanos {S}"), (20, "Hijos de {S}")],
    "it": [(45, "{S} & Figli"), (30, "F.lli {S}"), (25, "Fratelli {S}")],
}
LEGAL = {
    "fr": [(38, "SAS"), (22, "SARL"), (12, "SA"), (6, "SASU"), (5, "EURL"), (2, "SNC"), (15, "")],
    "uk": [(65, "Ltd"), (10, "Limited"), (8, "plc"), (5, "LLP"), (12, "")],
    "us": [(45, "Inc."), (30, "LLC"), (10, "Corp."), (3, "Co."), (12, "")],
    "de": [
        (60, "GmbH"),
        (10, "AG"),
        (15, "GmbH & Co. KG"),
        (3, "KG"),
        (4, "UG (haftungsbeschränkt)"),
        (8, ""),
    ],
    "es": [(60, "S.L."), (20, "S.A."), (8, "S.L.U."), (12, "")],
    "it": [(60, "S.r.l."), (20, "S.p.A."), (5, "S.a.s."), (5, "S.n.c."), (10, "")],
}
LEGAL_ALT = {
    "SAS": ["S.A.S.", "S.A.S"],
    "SARL": ["S.A.R.L.", "Sarl"],
    "SA": ["S.A."],
    "SASU": ["S.A.S.U."],
    "EURL": ["E.U.R.L."],
    "SNC": ["S.N.C."],
    "Ltd": ["Ltd.", "Limited", "LTD"],
    "Limited": ["Ltd"],
    "plc": ["PLC", "Plc"],
    "LLP": ["L.L.P."],
    "Inc.": ["Inc", ", Inc.", "Incorporated"],
    "LLC": ["L.L.C.", ", LLC"],
    "Corp.": ["Corporation", "Corp"],
    "Co.": ["Company"],
    "GmbH": ["Gmbh", "GMBH"],
    "AG": [],
    "GmbH & Co. KG": ["GmbH & Co KG", "GmbH u. Co. KG"],
    "KG": [],
    "UG (haftungsbeschränkt)": ["UG"],
    "S.L.": ["SL", "S.L", "Sociedad Limitada"],
    "S.A.": ["SA"],
    "S.L.U.": ["SLU"],
    "S.r.l.": ["SRL", "Srl", "s.r.l."],
    "S.p.A.": ["SpA", "S.P.A."],
    "S.a.s.": ["sas"],
    "S.n.c.": ["snc"],
}
GENERIC_WORDS = (
    set(w.lower() for ws in SECTORS.values() for w in ws)
    | set(w.lower() for ws in TRADE_PREFIX.values() for w in ws)
    | {
        "groupe",
        "group",
        "grupo",
        "gruppo",
        "société",
        "les",
        "de",
        "des",
        "du",
        "la",
        "le",
        "et",
        "&",
        "and",
        "fils",
        "frères",
        "sons",
        "brothers",
        "söhne",
        "sohn",
        "hijos",
        "figli",
        "e",
        "y",
        "père",
        "hermanos",
        "fratelli",
        "f.lli",
        "gebrüder",
        "family",
        "partners",
        "france",
        "enterprises",
        "international",
        "nouvelle",
        "générale",
        "holdings",
        "the",
    }
)
ABBREV = {
    "Établissements": "Éts",
    "Société": "Sté",
    "Compagnie": "Cie",
    "Fratelli": "F.lli",
    "Brothers": "Bros.",
    "Hermanos": "Hnos.",
    "International": "Intl",
    "Technologies": "Tech",
    "Gebrüder": "Gebr.",
    "Ingénierie": "Ingé",
    "Laboratoires": "Labo",
    "Informatique": "Info",
    "Construcciones": "Const.",
    "Costruzioni": "Costr.",
}
AMP_WORD = {"fr": " et ", "uk": " and ", "us": " and ", "de": " und ", "es": " y ", "it": " e "}

FAMOUS = {
    "fr": [
        (
            "Société Générale",
            "socgen.com",
            [
                "Société Générale",
                "SOCIETE GENERALE SA",
                "SocGen",
                "Societe Generale",
                "Société Générale SA",
                "SG",
            ],
        ),
        (
            "BNP Paribas",
            "bnpparibas.com",
            ["BNP Paribas", "BNP PARIBAS SA", "BNPP", "BNP Paribas SA", "Bnp Paribas", "BNP"],
        ),
        (
            "L'Oréal",
            "loreal.com",
            ["L'Oréal", "L'OREAL", "LOreal", "L'Oréal SA", "L'Oreal Paris", "Loreal"],
        ),
        (
            "Capgemini",
            "capgemini.com",
            [
                "Capgemini",
                "Cap Gemini",
                "CAPGEMINI SE",
                "Capgemini Technology Services",
                "Capgemini France",
            ],
        ),
        (
            "Crédit Agricole",
            "credit-agricole.fr",
            [
                "Crédit Agricole",
                "CREDIT AGRICOLE SA",
                "Credit Agricole",
                "Crédit Agricole S.A.",
                "Groupe Crédit Agricole",
            ],
        ),
        (
            "Schneider Electric",
            "se.com",
            [
                "Schneider Electric",
                "SCHNEIDER ELECTRIC SE",
                "Schneider",
                "Schneider Electric France",
                "Schneider-Electric",
            ],
        ),
        (
            "Dassault Systèmes",
            "3ds.com",
            ["Dassault Systèmes", "DASSAULT SYSTEMES", "3DS", "Dassault Systemes SE", "Dassault"],
        ),
        (
            "Saint-Gobain",
            "saint-gobain.com",
            [
                "Saint-Gobain",
                "Compagnie de Saint-Gobain",
                "SAINT GOBAIN",
                "Saint Gobain",
                "St-Gobain",
            ],
        ),
        (
            "EDF",
            "edf.fr",
            ["EDF", "Électricité de France", "EDF SA", "Electricite de France", "Groupe EDF"],
        ),
        ("La Poste", "laposte.fr", ["La Poste", "Groupe La Poste", "LA POSTE", "La Poste SA"]),
        (
            "Decathlon",
            "decathlon.com",
            ["Decathlon", "DECATHLON SA", "Décathlon", "Decathlon France"],
        ),
    ],
    "uk": [
        (
            "Barclays",
            "barclays.com",
            ["Barclays", "Barclays plc", "BARCLAYS BANK PLC", "Barclays Bank"],
        ),
        ("Unilever", "unilever.com", ["Unilever", "Unilever plc", "UNILEVER UK LTD"]),
        (
            "Rolls-Royce",
            "rolls-royce.com",
            ["Rolls-Royce", "Rolls Royce plc", "ROLLS-ROYCE HOLDINGS PLC"],
        ),
    ],
    "us": [
        (
            "Salesforce",
            "salesforce.com",
            ["Salesforce", "Salesforce, Inc.", "salesforce.com", "SFDC", "Salesforce.com Inc"],
        ),
        (
            "IBM",
            "ibm.com",
            ["IBM", "International Business Machines Corp.", "IBM Corporation", "I.B.M."],
        ),
        (
            "Procter & Gamble",
            "pg.com",
            ["Procter & Gamble", "P&G", "Procter and Gamble Co.", "The Procter & Gamble Company"],
        ),
    ],
    "de": [
        (
            "Siemens",
            "siemens.com",
            ["Siemens", "Siemens AG", "SIEMENS AG", "Siemens Aktiengesellschaft"],
        ),
        ("Bosch", "bosch.com", ["Bosch", "Robert Bosch GmbH", "ROBERT BOSCH GMBH", "Bosch GmbH"]),
    ],
    "es": [
        (
            "Telefónica",
            "telefonica.com",
            ["Telefónica", "Telefonica S.A.", "TELEFONICA", "Telefónica España"],
        ),
        (
            "Banco Santander",
            "gruposantander.com",
            ["Santander", "Banco Santander", "Banco Santander, S.A.", "BANCO SANTANDER SA"],
        ),
    ],
    "it": [
        ("Eni", "eni.com", ["Eni", "ENI S.p.A.", "Eni SpA"]),
        (
            "UniCredit",
            "unicredit.it",
            ["UniCredit", "Unicredit S.p.A.", "UNICREDIT SPA", "UniCredit Group"],
        ),
    ],
}
TLDS = {
    "fr": [(70, ".fr"), (25, ".com"), (3, ".eu"), (2, ".io")],
    "uk": [(60, ".co.uk"), (35, ".com"), (5, ".io")],
    "us": [(85, ".com"), (7, ".io"), (4, ".co"), (4, ".net")],
    "de": [(80, ".de"), (20, ".com")],
    "es": [(65, ".es"), (35, ".com")],
    "it": [(75, ".it"), (25, ".com")],
}


class Company:
    __slots__ = (
        "aliases",
        "base",
        "cid",
        "city",
        "domain",
        "family",
        "famous",
        "generic",
        "legal",
        "loc",
        "pattern",
        "switch",
        "weight",
    )

    def full(self):
        if not self.legal:
            return self.base
        if self.legal.startswith(","):
            return self.base + self.legal
        return self.base + " " + self.legal


class Person:
    __slots__ = (
        "city",
        "city2",
        "co",
        "co2",
        "direct",
        "direct2",
        "eid",
        "first",
        "g",
        "last",
        "last2",
        "loc",
        "mobile",
        "pemail",
        "pref",
        "tags",
        "title",
        "title2",
        "wemail",
        "wemail2",
    )

    def __init__(self):
        self.last2 = ""
        self.co2 = None
        self.title2 = None
        self.wemail2 = None
        self.direct2 = None
        self.city2 = None
        self.pemail = None
        self.direct = None
        self.mobile = None
        self.tags = []


# --------------------------------------------------------------------------
# phones: stored as (loc, national digits)
# --------------------------------------------------------------------------
def rdig(rng, n, first_min=0):
    s = str(rng.randint(first_min, 9))
    return s + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def gen_landline(loc, city, rng):
    if loc == "fr":
        return "0" + city[3] + rdig(rng, 8, 1)
    if loc == "uk":
        code = city[3]
        if code == "020":
            return code + rng.choice("378") + rdig(rng, 7)
        return code + rdig(rng, 11 - len(code), 2)
    if loc == "us":
        return rng.choice(city[4]) + rdig(rng, 3, 2) + rdig(rng, 4)
    code, sub = city[3], city[4]
    if loc == "de":
        return code + rdig(rng, sub, 2)
    if loc == "es":
        return code + rdig(rng, 9 - len(code), 1)
    return code + rdig(rng, 10 - len(code), 1)  # it


def gen_mobile(loc, city, rng):
    if loc == "fr":
        return rng.choice(["06", "06", "06", "07"]) + (
            rdig(rng, 8) if rng.random() < 0.75 else rng.choice("5678") + rdig(rng, 7)
        )
    if loc == "uk":
        return "07" + rng.choice("456789") + rdig(rng, 8)
    if loc == "us":
        return gen_landline(loc, city, rng)
    if loc == "de":
        pre = rng.choice(
            [
                "151",
                "152",
                "157",
                "160",
                "162",
                "170",
                "171",
                "172",
                "173",
                "175",
                "176",
                "177",
                "178",
                "179",
            ]
        )
        return "0" + pre + rdig(rng, 8 if pre.startswith("15") else 7)
    if loc == "es":
        return "6" + rdig(rng, 8)
    return (
        "3"
        + rng.choice(
            ["20", "28", "29", "33", "34", "35", "38", "39", "40", "45", "47", "49", "66", "91"]
        )
        + rdig(rng, 7)
    )


def _groups(loc, d):
    if loc == "fr":
        return [d[i : i + 2] for i in range(0, 10, 2)]
    if loc == "uk":
        if d.startswith("020"):
            return [d[:3], d[3:7], d[7:]]
        if d.startswith("07"):
            return [d[:5], d[5:]]
        if d[3] == "1" or d[:3] == "011":
            return [d[:4], d[4:7], d[7:]]
        return [d[:5], d[5:]]
    if loc == "us":
        return [d[:3], d[3:6], d[6:]]
    if loc == "de":
        a = 3 if d[:3] in ("030", "040", "089", "069") else 4
        return [d[:a], d[a:]]
    if loc == "es":
        return [d[:3], d[3:6], d[6:]]
    a = 2 if d[:2] in ("02", "06") else 3  # it
    if d.startswith("3"):
        return [d[:3], d[3:6], d[6:]]
    rest = d[a:]
    return (
        [d[:a], rest[: len(rest) // 2], rest[len(rest) // 2 :]]
        if a == 2
        else [d[:a], rest[:3], rest[3:]]
    )


CC = {"fr": "33", "uk": "44", "us": "1", "de": "49", "es": "34", "it": "39"}


def fmt_phone(ph, fam, u):
    """fam: 'nat' | 'intl' | 'any'; u: uniform draw shared by the row"""
    loc, d = ph
    if fam == "any":
        if u < 0.6:
            fam, u = "nat", u / 0.6
        else:
            fam, u = "intl", (u - 0.6) / 0.4
    g = _groups(loc, d)
    if loc in ("fr", "uk", "de"):
        n = d[1:]
        g0 = [g[0][1:], *g[1:]]
    else:
        n = d
        g0 = g
    if loc == "fr":
        ip = n[0] + " " + " ".join(n[i : i + 2] for i in range(1, 9, 2))
        nat = [(55, " ".join(g)), (15, ".".join(g)), (22, d), (5, "-".join(g))]
        intl = [
            (45, "+33 " + ip),
            (10, "+33 (0)" + ip),
            (20, "+33" + n),
            (15, "0033" + n),
            (6, "0033 " + ip),
            (2, "+33 " + n),
        ]
    elif loc == "us":
        a, b, c = g
        nat = [
            (45, f"({a}) {b}-{c}"),
            (30, f"{a}-{b}-{c}"),
            (10, f"{a}.{b}.{c}"),
            (10, d),
            (5, f"{a} {b} {c}"),
        ]
        intl = [
            (30, f"+1 {a}-{b}-{c}"),
            (25, f"+1 ({a}) {b}-{c}"),
            (25, "+1" + d),
            (10, f"1-{a}-{b}-{c}"),
            (10, f"+1 {a} {b} {c}"),
        ]
    elif loc == "uk":
        nat = [(70, " ".join(g)), (20, d), (10, g[0] + " " + "".join(g[1:]))]
        intl = [
            (50, "+44 " + " ".join(g0)),
            (20, "+44 (0)" + " ".join(g0)),
            (20, "+44" + n),
            (10, "0044 " + " ".join(g0)),
        ]
    elif loc == "de":
        sub = g[1]
        split = " ".join([sub[: len(sub) // 2], sub[len(sub) // 2 :]])
        nat = [
            (45, g[0] + " " + sub),
            (20, g[0] + "/" + sub),
            (10, g[0] + "-" + sub),
            (15, g[0] + " " + split),
            (10, d),
        ]
        intl = [
            (50, "+49 " + g0[0] + " " + sub),
            (15, "+49 (0)" + g0[0] + " " + sub),
            (20, "+49" + n),
            (10, "0049 " + g0[0] + " " + sub),
            (5, "+49 " + g0[0] + " " + split),
        ]
    elif loc == "es":
        alt = (
            (d[:2] + " " + d[2:5] + " " + d[5:7] + " " + d[7:])
            if d[:2] in ("91", "93", "96")
            else (d[:3] + " " + d[3:5] + " " + d[5:7] + " " + d[7:])
        )
        nat = [(50, " ".join(g)), (20, alt), (30, d)]
        intl = [(50, "+34 " + " ".join(g)), (30, "+34" + d), (10, "0034 " + d), (10, "+34 " + d)]
    else:  # it
        nat = [
            (50, " ".join(g)),
            (25, g[0] + " " + "".join(g[1:])),
            (15, d),
            (10, g[0] + "-" + "".join(g[1:])),
        ]
        intl = [
            (50, "+39 " + " ".join(g)),
            (20, "+39 " + g[0] + " " + "".join(g[1:])),
            (20, "+39" + d),
            (10, "0039 " + " ".join(g)),
        ]
    return pick_u(u, nat if fam == "nat" else intl)


# --------------------------------------------------------------------------
# generator
# --------------------------------------------------------------------------
class Gen:
    def __init__(self, n, seed):
        self.n = n
        self.rng = random.Random(seed)
        self.fk = {}
        for i, (loc, fl) in enumerate([("uk", "en_GB"), ("us", "en_US")]):
            f = Faker(fl)
            f.seed_instance(seed * 7919 + i)
            self.fk[loc] = f
        self.email_owner = {}  # address -> entity id ('' = generic/reserved)
        self.phones = {}  # (loc,digits) -> owner
        self.domains = {}
        self.companies = {l: [] for l in LOCS}  # noqa: E741
        self.persons = []
        self.st = Counter()
        self.ids = {}
        self.cities = {
            "fr": FR_CITIES,
            "uk": UK_CITIES,
            "us": US_CITIES,
            "de": DE_CITIES,
            "es": ES_CITIES,
            "it": IT_CITIES,
        }
        self.city_w = {
            l: [c[2] if l == "us" else c[1] for c in cs] for l, cs in self.cities.items()  # noqa: E741
        }
        for doms in PERSONAL_DOMAINS.values():
            for _, d in doms:
                self.domains[d] = None

    # ---------------- names
    def gen_name(self, loc, g):
        rng = self.rng
        if loc == "fr":
            r = rng.random()
            if r < 0.12:
                first = rng.choice(FR_COMPOUND_M if g == "m" else FR_COMPOUND_F)
            elif r < 0.55:
                first = rng.choice(FR_FIRST_M if g == "m" else FR_FIRST_F)
            else:
                first = rng.choice(FAKER_FR_M if g == "m" else FAKER_FR_F)
            r = rng.random()
            if r < 0.05:
                last = rng.choice(FR_PARTICLE_LAST)
            elif r < 0.10:
                last = rng.choice(FR_ACCENT_LAST)
            else:
                last = rng.choice(FR_LAST_POOL)
            return first, last, ""
        if loc in ("uk", "us"):
            f = self.fk[loc]
            return (f.first_name_male() if g == "m" else f.first_name_female()), f.last_name(), ""
        tab = {
            "de": (DE_FIRST_M, DE_FIRST_F, DE_LAST),
            "es": (ES_FIRST_M, ES_FIRST_F, ES_LAST),
            "it": (IT_FIRST_M, IT_FIRST_F, IT_LAST),
        }[loc]
        first = rng.choice(tab[0] if g == "m" else tab[1])

        def one():
            return self.zipf(tab[2]) if rng.random() < 0.6 else rng.choice(EXTRA_LAST[loc])

        last = one()
        last2 = ""
        if loc == "es" and rng.random() < 0.55:
            last2 = one()
            while last2 == last:
                last2 = one()
        return first, last, last2

    def zipf(self, lst):
        rng = self.rng
        while True:
            i = int(rng.paretovariate(0.9)) - 1 + int(rng.random() * 3)
            if i < len(lst):
                return lst[i] if rng.random() < 0.6 else rng.choice(lst)

    # ---------------- companies
    def brand(self, loc):
        rng = self.rng
        if loc in ("uk", "us") and rng.random() < 0.45:
            b = rng.choice(EN_COMPOUND_A) + rng.choice(EN_COMPOUND_B)
        else:
            p, s = rng.choice(BRAND_PRE), rng.choice(BRAND_SUF)
            while p[-1] in "aeiouy" and s[0] in "aeiouy":
                s = rng.choice(BRAND_SUF)
            b = p + s
        self.last_brand = b
        return b

    def surname(self, loc):
        return self.gen_name(loc, "m")[1]

    def company_base(self, loc):
        rng = self.rng
        lang = LANG[loc]
        B = self.brand(loc)
        if loc == "fr":
            t = pick(
                rng,
                [
                    (15, 0),
                    (25, 1),
                    (6, 2),
                    (14, 3),
                    (6, 4),
                    (8, 5),
                    (5, 6),
                    (4, 7),
                    (4, 8),
                    (5, 9),
                    (4, 10),
                ],
            )
            if t == 0:
                return B
            if t == 1:
                return B + " " + rng.choice(SECTORS["fr"])
            if t == 2:
                return "Groupe " + B
            if t == 3:
                return rng.choice(TRADE_PREFIX["fr"]) + " " + self.surname("fr")
            if t == 4:
                return self.surname("fr") + " & " + self.surname("fr")
            if t == 5:
                return B + " " + rng.choice(FR_PLACES)
            if t == 6:
                noun = rng.choice(FR_SOC_NOUN)
                de = "d'" if fold(noun)[0] in "AEIOU" else "de "
                adj = rng.choice(FR_SOC_ADJ)
                return f"Société {adj} {de}{noun}"
            if t == 7:
                return B + " France"
            if t == 8:
                return "Les Ateliers " + self.surname("fr")
            if t == 9:
                return self.surname("fr") + " " + rng.choice(SECTORS["fr"])
            return B + " " + rng.choice(["Conseil", "Industries", "Services"]) + " & Associés"
        if lang == "en":
            places = UK_PLACES if loc == "uk" else US_PLACES
            t = pick(rng, [(25, 0), (35, 1), (8, 2), (12, 3), (8, 4), (6, 5), (6, 6)])
            if t == 0:
                return B
            if t == 1:
                return B + " " + rng.choice(SECTORS["en"])
            if t == 2:
                return B + " Group"
            if t == 3:
                return rng.choice(places) + " " + rng.choice(SECTORS["en"])
            if t == 4:
                return self.surname(loc) + " & " + self.surname(loc)
            if t == 5:
                return self.surname(loc) + " " + rng.choice(SECTORS["en"])
            return B + " International"
        t = pick(rng, [(25, 0), (35, 1), (15, 2), (10, 3), (8, 4), (7, 5)])
        if t == 0:
            return B
        if t == 1:
            return B + " " + rng.choice(SECTORS[loc])
        if t == 2 and TRADE_PREFIX[loc]:
            return rng.choice(TRADE_PREFIX[loc]) + " " + self.surname(loc)
        if t == 2:
            return self.surname(loc) + " " + rng.choice(SECTORS[loc])
        if t == 3:
            return (
                {"de": "", "es": "Grupo ", "it": "Gruppo "}[loc]
                + B
                + (" Gruppe" if loc == "de" else "")
            )
        if t == 4:
            return self.surname(loc) + " " + rng.choice(SECTORS[loc])
        return B + " " + {"de": "Deutschland", "es": "Ibérica", "it": "Italia"}[loc]

    def domain_for(self, base, loc, brand=None):
        rng = self.rng
        w = (
            (fold_de(base) if loc == "de" else fold(base))
            .lower()
            .replace("'", "")
            .replace(".", " ")
        )
        if "&" in w and rng.random() < 0.4:
            w = w.replace("&", AMP_WORD[loc])
        w = w.replace("&", " ")
        words = [x for x in re.split(r"[\s\-]+", w) if x]
        sig = [
            x
            for x in words
            if x not in ("de", "des", "du", "la", "le", "les", "and", "y", "d", "the", "of")
        ]
        cands = []
        if sig:
            cands += ["-".join(sig), "".join(sig)]
            # short domain only for invented brands (a surname or a dictionary word would be taken)
            if brand and len(sig) > 1 and sig[0] == slug(brand) and rng.random() < 0.5:
                cands.append(sig[0])
        rng.shuffle(cands)
        for c in cands:
            for _ in range(2):
                d = c + pick(rng, TLDS[loc])
                if d not in self.domains:
                    return d
        return None

    def new_company(self, loc, family=None, famous=None):
        rng = self.rng
        co = Company()
        co.loc = loc
        co.family = family
        co.famous = famous is not None
        co.aliases = None
        for _ in range(50):
            if famous:
                co.base, co.domain, co.aliases = famous
                co.legal = ""
                break
            if family:
                co.base = pick(rng, FAMILY_FMT[loc]).replace("{S}", family)
            else:
                co.base = self.company_base(loc)
            co.legal = pick(rng, LEGAL[loc])
            if loc == "us" and co.legal == "Inc." and rng.random() < 0.4:
                co.legal = ", Inc."
            co.domain = self.domain_for(co.base, loc, None if family else self.last_brand)
            if co.domain:
                break
            if family:
                family = family + " " + self.surname(loc)  # extremely rare fallback
        self.domains[co.domain] = co
        co.pattern = pick(rng, EMAIL_PATTERNS[loc])
        if co.famous:
            co.pattern = "first.last"
        co.generic = pick(rng, GENERIC_LOCAL[loc])
        self.email_owner[co.generic + "@" + co.domain] = ""
        co.city = self.rand_city(loc)
        sw = gen_landline(loc, co.city[0], rng)
        if loc == "fr" and rng.random() < 0.5:
            sw = sw[:-2] + "00"
        while (loc, sw) in self.phones:
            sw = gen_landline(loc, co.city[0], rng)
        self.phones[(loc, sw)] = co
        co.switch = (loc, sw)
        co.weight = 1.0
        co.cid = len(self.companies[loc])
        self.companies[loc].append(co)
        return co

    def rand_city(self, loc):
        rng = self.rng
        c = rng.choices(self.cities[loc], self.city_w[loc])[0]
        if loc == "fr":
            pc = rng.choice(c[2])
        elif loc == "uk":
            pc = (
                rng.choice(c[2])
                + " "
                + str(rng.randint(1, 9))
                + "".join(rng.choice("ABDEFGHJLNPQRSTUWXYZ") for _ in range(2))
            )
        elif loc == "us":
            pc = c[3] + f"{rng.randint(1, 60):02d}"
        else:
            lo, hi = c[2]
            pc = f"{rng.randint(lo, hi):05d}"
        return (c, pc)

    # ---------------- emails
    def local(self, first, last, pat, loc):
        de = loc == "de"
        f = slug(first, de)
        fs = f.replace("-", "")
        l = slug(last, de)  # noqa: E741
        parts = [x for x in re.split(r"[-\s]+", fold(first).lower()) if x]
        fi = "".join(x[0] for x in parts) if self.rng.random() < 0.5 else parts[0][0]
        if " " in first:  # Spanish compound first names
            f = fs
        return {
            "first.last": f + "." + l,
            "flast": fi + l,
            "f.last": fi + "." + l,
            "first": fs,
            "firstlast": fs + l,
            "first_last": f + "_" + l,
            "last.first": l + "." + f,
            "last": l,
            "firstl": fs + l[0],
            "first.l": f + "." + l[0],
        }[pat]

    def claim(self, local, domain, eid, numbered=True):
        e = local + "@" + domain
        if self.email_owner.get(e, eid) == eid:
            self.email_owner[e] = eid
            return e
        if not numbered:
            return None
        for k in range(2, 99):
            e = f"{local}{k}@{domain}"
            if e not in self.email_owner:
                self.email_owner[e] = eid
                return e
        raise RuntimeError("email space exhausted")

    def work_email(self, p, co):
        first = p.pref if (p.pref != p.first and self.rng.random() < 0.8) else p.first
        e = self.claim(
            self.local(first, p.last, co.pattern, p.loc), co.domain, p.eid, numbered=False
        )
        if e is None and co.pattern in ("first", "last", "flast", "firstl"):
            e = self.claim(
                self.local(first, p.last, "first.last", p.loc), co.domain, p.eid, numbered=False
            )
        if e is None:
            e = self.claim(self.local(first, p.last, co.pattern, p.loc), co.domain, p.eid)
        return e

    def personal_email(self, p):
        rng = self.rng
        first = p.pref if (p.pref != p.first and rng.random() < 0.3) else p.first
        de = p.loc == "de"
        f = slug(first, de).replace("-", "") if rng.random() < 0.5 else slug(first, de)
        f = f.replace(" ", "")
        l = slug(p.last, de)  # noqa: E741
        yy = f"{rng.randint(60, 99)}" if rng.random() < 0.7 else f"{rng.randint(1965, 1999)}"
        pat = pick(
            rng,
            [
                (30, "f.l"),
                (15, "fl"),
                (20, "f.lNN"),
                (10, "flNN"),
                (8, "f_l"),
                (5, "l.f"),
                (7, "fiNN"),
                (5, "f.l.NN"),
            ],
        )
        local = {
            "f.l": f"{f}.{l}",
            "fl": f"{f}{l}",
            "f.lNN": f"{f}.{l}{yy}",
            "flNN": f"{f}{l}{yy}",
            "f_l": f"{f}_{l}",
            "l.f": f"{l}.{f}",
            "fiNN": f"{f[0]}{l}{yy}",
            "f.l.NN": f"{f}.{l}.{yy}",
        }[pat]
        dom = pick(rng, PERSONAL_DOMAINS[p.loc])
        e = self.claim(local, dom, p.eid, numbered=False)
        if e is None:
            e = self.claim(f"{f}.{l}{rng.randint(1, 99)}", dom, p.eid)
        return e

    def new_phone(self, loc, city, mobile, owner, base=None):
        rng = self.rng
        for _ in range(100):
            if base is not None and rng.random() < 0.65:
                d = (
                    base[:-2] + f"{rng.randint(1, 99):02d}"
                    if loc != "us"
                    else base[:-4] + rdig(rng, 4)
                )
            elif mobile:
                d = gen_mobile(loc, city, rng)
            else:
                d = gen_landline(loc, city, rng)
            if (loc, d) not in self.phones:
                self.phones[(loc, d)] = owner
                return (loc, d)
        raise RuntimeError("phone space exhausted")

    def title_for(self, p, co):
        rng = self.rng
        for _ in range(20):
            if p.loc in ("uk", "us") or (p.loc == "fr" and rng.random() < 0.2):
                t = rng.choice(FR_EN_TITLES if p.loc == "fr" else EN_TITLE_LIST)
                res = (t, t)
            else:
                m, f, en = rng.choice(NATIVE_TITLES[p.loc])
                res = (
                    (f, en)
                    if p.g == "f" and not (p.loc == "fr" and rng.random() < 0.15)
                    else (m, en)
                )
            if not (co.famous and (res[0] in TOP_TITLES or res[1] in TOP_TITLES)):
                return res
        return res

    # ---------------- build the population
    def build(self):
        rng = self.rng
        n = self.n
        locs = rng.choices(LOCS, LOC_W, k=n)
        per_loc = Counter(locs)
        eids = list(range(1, n + 1))
        rng.shuffle(eids)
        eid_iter = iter(eids)
        for loc in LOCS:
            nl = per_loc[loc]
            if nl == 0:
                continue
            for fam in FAMOUS[loc][: max(0, min(len(FAMOUS[loc]), nl // 80))]:
                co = self.new_company(loc, famous=fam)
                co.weight = rng.uniform(12, 25)
            for _ in range(max(3, round(nl / 2.3))):
                co = self.new_company(loc)
                co.weight = min(30.0, rng.paretovariate(1.25))
            cos = [c for c in self.companies[loc] if not c.family]
            weights = [c.weight for c in cos]
            left = nl
            # sibling groups in family businesses (hard negatives)
            n_groups = round(nl * 0.009)
            for _ in range(n_groups):
                size = 2 if rng.random() < 0.65 else 3
                if size > left:
                    break
                fam_last, _, fam_last2 = self.gen_name(loc, "m")
                co = self.new_company(loc, family=fam_last)
                firsts = []
                for _k in range(size):
                    p = Person()
                    p.eid = f"E{next(eid_iter):06d}"
                    p.loc = loc
                    p.g = "m" if rng.random() < 0.6 else "f"
                    while True:
                        first = self.gen_name(loc, p.g)[0]
                        if first not in firsts:
                            break
                    firsts.append(first)
                    p.first, p.last, p.last2 = first, fam_last, fam_last2
                    p.co = co
                    p.tags.append("sibling")
                    self.persons.append(p)
                left -= size
            for _ in range(left):
                p = Person()
                p.eid = f"E{next(eid_iter):06d}"
                p.loc = loc
                if rng.random() < 0.025:
                    p.first, p.last, p.g = rng.choice(COMMON[loc])
                    p.last2 = self.zipf(ES_LAST) if loc == "es" and rng.random() < 0.55 else ""
                    p.tags.append("common")
                else:
                    p.g = "m" if rng.random() < 0.55 else "f"
                    p.first, p.last, p.last2 = self.gen_name(loc, p.g)
                p.co = rng.choices(cos, weights)[0]
                self.persons.append(p)
        # namesakes: same first+last name, different company
        by_loc = {l: [p for p in self.persons if p.loc == l and not p.tags] for l in LOCS}  # noqa: E741
        n_ns = round(n * 0.015)
        for _ in range(n_ns):
            loc = rng.choices(LOCS, LOC_W)[0]
            pool = [p for p in by_loc[loc] if not p.tags]
            if len(pool) < 2:
                continue
            a, b = rng.sample(pool, 2)
            if a.co is b.co:
                continue
            b.first, b.last, b.last2, b.g = a.first, a.last, a.last2, a.g
            a.tags.append("namesake")
            b.tags.append("namesake")
        # attributes
        for p in self.persons:
            loc = p.loc
            p.pref = p.first
            nick = NICKS[LANG[loc]].get(p.first)
            if nick and rng.random() < (0.25 if LANG[loc] == "en" else 0.05):
                p.pref = nick[0]
            p.title = self.title_for(p, p.co)
            p.city = p.co.city if (rng.random() < 0.75 and not p.co.famous) else self.rand_city(loc)
            if rng.random() < 0.8:
                p.mobile = self.new_phone(loc, p.city[0], True, p)
            small = p.co.family or p.co.weight < 1.5
            if rng.random() < (0.15 if p.co.family else 0.35 if small else 0.6):
                base = p.co.switch[1] if rng.random() < 0.6 and p.city is p.co.city else None
                p.direct = self.new_phone(loc, p.city[0], False, p, base)
            p.wemail = self.work_email(p, p.co)
            if rng.random() < 0.5:
                p.pemail = self.personal_email(p)

    def job_change(self, p):
        rng = self.rng
        cos = [c for c in self.companies[p.loc] if c is not p.co and not c.family]
        p.co2 = rng.choices(cos, [c.weight for c in cos])[0]
        p.title2 = self.title_for(p, p.co2) if rng.random() < 0.6 else p.title
        p.city2 = p.co2.city if rng.random() < 0.8 and not p.co2.famous else self.rand_city(p.loc)
        if rng.random() < 0.5:
            p.direct2 = self.new_phone(p.loc, p.city2[0], False, p)
        p.wemail2 = self.work_email(p, p.co2)
        if p.mobile is None:
            p.mobile = self.new_phone(p.loc, p.city[0], True, p)
        p.tags.append("jobchange")

    # ---------------- rendering
    def rec_id(self, src):
        rng = self.rng
        while True:
            if src == "crm":
                r = str(rng.randint(10**8, 10**10))
            elif src == "badge":
                batch = rng.choice(["VT24", "SAL25", "BIG24", "VT25"])
                r = f"BDG-{batch}-{rng.randint(1, 99999):05d}"
            elif src == "web":
                r = "web-" + "".join(rng.choice("0123456789abcdef") for _ in range(10))
            else:
                r = f"LST{rng.randint(1, 9999999):07d}"
            if r not in self.ids:
                self.ids[r] = 1
                return r

    def render_first(self, p, src, row_st):
        rng = self.rng
        lang = LANG[p.loc]
        f = p.first
        if p.pref != p.first:
            if rng.random() < {"crm": 0.7, "badge": 0.8, "web": 0.6, "list": 0.2}[src]:
                f = p.pref
        elif rng.random() < (0.03 if src == "list" else 0.12):
            nk = NICKS[lang].get(p.first)
            if nk:
                f = rng.choice(nk)
        if f != p.first:
            row_st.add("nickname")
        if src != "list" and rng.random() < 0.04:
            parts = [x for x in re.split(r"[- ]", f) if x]
            if len(parts) > 1:
                f = pick(
                    rng,
                    [
                        (
                            50,
                            "-".join(x[0] + "." for x in parts)
                            if "-" in f
                            else " ".join(x[0] + "." for x in parts),
                        ),
                        (25, "".join(x[0] for x in parts)),
                        (25, parts[0][0] + "."),
                    ],
                )
            else:
                f = f[0] + ("." if rng.random() < 0.75 else "")
            row_st.add("initial")
        return f

    def render_last(self, p, src, row_st):
        rng = self.rng
        l = p.last  # noqa: E741
        if p.last2:
            if rng.random() < {"crm": 0.75, "badge": 0.45, "web": 0.6, "list": 0.35}[src]:
                l = l + " " + p.last2  # noqa: E741
            else:
                row_st.add("surname_dropped")
        first_word = l.split(" ")[0].split("'")[0]
        if (
            first_word in ("de", "du", "des", "d", "von", "Le", "La", "De", "Da", "Dos")
            and rng.random() < 0.3
        ):
            v = rng.random()
            if v < 0.4:
                l = " ".join(w[:1].upper() + w[1:] for w in l.split(" "))  # noqa: E741
                l = re.sub(r"^D'(\w)", lambda m: "D'" + m.group(1).upper(), l)  # noqa: E741
            elif v < 0.8:
                l = l.replace(" ", "").replace("'", "")  # noqa: E741
                l = l[:1].upper() + l[1:].lower()  # noqa: E741
            else:
                l = l.lower()  # noqa: E741
            row_st.add("particle_variant")
        return l

    def render_company(self, co, src, row_st):
        rng = self.rng
        loc = co.loc
        if co.aliases:
            al = co.aliases
            if src == "crm":
                s = al[0] if rng.random() < 0.55 else rng.choice(al)
            elif src == "list":
                s = fold(rng.choice(al[:3])).upper() if rng.random() < 0.5 else fold(rng.choice(al))
            elif src == "badge":
                s = rng.choice(al)
                s = fold(s).upper() if rng.random() < 0.5 else s
            else:
                s = al[0]
            if s != co.full():
                row_st.add("company_variant")
            return s
        base, legal = co.base, co.legal
        kinds = []
        incl_legal = (
            bool(legal)
            and rng.random() < {"crm": 0.55, "badge": 0.25, "web": 0.2, "list": 0.65}[src]
        )
        if incl_legal and rng.random() < 0.25 and LEGAL_ALT.get(legal):
            legal = rng.choice(LEGAL_ALT[legal])
            kinds.append("legal_form")
        words = base.split(" ")
        if rng.random() < 0.1:
            nw = [ABBREV.get(w, w) for w in words]
            if nw != words:
                words = nw
                kinds.append("abbrev")
        if words[0] in ("Groupe", "Grupo", "Gruppo") and rng.random() < 0.35:
            words = words[1:]
            kinds.append("group_dropped")
        name = " ".join(words)
        if ("&" in name or " et " in name or " and " in name) and rng.random() < 0.15:
            if "&" in name:
                name = name.replace(" & ", AMP_WORD[loc])
            else:
                name = name.replace(AMP_WORD[loc], " & ")
            kinds.append("ampersand")
        short_p = {"crm": 0.04, "badge": 0.22, "web": 0.08, "list": 0.03}[src]
        sig = [w for w in words if w.lower() not in GENERIC_WORDS and len(w) > 2 and w.isalpha()]
        if rng.random() < short_p and sig and len(words) > 1:
            if len(words) >= 3 and rng.random() < 0.4:
                name = "".join(
                    w[0]
                    for w in words
                    if w[0].isalpha() and w.lower() not in ("de", "d'", "et", "&")
                ).upper()
            else:
                name = sig[0]
            incl_legal = incl_legal and rng.random() < 0.3
            kinds.append("short")
        if incl_legal:
            name = name + legal if legal.startswith(",") else name + " " + legal
        if rng.random() < {"crm": 0.02, "badge": 0.10, "web": 0, "list": 0.02}[src]:
            t = typo(name, rng)
            if t != name:
                name = t
                kinds.append("typo")
        if src == "badge" and len(name) > 16 and rng.random() < 0.08:
            name = name[: rng.randint(12, 16)].rstrip()
            kinds.append("truncated")
        if (
            src == "list"
            or (src == "badge" and rng.random() < 0.5)
            or (src == "crm" and rng.random() < 0.05)
        ):
            name = fold(name)
        if (
            (src == "badge" and rng.random() < 0.5)
            or (src == "list" and rng.random() < 0.4)
            or (src == "crm" and rng.random() < 0.04)
        ):
            name = name.upper()
        if name != co.full():
            row_st.add("company_variant")
        for k in kinds:
            row_st.add("co_" + k)
        return name

    def render_website(self, co, src):
        rng = self.rng
        d = co.domain
        if src == "web":
            return pick(
                rng,
                [
                    (45, d),
                    (30, "www." + d),
                    (25, "https://www." + d + rng.choice(WEB_PATHS[co.loc])),
                ],
            )
        return pick(
            rng,
            [
                (35, "www." + d),
                (25, "https://www." + d),
                (15, d),
                (10, "http://" + d),
                (10, "https://" + d + "/"),
                (5, "http://www." + d + "/"),
            ],
        )

    def render_title(self, t, p, src, row_st):
        rng = self.rng
        native, en = t
        if src == "list":
            s = en
            if EN_TITLES.get(en) and rng.random() < 0.25:
                s = rng.choice(EN_TITLES[en])
            if native != en:
                row_st.add("title_translated")
            return s
        s = native
        r = rng.random()
        if native in EN_TITLES and EN_TITLES[native] and r < 0.2:
            s = rng.choice(EN_TITLES[native])
        elif p.loc == "fr" and r < 0.2:
            v = rng.random()
            if (native, p.g) in FR_EXPAND and v < 0.5:
                s = FR_EXPAND[(native, p.g)]
            elif v < 0.7:
                s = re.sub(
                    r"^(Directeur|Directrice)\b", "Dir.", re.sub(r"^Responsable\b", "Resp.", native)
                )
            else:
                s = title_words(native)
        elif r < 0.05:
            s = native.upper() if rng.random() < 0.3 else title_words(native)
        if s != native:
            row_st.add("title_variant")
        return s

    def render_city(self, city, src, row_st):
        rng = self.rng
        c, pc = city
        name = c[0]
        loc = (
            "fr"
            if c in FR_CITIES
            else "uk"
            if c in UK_CITIES
            else "us"
            if c in US_CITIES
            else "de"
            if c in DE_CITIES
            else "es"
            if c in ES_CITIES
            else "it"
        )
        if (
            name in ("Paris", "Lyon", "Marseille")
            and src in ("crm", "badge")
            and rng.random() < 0.2
        ):
            arr = int(pc[-2:])
            name = (
                name
                + " "
                + pick(
                    rng,
                    [
                        (40, f"{arr}e" if arr > 1 else "1er"),
                        (30, f"{arr:02d}"),
                        (20, f"{arr}ème" if arr > 1 else "1er"),
                        (10, f"Cedex {arr:02d}"),
                    ],
                )
            )
        elif name in CITY_ALIASES and rng.random() < (0.3 if src == "list" else 0.1):
            name = rng.choice(CITY_ALIASES[name])
        elif name.startswith("Saint-") and rng.random() < 0.25:
            name = rng.choice(["St-", "St ", "ST "]) + name[6:]
        if loc == "us" and src == "crm" and rng.random() < 0.2:
            name = name + ", " + c[1]
        if src == "list":
            name = fold(name)
        if src == "badge" and rng.random() < 0.5:
            name = name.upper()
        if src == "list" and rng.random() < 0.2:
            name = name.upper()
        if name != c[0]:
            row_st.add("city_variant")
        if loc == "uk":
            pc = pick(rng, [(85, pc), (10, pc.replace(" ", "")), (5, pc.lower())])
        elif loc == "us" and src == "crm" and rng.random() < 0.1:
            pc = pc + "-" + rdig(rng, 4)
        if pc[0] == "0" and loc != "uk" and src in ("list", "badge") and rng.random() < 0.3:
            pc = pc.lstrip("0")
            row_st.add("postcode_zero_lost")
        return name, pc

    def guess_email(self, p, co, real):
        rng = self.rng
        if rng.random() < 0.6:
            return real
        pat = pick(
            rng,
            [
                (30, "first.last"),
                (25, "flast"),
                (15, "first"),
                (15, "f.last"),
                (10, "firstlast"),
                (5, "last"),
            ],
        )
        e = self.claim(self.local(p.first, p.last, pat, p.loc), co.domain, p.eid, numbered=False)
        return e or real

    def render_row(self, p, src, stage):
        rng = self.rng
        st = self.st
        row_st = set()
        co = p.co if stage == 0 else p.co2
        wemail = p.wemail if stage == 0 else p.wemail2
        direct = p.direct if stage == 0 else p.direct2
        title = p.title if stage == 0 else p.title2
        city = p.city if stage == 0 else p.city2
        loc = p.loc
        r = {k: "" for k in HEADER}
        r["Record ID"] = self.rec_id(src)
        r["entity"] = p.eid

        # ---- names
        first = self.render_first(p, src, row_st)
        last = self.render_last(p, src, row_st)
        if src == "list":
            nf, nl = fold(first), fold(last)
            if loc == "de" and rng.random() < 0.5:
                nf, nl = fold_de(first), fold_de(last)
            if (nf, nl) != (first, last):
                row_st.add("ascii_folded")
            first, last = nf, nl
        elif rng.random() < 0.08:
            if fold(first + last) != first + last:
                row_st.add("accent_dropped")
            first, last = fold(first), fold(last)
        if rng.random() < 0.086:  # ~8% of rows end up with a typo (short names can't take one)
            if rng.random() < 0.45:
                t = typo(first, rng)
                if t != first:
                    first = t
                    row_st.add("name_typo")
            else:
                t = typo(last, rng)
                if t != last:
                    last = t
                    row_st.add("name_typo")
        swapped = rng.random() < 0.03
        if swapped:
            row_st.add("first_last_swapped")
        if src == "crm":
            c = rng.random()
            if c < 0.04:
                first, last = first.lower(), last.lower()
                row_st.add("case_noise")
            elif c < 0.06:
                first, last = first.upper(), last.upper()
                row_st.add("case_noise")
        elif src == "badge":
            last = last.upper()
            if rng.random() < 0.35:
                first = first.upper()
        elif src == "list":
            c = rng.random()
            if c < 0.15:
                first, last = first.upper(), last.upper()
            elif c < 0.2:
                first, last = first.lower(), last.lower()
                row_st.add("case_noise")
        if src == "web":
            if loc == "fr" and rng.random() < 0.2:
                last = last.upper()
            o = rng.random()
            if swapped:
                full = f"{last} {first}"
            elif o < 0.12:
                full = f"{last}, {first}"
                row_st.add("web_last_comma_first")
            else:
                full = f"{first} {last}"
                if rng.random() < 0.15:
                    civ = pick(rng, CIVILITY[LANG[loc]][p.g])
                    full = f"{civ} {full}"
                    row_st.add("civility")
                elif LANG[loc] == "en" and rng.random() < 0.04:
                    full += rng.choice(
                        [", PhD", " MBA", ", CPA"] if loc == "us" else [", PhD", " MBA", " FCA"]
                    )
                    row_st.add("suffix")
            r["Full Name"] = full
        else:
            if swapped:
                first, last = last, first
            if src == "crm" and rng.random() < 0.015:
                first, last = f"{first} {last}", ""
                row_st.add("fullname_in_first")
            r["First Name"], r["Last Name"] = first, last

        # ---- emails
        email = sec = ""
        u = rng.random()
        # big corporations publish no contact@ address: fall back to the person's own mailbox
        generic = wemail if co.famous else co.generic + "@" + co.domain
        if src == "crm":
            if rng.random() < 0.85:
                email = wemail if u < 0.92 else (p.pemail or wemail) if u < 0.97 else generic
            if stage == 1 and rng.random() < 0.4:
                sec = p.wemail
                row_st.add("old_work_email")
            elif p.pemail and rng.random() < 0.45 and email != p.pemail:
                sec = p.pemail
        elif src == "badge":
            if rng.random() < 0.82:
                email = wemail if u < 0.84 else (p.pemail or wemail) if u < 0.94 else generic
        elif src == "web":
            if rng.random() < 0.12:
                email = wemail if u < 0.8 else generic
        else:
            if rng.random() < 0.93:
                email = self.guess_email(p, co, wemail) if u < 0.96 else generic
            if p.pemail and rng.random() < 0.03:
                sec = p.pemail
        if email and email.split("@")[0] == co.generic:
            row_st.add("generic_email")
        if email and email == p.pemail:
            row_st.add("personal_email_as_primary")
        if src == "list" and email and email != wemail and email.split("@")[0] != co.generic:
            row_st.add("email_pattern_guess")
        if email and src in ("crm", "badge") and rng.random() < 0.03:
            lp, dm = email.split("@")
            email = ".".join(x[:1].upper() + x[1:] for x in lp.split(".")) + "@" + dm
        if sec:
            row_st.add("secondary_email")
        r["Email"], r["Secondary Email"] = email, sec

        # ---- phones
        u = rng.random()
        fam = {
            "crm": "any",
            "badge": "nat",
            "web": "nat" if rng.random() < 0.7 else "intl",
            "list": "intl",
        }[src]
        if loc == "us" and fam == "intl" and rng.random() < 0.5:
            fam = "nat"
        phone = mob = None
        must_mob = "jobchange" in p.tags
        if src == "crm":
            if rng.random() < 0.7:
                phone = direct if (direct and rng.random() < 0.6) else co.switch
            if p.mobile and (rng.random() < 0.6 or must_mob):
                mob = p.mobile
        elif src == "badge":
            if rng.random() < 0.8 or must_mob:
                if p.mobile and (rng.random() < 0.7 or must_mob):
                    phone = p.mobile
                else:
                    phone = direct or co.switch
            if phone != p.mobile and p.mobile and rng.random() < 0.15:
                mob = p.mobile
        elif src == "web":
            if rng.random() < 0.2:
                phone = co.switch if (rng.random() < 0.8 or not direct) else direct
        else:
            if rng.random() < 0.72:
                phone = direct if (direct and rng.random() < 0.5) else co.switch
            if p.mobile and (rng.random() < 0.3 or must_mob):
                mob = p.mobile
        if p.co.family and phone is not None and phone == direct and rng.random() < 0.6:
            phone = co.switch
        if phone is not None and phone == co.switch:
            row_st.add("switchboard_phone")
        r["Phone"] = fmt_phone(phone, fam, u) if phone else ""
        r["Mobile Phone"] = fmt_phone(mob, fam, u) if mob else ""

        # ---- company, website, title
        if rng.random() < {"crm": 0.93, "badge": 0.97, "web": 0.55, "list": 0.96}[src]:
            r["Company"] = self.render_company(co, src, row_st)
        if rng.random() < {"crm": 0.72, "badge": 0.08, "web": 0.97, "list": 0.8}[src]:
            r["Website"] = self.render_website(co, src)
        if src != "badge" and rng.random() < {"crm": 0.82, "web": 0.9, "list": 0.85}[src]:
            r["Job Title"] = self.render_title(title, p, src, row_st)

        # ---- location
        if rng.random() < {"crm": 0.78, "badge": 0.65, "web": 0.25, "list": 0.85}[src]:
            cname, pc = self.render_city(city, src, row_st)
            r["City"] = cname
            if rng.random() < {"crm": 0.85, "badge": 0.7, "web": 0.2, "list": 0.94}[src]:
                r["Postcode"] = pc
        if rng.random() < {"crm": 0.85, "badge": 0.7, "web": 0.2, "list": 0.95}[src]:
            r["Country"] = pick(rng, COUNTRY[loc][src])
        if stage == 1:
            row_st.add("job_changed_row")
        for k in row_st:
            st[k] += 1
        st["rows"] += 1
        st["rows_" + src] += 1
        if src == "web":
            st["web_rows"] += 1
        if src == "list":
            st["list_rows"] += 1
        return r

    def generate(self):
        rng = self.rng
        self.build()
        rows = []
        hist = Counter()
        for p in self.persons:
            k = rng.choices([1, 2, 3, 4], APPEAR_W)[0]
            hist[k] += 1
            used = Counter()
            srcs = []
            for _ in range(k):
                s = rng.choices(SRCS, [SRC_W[x] * (0.35 ** used[x]) for x in SRCS])[0]
                used[s] += 1
                srcs.append(s)
            split = k
            if k >= 2 and rng.random() < 0.03:
                self.job_change(p)
                split = rng.randint(1, k - 1)
            for i, s in enumerate(srcs):
                rows.append(self.render_row(p, s, 0 if i < split else 1))
        rng.shuffle(rows)
        self.st["entities"] = len(self.persons)
        for p in self.persons:
            for t in p.tags:
                self.st["ent_" + t] += 1
        self.hist = hist
        return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--people", type=int, required=True, help="number of real persons (entities)")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()
    t0 = time.time()
    g = Gen(a.people, a.seed)
    rows = g.generate()
    with open(a.out, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=HEADER)
        w.writeheader()
        w.writerows(rows)
    if not a.quiet:
        st = g.st
        n = st["rows"]
        print(
            f"{a.out}: {n} rows, {st['entities']} entities, {time.time() - t0:.1f}s",
            file=sys.stderr,
        )
        print("appearances per entity:", dict(sorted(g.hist.items())), file=sys.stderr)
        for k, v in sorted(st.items()):
            if k not in ("rows", "entities"):
                print(
                    f"  {k:28s} {v:7d}  "
                    f"{100 * v / (st['entities'] if k.startswith('ent_') else n):5.1f}%",
                    file=sys.stderr,
                )


if __name__ == "__main__":
    main()
