"""The owner's figures: entry funnel, members and churn, money, events, curators, referrers,
engagement — composed from the aggregate functions each feature offers in its ``stats.py``."""
