"""Network meetings (netwerkberaad): planning and invitations, questions beforehand, the preparation pack, the
minutes with scores and decisions that become a draft of the safety plan, and who chaired over time."""
