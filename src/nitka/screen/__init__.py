"""Instant checks of persons, travel documents and vehicles against watch lists."""
