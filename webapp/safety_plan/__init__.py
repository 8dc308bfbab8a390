"""The safety plan: versions, agreements, the safe object and approvals."""
