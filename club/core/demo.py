"""The password of every account in the demo club (the demo is for trying the club on one's own machine)."""
DEMO_PASSWORD = "demo-password"
