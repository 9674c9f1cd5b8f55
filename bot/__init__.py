"""Beacon: an event-based news alerting bot."""

__version__ = "0.1.0"
