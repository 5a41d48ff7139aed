"""The project's pipeline: validate, train and evaluate (see README.md)."""

__version__ = "0.1.0"
