"""Responses in: reading each format, conforming to the definition, checking, scoring, writing."""
