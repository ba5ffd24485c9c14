"""The document page of a large period (built by bench/scale.py) in Chromium: a real server
(`python app.py`, gevent) on that database, Debian's chromium driven by Playwright, signed in
as the administrator. Median of N loads of: DOMContentLoaded, the load event, and the page
being interactive (its scripts ran and the live channel joined: our own presence badge shows),
with the transferred HTML size and Chromium's JS heap.

  python bench/browser_page.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/scratch --document 1
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--document", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--email", default="admin@scale.example")
    parser.add_argument("--password", default="correct horse battery")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--with-workers", action="store_true",
                        help="keep the notifier and mail worker on (on a freshly generated period the notifier "
                             "first works through every event of the load, in the server's process)")
    args = parser.parse_args()
    env = {**os.environ, "DATABASE_URL": args.database_url, "SECRET_KEY": os.environ.get("SECRET_KEY", "bench"),
           "PERIOD_SCHEDULER_ENABLED": "0"}
    if not args.with_workers:
        env.update({"NOTIFIER_ENABLED": "0", "MAIL_WORKER_ENABLED": "0"})
    server = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--host", "127.0.0.1", "--port", "0"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = None
        deadline = time.monotonic() + args.timeout
        while url is None and time.monotonic() < deadline:
            line = server.stdout.readline()
            if not line:
                raise SystemExit("the server stopped before serving")
            found = re.search(r"serving on (http://\S+)", line)
            url = found.group(1) if found else None
        if url is None:
            raise SystemExit("the server did not start")
        measure(url, args)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def measure(url: str, args) -> None:
    from playwright.sync_api import sync_playwright

    print(f"load average before: {os.getloadavg()}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        context = browser.new_context(base_url=url)
        page = context.new_page()
        page.set_default_timeout(args.timeout * 1000)
        page.goto("/sign-in")
        page.fill("#email", args.email)
        page.fill("#password", args.password)
        page.click("form button.primary")
        page.wait_for_url("**/documents")
        figures = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = page.goto(f"/documents/{args.document}", wait_until="commit")
            page.wait_for_load_state("domcontentloaded")
            page.wait_for_load_state("load")
            page.locator("#presence-list .badge").first.wait_for()
            interactive = (time.perf_counter() - started) * 1000
            timing = page.evaluate("""() => {
                const nav = performance.getEntriesByType('navigation')[0];
                return {dom: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, bytes: nav.transferSize,
                        first_byte: nav.responseStart, last_byte: nav.responseEnd, dom_interactive: nav.domInteractive,
                        html: nav.decodedBodySize, heap: performance.memory ? performance.memory.usedJSHeapSize : 0,
                        elements: document.getElementsByTagName('*').length};
            }""")
            figures.append({**timing, "interactive": interactive, "status": response.status})
        browser.close()
    median = {key: statistics.median(f[key] for f in figures) for key in ("first_byte", "last_byte", "dom_interactive", "dom", "load",
                                                                   "interactive")}
    last = figures[-1]
    print(f"document page in Chromium (median of {args.runs}): first byte {median['first_byte']:,.0f} ms, "
          f"last byte {median['last_byte']:,.0f} ms, DOM interactive {median['dom_interactive']:,.0f} ms, DOMContentLoaded {median['dom']:,.0f} ms, "
          f"load {median['load']:,.0f} ms, interactive (live channel joined) {median['interactive']:,.0f} ms "
          f"(goal < 2,000 ms); HTML {last['html'] / 1024:,.0f} kB, {last['elements']:,} elements, "
          f"JS heap {last['heap'] / 1e6:,.1f} MB; status {last['status']}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
