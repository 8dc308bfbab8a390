"""Danger statements, safety goals, safety scales and their scores, and the phases they lead through."""
