"""Playwright's `expect`, or a skip (a failure where a browser is required) when it is missing."""

import os

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - depends on the machine
    if os.environ.get("KETTLE_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip("Playwright cannot be imported; run `make install`.", allow_module_level=True)

__all__ = ["expect"]
