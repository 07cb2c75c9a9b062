"""Rendering: domain values → HTML text and button layouts, in the group's language."""
