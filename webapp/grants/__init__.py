"""Grants: a professional's access to a household for a while (the ground floor's part of it).

What a grant is, how long it lasts and whether one is active now, so that sign-in, invitations and the access rule
can ask without importing the professionals capability built on top (its summary, caseload and audit)."""
