"""Reusable widgets for the kpotui screens."""
