"""Data ownership: people and households take their records with them."""
