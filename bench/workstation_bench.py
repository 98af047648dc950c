"""The workstation at case scale: 1M entities and about 10M statements.

Measures, against a running ``nitka serve`` on the store (SQLite, the
embedded default) with a signed-in investigator:

- the entity page and the search page: response time over loopback of 300
  requests each (random persons; each query a stored person's name in the
  other script), p50 and p95 (target p95 <= 300 ms);
- the chart's expansion of a node with 500 neighbours (the account that
  collects 500 others' payments): the JSON the chart reads, p50 and p95;
- in Debian's Chromium: the page with that node expanded, then its 500
  neighbours expanded in turn to a chart of some 2,000 nodes, and the frame
  time while the chart is zoomed and panned (requestAnimationFrame deltas).

    python -m bench.workstation_bench --entities 1000000

The store is built once through ``nitka ingest ftm`` into ``bench/results/``
and reused.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from typing import Any

import httpx
from tests.web.serving import free_port
from tests.web.workstation import csrf_of, form_token

from bench.corpus import CACHE
from bench.report import machine, save
from bench.search_bench import people
from bench.workstation_corpus import HUB, corpus_file
from nitka.access.accounts import add_account, find_account
from nitka.access.cases import add_case, add_member, case_exists
from nitka.ingest.ftm import FtMConverter
from nitka.ingest.runner import ingest
from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import Provenance
from nitka.store.db import make_engine
from nitka.store.migrate import upgrade
from nitka.store.reader import count_statements

CASE, USER, PASSWORD = "bench-case", "bench.investigator", "correct horse battery staple"
CHROMIUM = "/usr/bin/chromium"


def store(total: int) -> str:
    """The benchmark store's URL, built (once) from the corpus."""
    path = CACHE / f"workstation_{total}.db"
    url = f"sqlite:///{path}"
    done = path.with_suffix(".built")
    if not done.exists():
        path.unlink(missing_ok=True)
        engine = make_engine(url)
        upgrade(engine)
        started = time.perf_counter()
        provenance = Provenance("case-data", case=CASE, category=DataSubjectCategory.SUSPECT)
        ingest(engine, FtMConverter(str(corpus_file(total)), "case-data"), provenance)
        with engine.begin() as conn:
            if not case_exists(conn, CASE):
                add_case(conn, CASE, by="bench")
            if find_account(conn, USER) is None:
                add_account(conn, USER, "investigator", password=PASSWORD)
                add_member(conn, CASE, USER, by="bench")
            statements = count_statements(conn)
        engine.dispose()
        done.write_text(f"{statements} statements in {time.perf_counter() - started:.0f} s\n")
    return url


def _percentiles(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 1),
        "max_ms": round(ordered[-1], 1),
        "n": len(ordered),
    }


def _timed(client: httpx.Client, paths: list[str]) -> list[float]:
    timings = []
    for path in paths:
        start = time.perf_counter()
        answer = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 200, (path, answer.status_code)
    return timings


def http_figures(base: str, total: int, requests: int) -> tuple[dict[str, Any], httpx.Cookies]:
    rng = random.Random(5)
    persons = people(int(total * 0.40))
    client = httpx.Client(base_url=base, timeout=120)
    token = form_token(client.get("/ui/sign-in").text)
    signed = client.post(
        "/ui/sign-in",
        data={"name": USER, "password": PASSWORD, "form_token": token, "next": "/ui/"},
        follow_redirects=True,
    )
    csrf_of(signed.text)
    chosen = rng.sample(persons, requests + 20)
    entity_paths = [f"/ui/entities/{pid}" for pid, _, _ in chosen]
    search_paths = [f"/ui/search?q={query}" for _, _, query in chosen]
    _timed(client, entity_paths[:20] + search_paths[:20])  # warm-up
    figures = {
        "entity_page": _percentiles(_timed(client, entity_paths[20:])),
        "search_page": _percentiles(_timed(client, search_paths[20:])),
        "expand_500": _percentiles(_timed(client, [f"/ui/api/graph/expand?id={HUB}"] * 20)),
    }
    expanded = client.get(f"/ui/api/graph/expand?id={HUB}").json()
    figures["expand_500"]["nodes"] = len(expanded["nodes"])
    figures["expand_500"]["edges"] = len(expanded["edges"])
    return figures, client.cookies


CHART_NODES = 2_000
COUNT = "() => window.nitkaWorkspace.chart.cy.nodes().length"
IDS = "() => window.nitkaWorkspace.chart.cy.nodes().map((n) => n.id())"
FRAMES = """async () => {
  const cy = window.nitkaWorkspace.chart.cy;
  const deltas = [];
  let last = performance.now();
  const started = last;
  await new Promise((done) => {
    function frame(now) {
      deltas.push(now - last);
      last = now;
      const t = (now - started) / 1000;
      cy.zoom({ level: 0.6 + 0.4 * Math.sin(t * 2), renderedPosition: { x: 400, y: 250 } });
      cy.panBy({ x: Math.cos(t * 3) * 8, y: Math.sin(t * 3) * 8 });
      if (now - started < 4000) requestAnimationFrame(frame); else done();
    }
    requestAnimationFrame(frame);
  });
  return deltas.slice(1);
}"""


def browser_figures(base: str, cookies: httpx.Cookies) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        host = base.split("//", 1)[1].split(":")[0]
        context.add_cookies(
            [
                {"name": c.name, "value": c.value or "", "domain": host, "path": "/"}
                for c in cookies.jar
            ]
        )
        page = context.new_page()
        page.set_default_timeout(300_000)
        start = time.perf_counter()
        page.goto(f"{base}/ui/chart?id={HUB}")
        page.wait_for_selector("[data-nitka-workspace][data-ready=true]")
        first = (time.perf_counter() - start) * 1000
        neighbours = page.evaluate(
            "(hub) => window.nitkaWorkspace.chart.cy.nodes().map((n) => n.id())"
            ".filter((id) => id !== hub)",
            HUB,
        )
        start = time.perf_counter()
        page.evaluate("(ids) => window.nitkaWorkspace.chart.expand(ids)", neighbours)
        second = (time.perf_counter() - start) * 1000
        expanded = {HUB, *neighbours}
        while (nodes := page.evaluate(COUNT)) < CHART_NODES:
            fresh = [i for i in page.evaluate(IDS) if i not in expanded][:200]
            if not fresh:
                break
            expanded.update(fresh)
            page.evaluate("(ids) => window.nitkaWorkspace.chart.expand(ids)", fresh)
        edges = page.evaluate("() => window.nitkaWorkspace.chart.cy.edges().length")
        deltas = page.evaluate(FRAMES)
        gestures = _gesture_frames(page)
        browser.close()
    return {
        "open_with_500_neighbours_ms": round(first),
        "expand_500_neighbours_ms": round(second),
        "nodes": nodes,
        "edges": edges,
        "frame_ms_programmatic_zoom": _percentiles(deltas),
        "fps_programmatic_zoom": round(1000 / statistics.median(deltas), 1),
        "frame_ms_mouse": _percentiles(gestures),
        "fps_mouse": round(1000 / statistics.median(gestures), 1),
    }


RECORD = """() => {
  window.benchFrames = [];
  let last = performance.now();
  const stop = last + 4000;
  function frame(now) {
    window.benchFrames.push(now - last);
    last = now;
    if (now < stop) requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
}"""


def _gesture_frames(page: Any) -> list[float]:
    """Frame times while a user zooms with the wheel and drags the chart about."""
    box = page.get_by_test_id("chart").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.evaluate(RECORD)
    page.mouse.move(x, y)
    for step in range(20):
        page.mouse.wheel(0, -120 if step < 10 else 120)
        page.wait_for_timeout(40)
    page.mouse.move(x + 5, y + 5)
    page.mouse.down()
    for step in range(40):
        page.mouse.move(x + 5 + step * 6, y + 5 + step * 3)
        page.wait_for_timeout(16)
    page.mouse.up()
    page.wait_for_timeout(4200 - 20 * 40 - 40 * 16)
    deltas: list[float] = page.evaluate("() => window.benchFrames.slice(1)")
    return deltas


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    url = store(args.entities)
    engine = make_engine(url)
    upgrade(engine)
    with engine.connect() as conn:
        statements = count_statements(conn)
    engine.dispose()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    environment = {**os.environ, "NITKA_DATABASE_URL": url}
    server = subprocess.Popen(
        [sys.executable, "-m", "nitka.cli.main", "serve", "--port", str(port)],
        env=environment,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):
            try:
                httpx.get(f"{base}/ui/sign-in")
                break
            except httpx.TransportError:
                time.sleep(0.2)
        figures, cookies = http_figures(base, args.entities, args.requests)
        print(f"{args.entities:,} entities, {statements:,} statements", flush=True)
        for name in ("entity_page", "search_page", "expand_500"):
            print(f"{name:12} {figures[name]}", flush=True)
        figures["browser"] = browser_figures(base, cookies)
        print(f"browser      {figures['browser']}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    save(
        "workstation",
        {"entities": args.entities, "statements": statements, **figures, "machine": machine()},
    )


if __name__ == "__main__":
    main()
