"""The road so far (traject met tijdlijn): the four phases with the household's own dates, and what happened on the
way (meetings, plan versions and approvals, the safety circle's aim), the scales' trend, and the next step."""
