"""kpotui: keep Knowledge Process Outsourcing under control, from a terminal."""

__version__ = "0.1.0"
