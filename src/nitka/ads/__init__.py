"""Recruitment ads: collecting them with their provenance, screening them for
indicators of trafficking, and the analysts' review (docs/ads.md)."""
