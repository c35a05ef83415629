"""Panels and timeline sources of the exclusive space, one module per topic."""
