"""Practice drills (stresstest, oefenmomenten): the network tests the plan by practising the safe-object signal
through the real alert path, marked as practice, or by rehearsing a situation that once went wrong."""
