"""The package version, kept in one place so build metadata and outputs agree."""

__version__ = "0.1.0"
