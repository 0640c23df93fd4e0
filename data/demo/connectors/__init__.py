"""Recorded public-API responses the demo replays from a local server (made-up companies)."""
