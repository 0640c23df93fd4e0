"""Write the recorded-looking API answers ``prospecting demo`` replays (made-up companies).

Each answer has the shape of the real API's (keys, types, nesting, as in the real
responses under ``tests/fixtures/public_api/``), with invented companies, people and
reserved domains. Run ``python data/demo/connectors/make_connector_demo.py`` to rewrite
the files; the output is deterministic.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent

# --- recherche-entreprises ------------------------------------------------------------
# (siren, name, naf, nature juridique, tranche, adresse parts, departement, region,
#  date_creation, dirigeants [(nom, prenoms, qualite)], categorie)
# 372274738 and 594186165 are the SIRENs of two companies of salon_contacts.csv, so the
# demo shows a registry record and a badge scan becoming one company. 123456782 is the
# customer SIREN excluded by icp.example.toml.
COMPANIES: list[dict[str, Any]] = [
    {"siren": "372274738", "name": "NUMERIA CLOUD", "naf": "58.29C", "nature": "5710",
     "tranche": "12", "numero": "18", "type_voie": "RUE", "voie": "DE CHATEAUDUN",
     "cp": "75009", "commune": "75109", "ville": "PARIS", "dep": "75", "region": "11",
     "created": "2016-03-14", "categorie": "PME",
     "dirigeants": [("DU PLESSIS", "EMILIE CLAIRE", "Directeur Général"),
                    ("RENAUD", "MATHIEU", "Président")]},
    {"siren": "594186165", "name": "ORBITAL CONSEIL", "naf": "70.22Z", "nature": "5499",
     "tranche": "11", "numero": "7", "type_voie": "RUE", "voie": "DU SENTIER",
     "cp": "75002", "commune": "75102", "ville": "PARIS", "dep": "75", "region": "11",
     "created": "2011-09-01", "categorie": "PME",
     "dirigeants": [("GIRARD", "FRANCOIS XAVIER", "Gérant")]},
    {"siren": "418563250", "name": "ATELIER LOGICIEL ARMOR", "naf": "62.01Z",
     "nature": "5710", "tranche": "21", "numero": "3", "type_voie": "BOULEVARD",
     "voie": "DE LA LIBERTE", "cp": "35000", "commune": "35238", "ville": "RENNES",
     "dep": "35", "region": "53", "created": "2008-06-02", "categorie": "PME",
     "dirigeants": [("LE GALL", "SOLENN", "Président"),
                    ("KERGOAT (MORVAN)", "YANN PIERRE", "Directeur Général délégué")],
     "auditor": "CABINET AUDIT FICTIF"},
    {"siren": "503287161", "name": "DATA RIVAGE", "naf": "62.01Z", "nature": "5599",
     "tranche": "31", "numero": "21", "type_voie": "QUAI", "voie": "DE LA FOSSE",
     "cp": "44000", "commune": "44109", "ville": "NANTES", "dep": "44", "region": "52",
     "created": "2004-11-23", "categorie": "PME",
     "dirigeants": [("MOREAU", "AGNES", "Président du conseil d'administration"),
                    ("NGUYEN", "THANH", "Directeur Général")]},
    {"siren": "123456782", "name": "CLIENT HISTORIQUE", "naf": "62.01Z", "nature": "5710",
     "tranche": "22", "numero": "1", "type_voie": "PLACE", "voie": "BELLECOUR",
     "cp": "69002", "commune": "69382", "ville": "LYON", "dep": "69", "region": "84",
     "created": "1999-01-15", "categorie": "PME",
     "dirigeants": [("FAURE", "BRUNO", "Président")]},
]


def _siret(siren: str) -> str:
    """The head office's SIRET: the SIREN and the first NIC (000NN) the Luhn check takes."""
    from stdnum.fr import siret

    return next(candidate for candidate in (f"{siren}000{nic:02d}" for nic in range(10, 100))
                if siret.is_valid(candidate))


def _siege(c: dict[str, Any]) -> dict[str, Any]:
    adresse = f"{c['numero']} {c['type_voie']} {c['voie']} {c['cp']} {c['ville']}"
    return {
        "activite_principale": c["naf"], "activite_principale_naf25": c["naf"],
        "activite_principale_registre_metier": None,
        "annee_tranche_effectif_salarie": "2023", "adresse": adresse,
        "caractere_employeur": "O", "cedex": None, "code_pays_etranger": None,
        "code_postal": c["cp"], "commune": c["commune"], "complement_adresse": None,
        "coordonnees": None, "date_creation": c["created"], "date_debut_activite": c["created"],
        "date_fermeture": None, "date_mise_a_jour": None,
        "date_mise_a_jour_insee": "2025-11-30T10:00:00", "departement": c["dep"],
        "distribution_speciale": None, "epci": None, "est_siege": True,
        "etat_administratif": "A", "geo_adresse": None, "geo_id": None,
        "indice_repetition": None, "latitude": None, "libelle_cedex": None,
        "libelle_commune": c["ville"], "libelle_commune_etranger": None,
        "libelle_pays_etranger": None, "libelle_voie": c["voie"], "liste_enseignes": None,
        "liste_finess": None, "liste_id_bio": None, "liste_idcc": None,
        "liste_id_organisme_formation": None, "liste_rge": None, "liste_uai": None,
        "longitude": None, "nom_commercial": None, "numero_voie": c["numero"],
        "dernier_numero_voie": None, "region": c["region"], "siret": _siret(c["siren"]),
        "statut_diffusion_etablissement": "O", "tranche_effectif_salarie": c["tranche"],
        "type_voie": c["type_voie"],
    }


_COMPLEMENTS_FALSE = (
    "egapro_renseignee", "est_achats_responsables", "est_alim_confiance", "est_association",
    "est_avocat", "est_bio", "est_entrepreneur_individuel", "est_entrepreneur_spectacle",
    "est_ess", "est_finess", "est_organisme_formation", "est_qualiopi", "est_rge", "est_siae",
    "est_societe_mission", "est_uai", "est_patrimoine_vivant", "bilan_ges_renseigne",
    "a_aide_minimis", "a_aide_ademe", "est_administration", "est_service_public",
    "est_l100_3",
)


def _result(c: dict[str, Any]) -> dict[str, Any]:
    siege = _siege(c)
    dirigeants: list[dict[str, Any]] = [
        {"nom": nom, "prenoms": prenoms, "annee_de_naissance": None, "date_de_naissance": None,
         "qualite": qualite, "nationalite": None, "type_dirigeant": "personne physique"}
        for nom, prenoms, qualite in c["dirigeants"]
    ]
    if c.get("auditor"):
        dirigeants.append({"siren": "999999999", "denomination": c["auditor"],
                           "qualite": "Commissaire aux comptes titulaire",
                           "type_dirigeant": "personne morale"})
    complements: dict[str, Any] = {
        "collectivite_territoriale": None, "convention_collective_renseignee": False,
        "liste_idcc": None, "liste_finess_juridique": None, "liste_id_organisme_formation": None,
        "identifiant_association": None, "statut_entrepreneur_spectacle": None,
        "type_siae": None,
    }
    complements.update(dict.fromkeys(_COMPLEMENTS_FALSE, False))
    matching = {k: siege[k] for k in (
        "activite_principale", "activite_principale_naf25", "annee_tranche_effectif_salarie",
        "adresse", "caractere_employeur", "code_postal", "commune", "date_creation",
        "date_debut_activite", "date_fermeture", "epci", "est_siege", "etat_administratif",
        "geo_id", "latitude", "libelle_commune", "liste_enseignes", "liste_finess",
        "liste_id_bio", "liste_idcc", "liste_id_organisme_formation", "liste_rge", "liste_uai",
        "longitude", "nom_commercial", "region", "siret", "statut_diffusion_etablissement",
        "tranche_effectif_salarie")}
    matching["ancien_siege"] = False
    return {
        "siren": c["siren"], "nom_complet": c["name"], "nom_raison_sociale": c["name"],
        "sigle": None, "nombre_etablissements": 1, "nombre_etablissements_ouverts": 1,
        "siege": siege, "activite_principale": c["naf"], "activite_principale_naf25": c["naf"],
        "categorie_entreprise": c["categorie"], "caractere_employeur": None,
        "annee_categorie_entreprise": "2023", "date_creation": c["created"],
        "date_fermeture": None, "date_mise_a_jour": "2026-05-17T11:18:35",
        "date_mise_a_jour_insee": "2025-12-06T06:10:25",
        "date_mise_a_jour_rne": "2024-05-19T17:01:20", "dirigeants": dirigeants,
        "etat_administratif": "A", "nature_juridique": c["nature"],
        "section_activite_principale": "J" if c["naf"].startswith(("58", "62")) else "M",
        "tranche_effectif_salarie": c["tranche"], "annee_tranche_effectif_salarie": "2023",
        "statut_diffusion": "O", "matching_etablissements": [matching], "finances": None,
        "complements": complements,
    }


def recherche_entreprises() -> None:
    folder = HERE / "recherche_entreprises"
    folder.mkdir(exist_ok=True)
    body = {"results": [_result(c) for c in COMPANIES], "total_results": len(COMPANIES),
            "page": 1, "per_page": 25, "total_pages": 1}
    _write(folder / "search_page1.json", body)
    _write(folder / "manifest.json", {
        "connector": "recherche_entreprises",
        "options": {"departement": "35,44,69,75"},
        "routes": [{"path": "/search", "query": {"page": "1"}, "body": "search_page1.json"}],
    })


# --- GitHub -----------------------------------------------------------------------------

ORG = {
    "login": "nuage-dev-demo", "id": 90000001, "node_id": "O_demo0001",
    "url": "https://api.github.com/orgs/nuage-dev-demo",
    "repos_url": "https://api.github.com/orgs/nuage-dev-demo/repos",
    "events_url": "https://api.github.com/orgs/nuage-dev-demo/events",
    "hooks_url": "https://api.github.com/orgs/nuage-dev-demo/hooks",
    "issues_url": "https://api.github.com/orgs/nuage-dev-demo/issues",
    "members_url": "https://api.github.com/orgs/nuage-dev-demo/members{/member}",
    "public_members_url": "https://api.github.com/orgs/nuage-dev-demo/public_members{/member}",
    "avatar_url": "https://avatars.githubusercontent.com/u/90000001?v=4",
    "description": "Éditeur de logiciel SaaS B2B pour les équipes commerciales.",
    "name": "Nuage Dev", "company": None, "blog": "https://www.nuage-dev.example",
    "location": "Lyon, France", "email": "contact@nuage-dev.example",
    "twitter_username": None, "is_verified": False, "has_organization_projects": True,
    "has_repository_projects": True, "public_repos": 12, "public_gists": 0,
    "followers": 40, "following": 0, "html_url": "https://github.com/nuage-dev-demo",
    "created_at": "2019-04-02T09:12:44Z", "updated_at": "2025-10-01T08:00:00Z",
    "archived_at": None, "type": "Organization",
}
USERS = [
    ("lea-fontaine-demo", 90000101, "Léa Fontaine", "lea.fontaine@nuage-dev.example",
     "@nuage-dev-demo", "Lyon, France"),
    ("hmartin-demo", 90000102, "Hugo Martin", None, "Nuage Dev", "Villeurbanne"),
    ("sarah-k-demo", 90000103, "Sarah Kaddour", "sarah@kaddour.test", None, "France"),
    ("bot-demo", 90000104, None, None, None, None),  # no name, no email: nobody to contact
]


def _simple_user(login: str, uid: int) -> dict[str, Any]:
    return {
        "login": login, "id": uid, "node_id": f"U_demo{uid}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4", "gravatar_id": "",
        "url": f"https://api.github.com/users/{login}", "html_url": f"https://github.com/{login}",
        "type": "User", "site_admin": False,
    }


def github() -> None:
    folder = HERE / "github"
    folder.mkdir(exist_ok=True)
    _write(folder / "orgs_nuage-dev-demo.json", ORG)
    _write(folder / "orgs_nuage-dev-demo_public_members.json",
           [_simple_user(login, uid) for login, uid, *_ in USERS])
    routes = [
        {"path": "/orgs/nuage-dev-demo", "body": "orgs_nuage-dev-demo.json"},
        {"path": "/orgs/nuage-dev-demo/public_members",
         "body": "orgs_nuage-dev-demo_public_members.json"},
    ]
    for login, uid, name, email, company, location in USERS:
        user = {**_simple_user(login, uid), "name": name, "company": company, "blog": "",
                "location": location, "email": email, "hireable": None, "bio": None,
                "twitter_username": None, "public_repos": 3, "public_gists": 0,
                "followers": 2, "following": 1, "created_at": "2020-01-01T00:00:00Z",
                "updated_at": "2025-01-01T00:00:00Z"}
        _write(folder / f"users_{login}.json", user)
        routes.append({"path": f"/users/{login}", "body": f"users_{login}.json"})
    _write(folder / "manifest.json",
           {"connector": "github", "options": {"org": "nuage-dev-demo"}, "routes": routes})


def _write(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    recherche_entreprises()
    github()
