"""Peers the service is measured against (bench/run.py starts each with 2 workers)."""
