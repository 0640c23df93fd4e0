"""Recorded recherche_entreprises answers for the demo (made up; see ../README.md)."""
