"""Invitations: personal links (and QR codes) to join a household in a given role."""
