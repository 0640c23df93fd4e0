"""Recorded github answers for the demo (made up; see ../README.md)."""
