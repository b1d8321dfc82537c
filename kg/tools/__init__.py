"""Maintenance scripts that regenerate data files under ontology/."""
