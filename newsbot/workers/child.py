"""An extraction worker: `python -m newsbot.workers.child LOG_LEVEL`, started by the pool.

Reads tasks from stdin, answers on the stdout it was given; its own stdout is redirected to
stderr so that a stray print can never corrupt a message. It exits when stdin closes: when the
crawl finishes, and also when the crawl process dies, even by SIGKILL, so no worker outlives its
crawl. Ctrl-C is the crawl process's to handle (it finishes what is in flight), so the worker
ignores SIGINT.
"""

from __future__ import annotations

import logging
import os
import signal
import sys

from newsbot.extraction import extract_article
from newsbot.gc_tuning import tune_for_throughput
from newsbot.workers.protocol import READY, CapturedLogs, frame, read_frame, response_from


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    logs = CapturedLogs()
    root = logging.getLogger()
    root.addHandler(logs)
    root.setLevel(int(argv[0]) if argv else logging.INFO)
    tasks = sys.stdin.buffer
    tune_for_throughput()
    answers.writelines(frame(READY))
    answers.flush()
    while (task := read_frame(tasks)) is not None:
        extraction = extract_article(response_from(task))
        answers.writelines(frame((task[0], extraction, logs.take())))
        answers.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
