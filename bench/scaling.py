"""Pages that must not grow with the club: ``/events``, ``/me`` and ``/members`` at 500 events and
2,000 members against 5,000 events and 20,000 members (goal: the large club's time per request
within 1.5× of the small one's), the SQL statements each page sends at both sizes (counted in one
process with the test client), and the resident memory of each gunicorn worker after the load
(goal < 150 MB).

    python bench/scaling.py                      # two SQLite scratch databases in /tmp/club-bench
    BENCH_DATABASE_URL=postgresql://…/scratch python bench/scaling.py
    (PostgreSQL: two sibling databases, <name>_s2000 and <name>_s20000, are created and seeded once)
    (bench/pages.py runs it too, last)
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import pages  # noqa: E402

SIZES = [("small", 2000, 500), ("large", 20000, 5000)]
SCALING_PAGES = [("/events", "/events"), ("/me", "/me"), ("/members (directory)", "/members")]


def _sibling(url: str, suffix: str) -> str:
    """A PostgreSQL database next to ``url`` (created if missing)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{suffix}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}) is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def statements(env: dict, cookies: dict) -> dict[str, int]:
    """SQL statements each page sends, counted in a separate process with the test client."""
    code = r'''
import json, sys
from sqlalchemy import event
from club import create_app
from club.extensions import db
app = create_app()
cookies, paths = json.loads(sys.argv[1]), json.loads(sys.argv[2])
counts = {}
with app.app_context():
    engine = db.engine
n = [0]
event.listen(engine, "before_cursor_execute", lambda *a, **k: n.__setitem__(0, n[0] + 1))
client = app.test_client()
cookie_name, cookie_value = cookies["member"].split("=", 1)
client.set_cookie(cookie_name, cookie_value)
for name, path in paths:
    client.get(path)  # warm: the session and the caches
    n[0] = 0
    answer = client.get(path)
    counts[name] = n[0] if answer.status_code == 200 else -answer.status_code
print(json.dumps(counts))
'''
    import json

    out = subprocess.run([sys.executable, "-c", code, json.dumps(cookies), json.dumps(SCALING_PAGES)], cwd=ROOT,
                         env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main_for(pg_url: str | None, rounds: int, seconds: int) -> None:
    clubs = []
    for label, members, events in SIZES:
        url = _sibling(pg_url, f"s{members}") if pg_url else None
        url, env, cookies = pages.prepare(members, events, url)
        clubs.append((label, members, events, env, cookies))
    servers, results, memory, counts = [], {}, {}, {}
    try:
        ports = []
        for label, _m, _e, env, cookies in clubs:
            port = pages._free_port()
            servers.append(pages._serve("wsgi:app", env, port))
            ports.append(port)
            for _name, path in SCALING_PAGES:  # each page answers 200 before it is measured
                request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookies["member"]})
                urllib.request.urlopen(request, timeout=120).read()
            counts[label] = statements(env, cookies)
        for _round in range(rounds):  # interleaved: each page at both sizes, one after the other
            for name, path in SCALING_PAGES:
                for (label, _m, _e, _env, cookies), port in zip(clubs, ports):
                    results.setdefault((name, label), []).append(
                        pages.wrk(f"http://127.0.0.1:{port}{path}", cookies["member"], seconds))
        for (label, *_rest), server in zip(clubs, servers):
            memory[label] = pages.worker_memory(server)
    finally:
        for server in servers:
            pages._stop(server)
    database = "PostgreSQL" if pg_url else "SQLite"
    (small, sm, se, *_), (large, lm, le, *_) = clubs
    print(f"\nScaling, {database}: {sm:,} members / {se:,} events against {lm:,} / {le:,}; median of {rounds} "
          f"rounds of wrk -t2 -c16 -d{seconds}s, gunicorn 2 sync workers (goal: large within 1.5× of small)\n")
    print("| page | req/s small | req/s large | time large ÷ small | p50 ms small / large | statements small / large |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, _path in SCALING_PAGES:
        a, b = results[(name, small)], results[(name, large)]
        rps_a, rps_b = statistics.median(r["rps"] for r in a), statistics.median(r["rps"] for r in b)
        print(f"| {name} | {rps_a:.0f} | {rps_b:.0f} | {rps_a / rps_b:.2f}× "
              f"| {pages._median(r['p50'] for r in a):.1f} / {pages._median(r['p50'] for r in b):.1f} "
              f"| {counts[small][name]} / {counts[large][name]} |")
    for label, sizes in memory.items():
        print(f"\nMemory per gunicorn worker, {label} club, after the load: "
              f"{', '.join(f'{m:.0f} MB' for m in sizes)} (goal < 150 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL")
    main_for(url or None, args.rounds, args.seconds)


if __name__ == "__main__":
    main()
