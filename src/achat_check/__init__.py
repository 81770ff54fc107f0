"""achat-check: compliance checker for responsible public purchasing in France."""

__version__ = "0.1.0"
