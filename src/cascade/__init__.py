"""Cascade: the partner learning platform that lives inside a vendor's partner program."""
