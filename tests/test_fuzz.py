"""Schemathesis against the service's own /openapi.json, through the real app.

Every operation gets generated requests (well over 1,000 in all); each answer must be
no server error, a documented status, the documented content type, and a body that
validates against the documented schema.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service import Settings, create_app

from .conftest import LOCALES

app = create_app(Settings(locales_dir=LOCALES))
schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SENT: dict[str, int] = {}


@schema.parametrize()
@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_to_the_openapi_document(case):
    key = f"{case.method} {case.path}"
    SENT[key] = SENT.get(key, 0) + 1
    # The WSGI transport does not decode gzip/brotli bodies (tests/test_frontend.py covers them).
    case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})


def test_the_fuzzer_covered_every_operation_with_over_1000_requests():
    paths = app.test_client().get("/openapi.json").get_json()["paths"]
    operations = {f"{method.upper()} {path}" for path, item in paths.items() for method in item}
    operations.discard("GET /openapi.json")  # schemathesis does not fuzz the document it reads
    # Schemathesis also tries methods the document does not list (DELETE, QUERY, …): all passed too.
    assert operations <= set(SENT), "run the whole module: the fuzzing tests above fill SENT"
    total = sum(SENT[op] for op in operations)
    print(f"schemathesis sent {total} requests to {len(operations)} documented operations: {SENT}")
    assert total >= 1000, SENT
