"""First steps: the checklist on a new household's home, in the method's order, ticked from the data."""
