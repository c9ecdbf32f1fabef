"""The Strawberry extensions the schema runs with: document limits and the bounded validation
that enforces them, error masking, and per-field metrics."""
