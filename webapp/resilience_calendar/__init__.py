"""The resilience calendar: the week's rhythm from getting up to bedtime, with the six resilience elements."""
