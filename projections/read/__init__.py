"""Queries over the read models, one module per view."""
