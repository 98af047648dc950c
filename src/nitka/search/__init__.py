"""Transliteration-aware search over names and identifiers."""
