"""Peers the service is measured against, under the same gunicorn configuration."""
