"""FilterSets, one per resource; shared filters in base.py."""
