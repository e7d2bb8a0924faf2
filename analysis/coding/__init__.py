"""Qualitative coding of open answers."""
