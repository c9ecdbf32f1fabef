"""Endpoints that outside services call back, one module per service."""
