"""Offline demo: serve the dw.com stand-in on loopback (www on 127.0.0.1, feeds on localhost,
one port) and run `scrapy crawl dw` against it, or only serve it (`--serve-only`) and print the
commands that point a crawl, a backfill, `newsbot check`, `status` and `report` at it.

    python -m tests.fakedw [--data-dir data/demo] [--serve-only] [--port PORT]
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import time
from pathlib import Path

from tests.fakedw.demo import DEMO_LANGUAGES, build_demo_site, demo_commands
from tests.fakedw.server import FakeDwSite

PROJECT_DIR = Path(__file__).resolve().parents[2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--data-dir", default="data/demo",
                        help="NEWSBOT_DATA_DIR of the demo (default data/demo: never ./data)")
    parser.add_argument("--port", type=int, default=0, help="loopback port (default: any free)")
    parser.add_argument("--serve-only", action="store_true", help="serve the site until Ctrl-C")
    args = parser.parse_args()

    site = FakeDwSite()
    base_url = site.start(args.port)
    stand_in, topics = build_demo_site(site)
    print(f"dw.com stand-in: www on {base_url} (robots.txt, /sitemap.xml, 31 editions), "
          f"feeds on {site.feeds_base_url}", flush=True)
    try:
        if args.serve_only:
            print("Point newsbot at it (the data directory is the demo's own):", flush=True)
            for command in demo_commands(stand_in, args.data_dir, topics):
                print(f"  {command}", flush=True)
            print("Ctrl-C stops the server.", flush=True)
            while True:
                time.sleep(3600)
        command = [sys.executable, "-m", "scrapy", "crawl", "dw", "-a", f"lang={DEMO_LANGUAGES}"]
        for name, value in stand_in.settings(args.data_dir).items():
            command += ["-s", f"{name}={value}"]
        command += ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0"]
        print("Running:", shlex.join(command), flush=True)
        return subprocess.run(command, cwd=PROJECT_DIR, check=False).returncode
    except KeyboardInterrupt:
        return 0
    finally:
        site.stop()


if __name__ == "__main__":
    sys.exit(main())
