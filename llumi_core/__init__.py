"""LLUMI core: platform-independent drafting, improvement, safety and storage."""

__version__ = "0.1.0"
