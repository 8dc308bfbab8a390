"""Households: creating one, its home page, its people and their roles, and the child view."""
