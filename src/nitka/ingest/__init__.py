"""Ingest: sources in their own formats, turned into graded police statements."""
