"""Signing in and out, passkeys, and a person's own settings."""
