"""Screening recruitment ads for indicators of trafficking (issue 24)."""
