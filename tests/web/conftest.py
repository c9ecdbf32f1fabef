"""The reference app's browser fixtures: one served process and one Chromium per module, a
fresh browser context per test (see tests/support/web_app.py)."""

from tests.support.web_app import chromium, served, web

__all__ = ["chromium", "served", "web"]
