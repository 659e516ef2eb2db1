"""Real-browser tests: the club in Chromium, driven by Selenium (see conftest.py)."""
