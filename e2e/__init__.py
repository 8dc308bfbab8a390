"""Browser tests (Playwright against the system Chromium)."""
