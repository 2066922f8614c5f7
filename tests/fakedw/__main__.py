"""Offline demo: serve the fake DW site on 127.0.0.1 and run `scrapy crawl dw` against it, as by
default: from the English news sitemap, with the site and feed roots pointed at loopback.

    python -m tests.fakedw [--data-dir data/demo] [--serve-only] [--port PORT]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from tests.fakedw.demo import build_demo_site
from tests.fakedw.server import FakeDwSite

PROJECT_DIR = Path(__file__).resolve().parents[2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--data-dir", default="data/demo", help="NEWSBOT_DATA_DIR of the demo crawl")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free)")
    parser.add_argument("--serve-only", action="store_true", help="serve the site until Ctrl-C")
    args = parser.parse_args()

    site = FakeDwSite()
    base_url = site.start(args.port)
    topics = build_demo_site(site)
    start_urls = ",".join(site.url(path) for path in topics)
    roots = [f"-s NEWSBOT_SITE_URL={base_url}", f"-s NEWSBOT_FEEDS_URL={base_url}/feeds"]
    print(f"Fake DW site on {base_url} (news sitemap /en/news-sitemap.xml, feed "
          f"/feeds/xml/rss-en-all, topic pages: {', '.join(topics)})", flush=True)
    try:
        if args.serve_only:
            print(f"Crawl it with: scrapy crawl dw {' '.join(roots)}", flush=True)
            print(f"or its topic pages: scrapy crawl dw -a start_urls={start_urls}", flush=True)
            while True:
                time.sleep(3600)
        command = [
            sys.executable, "-m", "scrapy", "crawl", "dw",
            *(part for root in roots for part in root.split(" ", 1)),
            "-s", f"NEWSBOT_DATA_DIR={args.data_dir}",
            "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0",
        ]
        print("Running:", " ".join(command), flush=True)
        return subprocess.run(command, cwd=PROJECT_DIR, check=False).returncode
    except KeyboardInterrupt:
        return 0
    finally:
        site.stop()


if __name__ == "__main__":
    sys.exit(main())
