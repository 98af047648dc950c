"""Access control, the audit trail and data protection."""
