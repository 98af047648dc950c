"""The browser workstation: server-rendered pages (Jinja2, htmx) over the same
access rules, audit trail and store as the API."""
