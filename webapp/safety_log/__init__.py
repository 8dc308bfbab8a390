"""The safety log: what happens, written down by the household and its network, kept as evidence."""
