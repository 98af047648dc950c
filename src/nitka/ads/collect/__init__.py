"""Collecting ads with their provenance: one reader per source format (CSV, JSON
lines, RSS/Atom feeds, saved web pages, Telegram Desktop channel exports), each ad
turned into an FtM ``Message`` entity by one converter (``converter``), written
through the ingest path."""
