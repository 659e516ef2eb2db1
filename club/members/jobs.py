"""The member portal's periodic jobs (``club.core.jobs``): each curator's weekly summary of members at risk."""
from club.core.jobs import periodic

periodic("curator-weekly-summary", every=7 * 24 * 3600, target="club.members.at_risk:send_weekly_summaries")
