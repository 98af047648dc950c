"""The one way through: every user action as one function.

Each function takes the acting ``Actor`` (``nitka.access.actor``) and the
connection of the caller's transaction, checks what the actor may do,
writes the audit record, does the work and, where the work changes what
readers see, ends with the after-write step (``nitka.effects``). The CLI and
HTTP (API and pages) call only these: no access check and no SQL lives in a
front end, so the two cannot drift apart.

A refusal is recorded in the audit trail before it is raised (``RefusedError``);
the caller commits the transaction either way, so the record stays.
"""
