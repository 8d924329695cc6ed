"""Operations: metrics counted right across server workers, request ids, JSON logs."""

from __future__ import annotations

import json
import os
import re
import signal
import time
from concurrent.futures import ThreadPoolExecutor

from service import Settings, create_app
from service.http.observability import FLUSH_SECONDS, BoundedLabels

from .conftest import CODE, LOCALES, REGISTRY, SERVED, UNSHIPPED, count_code
from .server import ProductionServer, get


def sample(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    match = re.search(rf"^{name}\{{{re.escape(wanted)}\}} ([0-9.e+]+)$", text, re.M)
    return float(match.group(1)) if match else 0.0


def settled_metrics(port: int, name: str, expected: float, **labels: str) -> str:
    """``/metrics`` once ``name`` reaches ``expected``: workers write their tallies every
    ``FLUSH_SECONDS``, so the sum may lag by that much, never by more."""
    deadline = time.monotonic() + 5 * FLUSH_SECONDS
    while True:
        text = get(port, "/metrics", {})[2].decode()
        if sample(text, name, **labels) >= expected or time.monotonic() > deadline:
            return text
        time.sleep(0.1)


def test_metrics_add_up_across_workers(tmp_path):
    with ProductionServer(tmp_path, workers=3) as server:
        assert len(server.workers()) == 3
        jobs = (
            [(f"/errors/{CODE}?lang=zh", {})] * 60
            + [(f"/errors/{CODE}", {"Accept-Language": f"{UNSHIPPED}-FR,{UNSHIPPED};q=0.9,en;q=0.5"})] * 25
            + [("/errors/99999", {})] * 10
            + [("/errors/88888", {"X-Request-ID": "trace-42"})] * 5
            + [("/errors?lang=ja", {})] * 20
        )
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda job: get(server.port, *job)[0], jobs))
        assert statuses.count(200) == 105 and statuses.count(404) == 15
        count = "errmsg_http_request_duration_seconds_count"
        text = settled_metrics(server.port, count, 100, route="/errors/{code}")
        assert sample(text, "errmsg_http_requests_total", route="/errors/{code}", status="200") == 85
        assert sample(text, "errmsg_http_requests_total", route="/errors/{code}", status="404") == 15
        assert sample(text, "errmsg_http_requests_total", route="/errors", status="200") == 20
        assert sample(text, "errmsg_unknown_code_lookups_total", code="99999") == 10
        assert sample(text, "errmsg_unknown_code_lookups_total", code="88888") == 5
        assert sample(text, "errmsg_unshipped_language_requests_total", language=UNSHIPPED) == 25
        assert sample(text, count, route="/errors/{code}") == 100
        buckets = "errmsg_http_request_duration_seconds_bucket"
        assert sample(text, buckets, le="+Inf", route="/errors/{code}") == 100
        assert sample(text, buckets, le="1.0", route="/errors/{code}") == 100  # each within a second
        assert 0 < sample(text, "errmsg_http_request_duration_seconds_sum", route="/errors/{code}") < 100

        # A worker killed after its tallies were written: its counts stay in the sums.
        victim = server.workers()[0]
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 20
        while (victim in server.workers() or len(server.workers()) < 3) and time.monotonic() < deadline:
            time.sleep(0.1)
        for _ in range(30):
            assert get(server.port, "/errors?lang=ja", {})[0] == 200
        text = settled_metrics(server.port, "errmsg_http_requests_total", 50, route="/errors", status="200")
        assert sample(text, "errmsg_http_requests_total", route="/errors", status="200") == 50
        assert sample(text, "errmsg_http_requests_total", route="/errors/{code}", status="200") == 85
    access = [json.loads(line) for line in server.access().splitlines()]
    traced = [entry for entry in access if entry["request_id"] == "trace-42"]
    assert len(traced) == 5 and all(e["status"] == 404 and e["path"] == "/errors/88888" for e in traced)
    assert all(
        re.fullmatch(r"[0-9a-f]{32}", e["request_id"]) for e in access if e["request_id"] != "trace-42"
    )


def test_request_id_is_echoed_or_generated(client):
    echoed = client.get(f"/errors/{CODE}", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["X-Request-ID"] == "abc-123"
    generated = client.get(f"/errors/{CODE}", headers={"X-Request-ID": "bad id <script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", generated.headers["X-Request-ID"])
    assert client.get("/nowhere").headers["X-Request-ID"]


def test_readyz_and_healthz(client):
    ready = client.get("/readyz").get_json()
    assert ready == {"status": "ready", "locales": len(SERVED), "codes": len(REGISTRY.entries),
                     "last_reload_error": None}  # fmt: skip
    assert client.get("/healthz").headers["Cache-Control"] == "no-store"


def test_metrics_can_be_turned_off():
    app = create_app(Settings(locales_dir=LOCALES, metrics=False))
    assert app.test_client().get("/metrics").status_code == 404


def test_label_sets_are_bounded():
    labels = BoundedLabels(limit=3)
    assert [labels(v) for v in ["a", "b", "c", "d", "a", "e"]] == ["a", "b", "c", "other", "a", "other"]


def test_in_process_metrics_count_fast_path_and_flask_alike():
    app = create_app(Settings(locales_dir=LOCALES))
    client = app.test_client()
    client.get(f"/errors/{CODE}?lang=de")  # fast path
    code, name = count_code(served=False)
    client.get(f"/errors/{code}?lang=de&{name}=3")  # Flask
    client.get("/errors/12345")
    text = client.get("/metrics").get_data(as_text=True)
    assert sample(text, "errmsg_http_requests_total", route="/errors/{code}", status="200") == 2
    assert sample(text, "errmsg_unknown_code_lookups_total", code="12345") == 1


def test_the_metrics_layer_never_parses_a_huge_header(parsed_headers):
    """The metrics take the header's first choice from negotiation, which parsed the
    bounded header once for the answer: one parse per request, never of the whole header."""
    import service.negotiation as negotiation
    from service.negotiation import MAX_HEADER_CHARS, MAX_RANGES

    seen = parsed_headers(negotiation)
    client = create_app(Settings(locales_dir=LOCALES)).test_client()
    header = f"{UNSHIPPED}, " + ", ".join(["xx-YY;q=0.5"] * 6000)
    assert client.get(f"/errors/{CODE}", headers={"Accept-Language": header}).status_code == 200
    assert len(seen) == 1 and len(seen[0]) <= MAX_HEADER_CHARS and seen[0].count(",") < MAX_RANGES
    text = client.get("/metrics").get_data(as_text=True)
    assert sample(text, "errmsg_unshipped_language_requests_total", language=UNSHIPPED) == 1
