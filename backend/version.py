"""The package's version, in a module of its own so that any module can name it without
importing the package's public API (which imports them all)."""

__version__ = "0.1.0"
