"""API serializers, one module per resource; shared pieces in base.py."""
