"""Load test on loopback: 20 concurrent `POST /v1/check` of a 20-page DCE, and `/healthz`
polled every 50 ms meanwhile.

    python bench/load.py [--requests 20] [--pages 20]

Target (issue 8): no error, and `GET /healthz` answers in under 100 ms during the load
(the checks run in worker processes, never on the event loop).  Bounded: the server runs
with its default of 2 concurrent checks; the other requests wait their turn.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, long_pdf  # noqa: I001


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(root: Path) -> tuple[subprocess.Popen, str]:
    import httpx

    port = free_port()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]), ACHAT_CHECK_DB=str(root / "achat-check.db"),
               ACHAT_CHECK_DATA_DIR=str(root / "data"))
    proc = subprocess.Popen([sys.executable, "-m", "achat_check.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("le serveur n'a pas démarré")


def poll_health(base: str, stop, health: list[float], stamps: list[float], t0: float) -> None:
    """/healthz every 50 ms from its own thread and client, so that the load generator's
    own work (encoding 20 uploads) is not counted as the server's latency."""
    import httpx

    with httpx.Client(timeout=10) as client:
        while not stop.is_set():
            t = time.perf_counter()
            r = client.get(base + "/healthz")
            assert r.status_code == 200
            health.append((time.perf_counter() - t) * 1000)
            stamps.append(round(time.perf_counter() - t0, 2))
            time.sleep(0.05)


async def load(base: str, pdf: bytes, rc: bytes, n: int) -> dict:
    import threading

    import httpx

    health: list[float] = []
    stamps: list[float] = []
    t0 = time.perf_counter()
    stop = threading.Event()
    poller = threading.Thread(target=poll_health, args=(base, stop, health, stamps, t0))
    poller.start()

    async def one(client: httpx.AsyncClient) -> tuple[int, float]:
        t = time.perf_counter()
        r = await client.post(base + "/v1/check", files=[("files", ("CCTP.pdf", pdf)), ("files", ("RC.txt", rc))])
        return r.status_code, time.perf_counter() - t

    limits = httpx.Limits(max_connections=n + 5)
    try:
        async with httpx.AsyncClient(timeout=600, limits=limits) as client:
            t = time.perf_counter()
            results = await asyncio.gather(*(one(client) for _ in range(n)))
            total = time.perf_counter() - t
    finally:
        stop.set()
        poller.join()
    statuses = [s for s, _ in results]
    return {
        "requests": n,
        "ok": sum(1 for s in statuses if s == 200),
        "errors": [s for s in statuses if s != 200],
        "total_seconds": round(total, 2),
        "checks_per_second": round(n / total, 2),
        "request_seconds_max": round(max(d for _, d in results), 2),
        "healthz_samples": len(health),
        "healthz_ms_median": round(statistics.median(health), 1),
        "healthz_ms_p95": round(sorted(health)[int(0.95 * (len(health) - 1))], 1),
        "healthz_ms_max": round(max(health), 1),
        "slowest_healthz_at_seconds": [(stamps[i], round(health[i])) for i in sorted(range(len(health)), key=lambda i: -health[i])[:3]],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=20)
    ap.add_argument("--pages", type=int, default=20)
    args = ap.parse_args()
    pdf = long_pdf(args.pages)
    rc = ("RÈGLEMENT DE LA CONSULTATION\n\nLa consultation est passée selon la procédure de l'appel d'offres ouvert.\n"
          "Date limite de réception des offres : 15 octobre 2026.\n").encode()
    with tempfile.TemporaryDirectory() as tmp:
        proc, base = start(Path(tmp))
        try:
            result = asyncio.run(load(base, pdf, rc, args.requests))
        finally:
            proc.terminate()
            proc.wait(20)
    result["pages_per_request"] = args.pages + 1
    result["targets"] = {"no_error": not result["errors"], "healthz_under_100_ms": result["healthz_ms_max"] < 100}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
