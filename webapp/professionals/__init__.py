"""Professionals: read-only access granted by the household for a while, the summary they read, their caseload,
and the audit of every view."""
