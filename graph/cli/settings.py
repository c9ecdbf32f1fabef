"""The settings every command reads, with logging switched to their LOG_FORMAT."""

from __future__ import annotations

from domain.settings import Settings
from graph.startup.logs import configure_logging


def settings_from_environment() -> Settings:
    """The settings, with logging switched to their LOG_FORMAT."""
    settings = Settings.from_environment()
    configure_logging(settings.log_format)
    return settings
