#!/usr/bin/env python3
"""Load for `warroom sim serve` on loopback (stdlib asyncio only), driven by
scripts/stress-simserve.sh: 10,000 connections sending requests, clients sending oversized
bodies, slow clients trickling their request heads; while each runs, a probe client makes one
request every 200 ms, and the endpoint's memory (peak RSS) and CPU are sampled from /proc.
Prints one Markdown table row per scenario. Usage: stress-simserve.py PID HOST:PORT."""

import asyncio
import sys
import time

PID = int(sys.argv[1])
HOST, PORT = sys.argv[2].rsplit(":", 1)
PORT = int(PORT)

BODY = b"Action=DescribeTargetGroups&Names.member.1=BTS-tg&Version=2015-12-01"
HEAD = (
    "POST / HTTP/1.1\r\nhost: {h}\r\n"
    "content-type: application/x-www-form-urlencoded; charset=utf-8\r\n"
    "authorization: AWS4-HMAC-SHA256 Credential=AKIDWARROOMSIM/20260613/ap-northeast-2/"
    "elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=0\r\n"
).format(h=sys.argv[2])
REQUEST = (HEAD + f"content-length: {len(BODY)}\r\n\r\n").encode() + BODY


def ticks():
    with open(f"/proc/{PID}/stat") as f:
        rest = f.read().rsplit(")", 1)[1].split()
    return int(rest[11]) + int(rest[12])


def rss_mb():
    with open(f"/proc/{PID}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def read_response(r):
    """Status of one HTTP/1.1 response (reads its body by content-length)."""
    line = await r.readline()
    if not line:
        raise ConnectionError("closed")
    status = int(line.split()[1])
    length = 0
    while True:
        h = await r.readline()
        if h in (b"\r\n", b""):
            break
        k, _, v = h.decode("latin-1").partition(":")
        if k.strip().lower() == "content-length":
            length = int(v)
    if length:
        await r.readexactly(length)
    return status


class Probe:
    """One request every 200 ms on a fresh connection: latency and success."""

    def __init__(self):
        self.ok, self.failed, self.lat = 0, 0, []

    async def run(self, until):
        while time.monotonic() < until:
            t = time.monotonic()
            try:
                r, w = await asyncio.wait_for(asyncio.open_connection(HOST, PORT), 5)
                w.write(REQUEST)
                status = await asyncio.wait_for(read_response(r), 5)
                w.close()
                if status == 200:
                    self.ok += 1
                    self.lat.append(time.monotonic() - t)
                else:
                    self.failed += 1
            except (OSError, asyncio.TimeoutError, ValueError, IndexError, asyncio.IncompleteReadError):
                self.failed += 1
            await asyncio.sleep(0.2)

    def summary(self):
        if not self.lat:
            return f"0/{self.ok + self.failed} ok"
        lat = sorted(self.lat)
        p50 = lat[len(lat) // 2] * 1000
        return f"{self.ok}/{self.ok + self.failed} ok, p50 {p50:.0f} ms, max {lat[-1] * 1000:.0f} ms"


async def sampler(until, peak):
    while time.monotonic() < until:
        peak[0] = max(peak[0], rss_mb())
        await asyncio.sleep(0.1)


async def scenario(name, load, seconds):
    t0, c0, peak = time.monotonic(), ticks(), [rss_mb()]
    until = t0 + seconds
    probe = Probe()
    results = await asyncio.gather(load(until), probe.run(until), sampler(until, peak))
    cpu = (ticks() - c0) / 100
    wall = time.monotonic() - t0
    print(f"| {name:<34} | {wall:5.1f} | {peak[0]:7.1f} | {cpu / wall * 100:5.0f} % | {results[0]:<46} | {probe.summary():<36} |", flush=True)


async def many_connections(until, n=10_000):
    """Opens n connections (500 connects in flight at most), then each sends requests until
    `until` on its keep-alive connection; a connection turned away stops."""
    counts = {"answered": 0, "503": 0, "closed": 0, "refused": 0}
    opened = [0]
    gate = asyncio.Semaphore(500)

    async def client():
        async with gate:
            try:
                r, w = await asyncio.wait_for(asyncio.open_connection(HOST, PORT), 10)
            except (OSError, asyncio.TimeoutError):
                counts["refused"] += 1
                return
        opened[0] += 1
        try:
            while time.monotonic() < until:
                w.write(REQUEST)
                status = await asyncio.wait_for(read_response(r), 10)
                if status == 200:
                    counts["answered"] += 1
                else:
                    counts["503" if status == 503 else "closed"] += 1
                    break
        except (OSError, asyncio.TimeoutError, ValueError, IndexError, asyncio.IncompleteReadError):
            counts["closed"] += 1
        finally:
            w.close()

    await asyncio.gather(*(client() for _ in range(n)))
    return (f"{opened[0]} opened: {counts['answered']} answers, "
            f"{counts['503'] + counts['closed'] + counts['refused']} turned away")


async def oversized(until, clients=100):
    """Each client declares 1 GiB (or sends chunks without end) and writes until the endpoint
    answers; counts the 413s and the bytes written before them."""
    sent, refused = [0], [0]
    chunk = b"x" * (64 << 10)

    async def one(chunked):
        r, w = await asyncio.open_connection(HOST, PORT)
        head = HEAD + ("transfer-encoding: chunked\r\n\r\n" if chunked else f"content-length: {1 << 30}\r\n\r\n")
        w.write(head.encode())
        answer = asyncio.ensure_future(read_response(r))
        try:
            for _ in range(1 << 14):  # 1 GiB at most
                if answer.done():
                    break
                w.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" if chunked else chunk)
                await asyncio.wait_for(w.drain(), 5)
                sent[0] += len(chunk)
            if await asyncio.wait_for(answer, 5) == 413:
                refused[0] += 1
        except (OSError, asyncio.TimeoutError, ValueError, IndexError, asyncio.IncompleteReadError):
            pass
        finally:
            answer.cancel()
            w.close()

    async def client(chunked):
        while time.monotonic() < until:
            try:
                await one(chunked)
            except OSError:
                await asyncio.sleep(0.1)

    await asyncio.gather(*(client(i % 2 == 0) for i in range(clients)))
    per = sent[0] / max(refused[0], 1) / (1 << 20)
    return f"{refused[0]} x 413, {per:.1f} MiB written per 413"


async def slow_clients(until, n=500):
    cut, lasted = [0], []

    async def client():
        t = time.monotonic()
        try:
            r, w = await asyncio.open_connection(HOST, PORT)
            for b in (HEAD + "x-slow: ").encode() + b"a" * 10_000:
                w.write(bytes([b]))
                await w.drain()
                await asyncio.sleep(1)
                if time.monotonic() > until:
                    return
        except OSError:
            cut[0] += 1
            lasted.append(time.monotonic() - t)

    await asyncio.gather(*(client() for _ in range(n)))
    longest = max(lasted) if lasted else 0
    return f"{cut[0]}/{n} cut by the endpoint, after <= {longest:.0f} s"


async def main():
    print("| scenario                           |     s | peak MB |   CPU   | load                                           | probe (1 request / 200 ms)           |")
    print("|------------------------------------|-------|---------|---------|------------------------------------------------|--------------------------------------|")
    await scenario("idle", lambda until: asyncio.sleep(max(0, until - time.monotonic()), result="-"), 3)
    await scenario("10,000 connections, keep-alive", many_connections, 20)
    await scenario("100 clients x 1 GiB bodies", oversized, 10)
    await scenario("500 slow heads (1 byte/s)", slow_clients, 25)


asyncio.run(main())
