"""Signals and alerts: the safe object moved, a child is worried; the network is alerted and answers."""
