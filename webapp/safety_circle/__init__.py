"""The safety circle (veiligheidscirkel): the people around the child in rings by how involved they are in the child's
safety now, professionals apart; every change kept, so the circle of any earlier day can be shown. The network page."""
