"""Matching: names across scripts, dates and identifiers, every score explained."""
