"""An open-loop HTTP load generator: requests at a fixed rate, latency from the planned send time.

Request ``i`` is due at ``start + i / rate``; its latency runs from then to
its answer, so a server that falls behind shows it in the latency instead of
slowing the client down (no coordinated omission). Plain HTTP/1.1 over
keep-alive connections with asyncio streams: a Python HTTP client library
would spend more of the machine's two cores than the server.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    rate: float
    seconds: float
    sent: int = 0
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def achieved(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile(self, share: float) -> float:
        """Latency in milliseconds at this share (0.5, 0.99) of the answered requests."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    def summary(self) -> dict[str, float | int | dict[int, int]]:
        return {
            "target_rate": self.rate,
            "achieved_rate": round(self.achieved, 1),
            "requests": len(self.latencies),
            "p50_ms": round(self.percentile(0.5), 2),
            "p99_ms": round(self.percentile(0.99), 2),
            "mean_ms": round(statistics.fmean(self.latencies) * 1000, 2) if self.latencies else 0,
            "statuses": self.statuses,
        }


def _request(host: str, port: int, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}:{port}", "Content-Type: application/json"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


async def _run(
    host: str,
    port: int,
    path: str,
    bodies: list[bytes],
    headers: dict[str, str],
    rate: float,
    seconds: float,
    connections: int,
) -> LoadResult:
    result = LoadResult(rate=rate, seconds=seconds)
    total = int(rate * seconds)
    requests = [_request(host, port, path, bodies[i % len(bodies)], headers) for i in range(total)]
    counter = iter(range(total))
    start = time.perf_counter() + 0.2

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            for i in counter:
                due = start + i / rate
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                writer.write(requests[i])
                status = await _read_response(reader)
                result.latencies.append(time.perf_counter() - due)
                result.statuses[status] = result.statuses.get(status, 0) + 1
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    result.elapsed = time.perf_counter() - start
    result.sent = total
    return result


def run_load(
    host: str,
    port: int,
    path: str,
    bodies: list[bytes],
    *,
    rate: float,
    seconds: float,
    headers: dict[str, str] | None = None,
    connections: int = 64,
) -> LoadResult:
    """Send ``rate`` requests a second for ``seconds``, cycling through ``bodies``."""
    return asyncio.run(_run(host, port, path, bodies, headers or {}, rate, seconds, connections))
