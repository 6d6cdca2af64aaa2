"""acsreview: a diagnostic tool for reviewing alternatives to coercive sanctions (ACS)."""

__version__ = "0.1.0"
