"""Figures: seaborn-style functions that draw on an Axes and return it."""
