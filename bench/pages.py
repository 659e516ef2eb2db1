"""The page benchmark: the club's pages against a minimal Flask page, same server, same database.

    python bench/pages.py                       # SQLite scratch database in /tmp/club-bench
    BENCH_DATABASE_URL=postgresql://…/scratch python bench/pages.py   # PostgreSQL (an empty database)

Seeds the club (bench/seed.py: 10,000 members, 500 events, 50,000 bookings) once, serves the app and the
reference page (bench/minimal.py) each with gunicorn, 2 sync workers, and loads every page with
``wrk -t2 -c16 -d10s`` as a signed-in person of the right role, in rounds that interleave the
reference and the pages. Prints one table: median req/s of the rounds, p50, p99, the ratio to the
reference page's req/s in the same run, and non-2xx answers.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))  # bench.booking and bench.scaling, when run as a script
SECRET = "bench-secret-key-not-for-production-0123456789abcdef"

PAGES = [  # (name, path, who)
    ("/members (directory)", "/members", "member"),
    ("/members?city=lis", "/members?city=lis", "member"),
    ("/events", "/events", "member"),
    ("/events/<id>", "/events/{event}", "member"),
    ("/me", "/me", "member"),
    ("/curation/applications", "/curation/applications", "curator"),
    ("/admin", "/admin", "admin"),
    ("/admin/metrics?period=12m", "/admin/metrics?period=12m", "admin"),
    ("/admin/leaders", "/admin/leaders", "admin"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(app: str, env: dict, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([str(BIN / "gunicorn"), "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}",
                             "--log-level", "warning", app], cwd=ROOT, env=env, start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return proc
        except Exception:  # noqa: BLE001 - not up yet (or a redirect/403: it is up)
            if proc.poll() is not None:
                raise SystemExit(f"{app} did not start")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return proc
            except OSError:
                time.sleep(0.2)
    raise SystemExit(f"{app} did not start")


def _stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


def _ms(value: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s|m)$", value)
    if match is None:
        return float("nan")
    number, unit = match.groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(url: str, cookie: str | None, seconds: int) -> dict:
    cmd = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "30s", "--latency", url]  # slow pages count too
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\b50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\b99%\s+(\S+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {"rps": rps, "p50": p50, "p99": p99, "bad": int(bad.group(1)) if bad else 0}


def prepare(members: int, events: int, url: str | None = None, bookings: int | None = None) -> tuple[str, dict, dict]:
    """The scratch database of this size (seeded once, then reused), the servers' environment and
    the signed-in cookies of the member, the curator and the admin. ``bookings``: spread over the
    events (bench/seed.py's default otherwise: 20 per event)."""
    url = url or os.environ.get("BENCH_DATABASE_URL")
    if not url:
        scratch = Path(os.environ.get("BENCH_DIR", "/tmp/club-bench"))
        scratch.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{scratch}/club-{members}-{events}{f'-{bookings}' if bookings else ''}.sqlite"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET, "CLUB_ENV": "development",
           "MAIL_OUTBOX_DIR": "/tmp/club-bench/outbox", "PYTHONPATH": str(ROOT)}
    seeded = subprocess.run([sys.executable, "bench/seed.py", "--cookies-only"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if seeded.returncode != 0 or "member" not in seeded.stdout:
        print(f"seeding {members} members and {events} events into {url} …", file=sys.stderr)
        seeded = subprocess.run([sys.executable, "bench/seed.py", "--members", str(members),
                                 "--events", str(events), *(["--bookings", str(bookings)] if bookings else [])],
                                cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return url, env, json.loads(seeded.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--members", type=int, default=10000)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--bookings", type=int, default=50000, help="spread evenly over the events")
    parser.add_argument("--only", help="a substring of the page names to run")
    parser.add_argument("--no-booking", action="store_true", help="skip the booking race (bench/booking.py)")
    parser.add_argument("--no-scaling", action="store_true", help="skip the two club sizes (bench/scaling.py)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    url, env, cookies = prepare(args.members, args.events, bookings=args.bookings)
    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    app_port, ref_port = _free_port(), _free_port()
    club = _serve("wsgi:app", env, app_port)
    ref = _serve("bench.minimal:app", env, ref_port)
    results: dict[str, list[dict]] = {"minimal page": []}
    booking_rows = None
    try:
        event_id = _upcoming_event(app_port, cookies["member"])
        pages = [(n, p.format(event=event_id), w) for n, p, w in PAGES if not args.only or args.only in n]
        for name, path, who in pages:  # every page answers 200 to its person before it is measured
            request = urllib.request.Request(f"http://127.0.0.1:{app_port}{path}", headers={"Cookie": cookies[who]})
            urllib.request.urlopen(request, timeout=60).read()
        for _round in range(args.rounds):
            results["minimal page"].append(wrk(f"http://127.0.0.1:{ref_port}/", None, args.seconds))
            for name, path, who in pages:
                results.setdefault(name, []).append(wrk(f"http://127.0.0.1:{app_port}{path}", cookies[who],
                                                        args.seconds))
        memory = worker_memory(club)
        if not args.no_booking:
            from bench import booking

            try:
                booking_rows = booking.run(booking.Club(url, SECRET), app_port, ref_port, args.rounds, args.seconds)
            except Exception as exc:  # noqa: BLE001 - the page table is still worth printing
                print(f"booking race failed: {exc!r}"[:500], file=sys.stderr)
    finally:
        _stop(club)
        _stop(ref)
    base = statistics.median(r["rps"] for r in results["minimal page"])
    print(f"\n{database}, {args.members} members, {args.events} events, {args.bookings} bookings; median of {args.rounds} rounds of "
          f"wrk -t2 -c16 -d{args.seconds}s, gunicorn 2 sync workers\n")
    print(f"| page | req/s | % of minimal | p50 ms | p99 ms | non-2xx |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, runs in results.items():
        rps = statistics.median(r["rps"] for r in runs)
        print(f"| {name} | {rps:.0f} | {100 * rps / base:.1f} % | {_median(r['p50'] for r in runs):.1f} "
              f"| {_median(r['p99'] for r in runs):.1f} | {sum(r['bad'] for r in runs)} |")
    print(f"\nMemory per gunicorn worker after the pages: {', '.join(f'{m:.0f} MB' for m in memory)} (goal < 150 MB)")
    if booking_rows is not None:
        from bench import booking

        print(booking.table(database, booking_rows, args.seconds))
    sys.stdout.flush()
    if not args.no_scaling:
        from bench import scaling

        scaling.main_for(url if url.startswith("postgresql") else None, args.rounds, args.seconds)


def worker_memory(server: subprocess.Popen) -> list[float]:
    """Resident memory (MB) of each gunicorn worker of ``server`` (its master's children)."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if int(fields.get("PPid", "0").strip()) == server.pid and "VmRSS" in fields:
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(sizes)


def _median(values) -> float:
    known = [v for v in values if v == v]  # a latency wrk printed in a unit we do not read is left out
    return statistics.median(known) if known else float("nan")


def _upcoming_event(port: int, cookie: str) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/events", headers={"Cookie": cookie})
    body = urllib.request.urlopen(request, timeout=30).read().decode()
    return int(re.search(r'href="/events/(\d+)"', body).group(1))


if __name__ == "__main__":
    main()
