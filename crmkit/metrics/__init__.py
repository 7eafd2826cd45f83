"""Metrics: pure functions on the tables of a CRM world (see the submodules)."""
