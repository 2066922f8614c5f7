"""The crawl process's side of the extraction workers.

Why worker processes: on a DW-sized page (60-320 KB) the lxml parse and the extraction cost
more CPU than Scrapy spends downloading the page, and both are Python holding the GIL, so threads
cannot overlap them. A worker process per spare core takes the extraction, the crawl process keeps
downloading. Messages travel over the asyncio loop Scrapy already runs (its asyncio reactor):
writes are buffered and never block the reactor, answers arrive as pipe data, no helper thread
competes for the GIL.

When extraction runs in the crawl process instead:
  - NEWSBOT_EXTRACTION_WORKERS is 0, or "auto" on a single usable core;
  - the reactor is not the asyncio one (a user setting);
  - until a worker has started (about a second of imports, overlapping the first downloads), so
    a small run never waits for one;
  - one page in CRAWL_PROCESS_SHARE, to use the crawl process's spare CPU;
  - after a worker went away (killed, crashed): it is not restarted; its pages in flight are
    extracted here, it is logged as a warning and counted in newsbot/extraction/worker_lost
    (and the run report's warnings); nothing is lost.
Workers are started when the first article request is scheduled (the spider calls `start`), so
a run with nothing new starts none.
"""

from __future__ import annotations

import asyncio
import fcntl
import itertools
import logging
import os
import sys
from collections.abc import Callable
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import TextResponse
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector
from scrapy.utils.reactor import is_asyncio_reactor_installed

from newsbot.arguments import SpiderArgumentError
from newsbot.extraction import Extraction, extract_article
from newsbot.workers.protocol import READY, FrameBuffer, LogRecord, frame, task_for

logger = logging.getLogger(__name__)

# How long a worker may take to exit once its stdin is closed at the end of the crawl.
_EXIT_TIMEOUT = 10.0


# "auto" uses one worker per usable core beyond the crawl process's, up to this many: one crawl
# process cannot download fast enough to keep more busy.
AUTO_MAX_WORKERS = 2

# With workers running, one article page in this many is still extracted in the crawl process:
# measured on 2,000 DW-sized pages, downloading leaves it enough spare CPU for a tenth of the
# extraction (ratio to a bare download 0.58 -> 0.62), and a fifth already slows the downloads.
CRAWL_PROCESS_SHARE = 10


def worker_count(settings: BaseSettings) -> int:
    """Workers to use: NEWSBOT_EXTRACTION_WORKERS, "auto" meaning one per spare usable core."""
    value = str(settings.get("NEWSBOT_EXTRACTION_WORKERS", "auto")).strip().lower()
    if value == "auto":
        return max(0, min(len(os.sched_getaffinity(0)) - 1, AUTO_MAX_WORKERS))
    if value.isdigit():
        return int(value)
    raise SpiderArgumentError(
        f'NEWSBOT_EXTRACTION_WORKERS: expected "auto" or a whole number >= 0, got {value!r}'
    )


class WorkerLost(Exception):
    """The worker exited or closed its pipe with tasks in flight."""


class _Worker(asyncio.SubprocessProtocol):
    """One worker process and the futures of the tasks sent to it."""

    def __init__(
        self, loop: asyncio.AbstractEventLoop, on_lost: Callable[[_Worker], None]
    ) -> None:
        self.ready = False
        self.closing = False  # set when the crawl ends: from then on, exiting is expected
        self.transport: asyncio.SubprocessTransport | None = None
        self.exited: asyncio.Future[None] = loop.create_future()
        self._loop = loop
        self._on_lost = on_lost
        self._frames = FrameBuffer()
        self._pending: dict[int, asyncio.Future[tuple[Extraction, list[LogRecord]]]] = {}

    @property
    def in_flight(self) -> int:
        return len(self._pending)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.SubprocessTransport)
        self.transport = transport
        stdin = transport.get_pipe_transport(0)
        if stdin is not None:
            _widen_pipe(stdin.get_extra_info("pipe").fileno())

    def pipe_data_received(self, fd: int, data: bytes | str) -> None:
        assert isinstance(data, bytes)
        for message in self._frames.feed(data):
            if message == READY:
                self.ready = True
                continue
            task_id, extraction, records = message
            future = self._pending.pop(task_id, None)
            if future is not None and not future.done():
                future.set_result((extraction, records))

    def pipe_connection_lost(self, fd: int, exc: Exception | None) -> None:
        if fd == 1:  # its answers: nothing more will come
            self._go_away()

    def process_exited(self) -> None:
        self._go_away()
        if not self.exited.done():
            self.exited.set_result(None)
        if not self.closing:
            self._on_lost(self)

    def _go_away(self) -> None:
        self.ready = False
        pending, self._pending = self._pending, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(WorkerLost())

    async def extract(
        self, task_id: int, response: TextResponse
    ) -> tuple[Extraction, list[LogRecord]]:
        assert self.transport is not None
        stdin = self.transport.get_pipe_transport(0)
        assert isinstance(stdin, asyncio.WriteTransport)
        future = self._loop.create_future()
        self._pending[task_id] = future
        stdin.writelines(frame(task_for(task_id, response)))
        return await future

    async def close(self) -> int | None:
        """Close its stdin (it exits at end of input), wait for it, kill it if it hangs."""
        self.closing = True
        if self.transport is None:
            return None
        if not self.exited.done():
            stdin = self.transport.get_pipe_transport(0)
            if stdin is not None:
                stdin.close()
            try:
                await asyncio.wait_for(asyncio.shield(self.exited), _EXIT_TIMEOUT)
            except TimeoutError:
                logger.warning("Extraction worker did not exit in %.0f s: killed", _EXIT_TIMEOUT)
                self.transport.kill()
                await self.exited
        code = self.transport.get_returncode()
        self.transport.close()
        return code

    def peak_rss_mb(self) -> float | None:
        """The worker's peak resident memory (Linux VmHWM), while it is still running."""
        if self.transport is None or self.exited.done():
            return None
        try:
            with open(f"/proc/{self.transport.get_pid()}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None


def _widen_pipe(fd: int) -> None:
    """Let the pipe hold many pages: a worker must never wait for the reactor to write the rest
    of a 100 KB page into a 64 KB pipe (Linux; elsewhere the pipe keeps its size)."""
    try:
        with open("/proc/sys/fs/pipe-max-size", encoding="ascii") as limit:
            size = int(limit.read())
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, size)
    except (OSError, ValueError, AttributeError):
        pass


class ExtractionWorkers:
    """Extracts article responses in worker processes when it can, else in this process."""

    def __init__(self, crawler: Crawler, count: int, log_level: int = logging.INFO) -> None:
        self.count = count if is_asyncio_reactor_installed() else 0
        self._crawler = crawler  # its stats exist from the crawl's start on, not yet here
        self._log_level = log_level
        self._workers: list[_Worker] = []
        self._starting: list[asyncio.Task[Any]] = []
        self._task_ids = itertools.count(1)
        self._turns = itertools.count(1)

    @classmethod
    def from_crawler(cls, crawler: Crawler, count: int) -> ExtractionWorkers:
        """`count` workers (see `worker_count`), stopped when the spider closes."""
        level = logging.getLevelName(str(crawler.settings.get("LOG_LEVEL", "DEBUG")).upper())
        workers = cls(
            crawler,
            count,
            level if isinstance(level, int) else logging.DEBUG,
        )
        crawler.signals.connect(workers.close, signal=signals.spider_closed)
        return workers

    def _stats(self) -> StatsCollector:
        assert self._crawler.stats is not None
        return self._crawler.stats

    async def extract(self, response: TextResponse) -> Extraction:
        """The Extraction of `response`, from a worker when one is ready."""
        worker = self._ready_worker()
        if worker is not None:
            try:
                extraction, records = await worker.extract(next(self._task_ids), response)
            except WorkerLost:
                self._stats().inc_value("newsbot/extraction/worker_lost_pages")
            else:
                self._stats().inc_value("newsbot/extraction/in_workers")
                for level, name, message in records:
                    logging.getLogger(name).log(level, "%s", message)
                return extraction
        self._stats().inc_value("newsbot/extraction/in_crawl_process")
        return extract_article(response)

    def _ready_worker(self) -> _Worker | None:
        if self.count == 0:
            return None
        self.start()
        ready = [worker for worker in self._workers if worker.ready]
        if not ready:
            return None
        if next(self._turns) % CRAWL_PROCESS_SHARE == 0:
            return None
        return min(ready, key=lambda worker: worker.in_flight)

    def start(self) -> None:
        """Start the workers unless started already."""
        if self.count == 0 or self._workers or self._starting:
            return
        loop = asyncio.get_running_loop()
        # The worker imports newsbot as this process does, installed or from a checkout.
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
        for _ in range(self.count):
            worker = _Worker(loop, self._worker_lost)
            self._workers.append(worker)
            self._starting.append(
                loop.create_task(self._spawn(loop, worker, env), name="newsbot extraction worker")
            )

    async def _spawn(
        self, loop: asyncio.AbstractEventLoop, worker: _Worker, env: dict[str, str]
    ) -> None:
        try:
            await loop.subprocess_exec(
                lambda: worker,
                sys.executable,
                "-m",
                "newsbot.workers.child",
                str(self._log_level),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=None,
                env=env,
            )
        except OSError as exc:
            logger.warning("Extraction worker could not start (%s): extracting in-process", exc)
            self._stats().inc_value("newsbot/extraction/worker_start_failed")
        else:
            self._stats().inc_value("newsbot/extraction/workers_started")

    def _worker_lost(self, worker: _Worker) -> None:
        """A worker exited before the crawl ended (killed, crashed): carry on without it."""
        if worker in self._workers:
            self._workers.remove(worker)
        self._stats().inc_value("newsbot/extraction/worker_lost")
        code = worker.transport.get_returncode() if worker.transport is not None else None
        logger.warning(
            "An extraction worker went away (exit code %s): its pages in flight and the rest of "
            "its share are extracted in the crawl process, nothing is lost",
            code,
        )

    async def close(self) -> None:
        """Stop the workers at the end of the crawl; record their peak memory in the stats."""
        if self._starting:
            await asyncio.gather(*self._starting)
        peaks = [peak for worker in self._workers if (peak := worker.peak_rss_mb()) is not None]
        if peaks:
            self._stats().set_value("newsbot/extraction/workers_peak_rss_mb", round(sum(peaks), 1))
        for worker in self._workers:
            code = await worker.close()
            if code not in (0, None):
                logger.warning("Extraction worker exited with code %s", code)
