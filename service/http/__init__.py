"""The HTTP face of the service: prebuilt representations, the blueprint, problems,
CORS and the WSGI fast path that answers precomputed routes before Flask."""
