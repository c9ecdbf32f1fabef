"""Strawberry types of Twofold's GraphQL API."""
