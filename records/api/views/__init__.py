"""API views, one module per resource; shared behaviour in base.py."""
