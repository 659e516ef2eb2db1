"""Concurrent sign-ins against a running club (``bench/pages.py`` seeds one): N clients sign in as
different members at once, again and again; prints the answers by status. Zero 5xx is the goal.

    python bench/signin.py http://127.0.0.1:PORT --clients 8 --seconds 20
"""
from __future__ import annotations

import argparse
import collections
import re
import threading
import time

import requests

PASSWORD = "bench-correct-horse-battery"  # bench/seed.py gives every seeded person this password


def client(base: str, member_id: int, until: float, counts: collections.Counter, lock: threading.Lock) -> None:
    while time.time() < until:
        with requests.Session() as http:
            page = http.get(f"{base}/login", timeout=60)
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
            answer = http.post(f"{base}/login", data={"csrf_token": token.group(1) if token else "",
                                                       "email": f"member{member_id}@bench.example",
                                                       "password": PASSWORD}, allow_redirects=False, timeout=60)
        with lock:
            counts[answer.status_code] += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()
    counts: collections.Counter = collections.Counter()
    lock = threading.Lock()
    until = time.time() + args.seconds
    threads = [threading.Thread(target=client, args=(args.base, 10 + i, until, counts, lock))
               for i in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"sign-ins by answer: {dict(sorted(counts.items()))}; 5xx: {sum(v for k, v in counts.items() if k >= 500)}")


if __name__ == "__main__":
    main()
