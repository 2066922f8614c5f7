"""What the crawl process and an extraction worker say to each other over their pipes.

Each message is one pickled tuple behind an 8-byte big-endian length. The crawl process sends
tasks `(task_id, response_kind, url, body, encoding, headers)`; the worker answers
`(task_id, Extraction, log_records)`, and once, before any task, READY. Both ends are newsbot's
own code in the same Python with the same imports, which is what makes pickle the right format.
"""

from __future__ import annotations

import logging
import pickle
import struct
from typing import Any

from scrapy.http import HtmlResponse, TextResponse, XmlResponse
from scrapy.http.headers import Headers

_LENGTH = struct.Struct("!Q")
READY = ("ready",)
# Response classes by name: the worker rebuilds the response the spider received.
RESPONSE_KINDS: dict[str, type[TextResponse]] = {
    "html": HtmlResponse,
    "xml": XmlResponse,
    "text": TextResponse,
}

# The headers extraction reads: the type for rejection messages, Date for relative page dates.
_HEADERS_USED = (b"Content-Type", b"Date")

Task = tuple[int, str, str, bytes, str, list[tuple[bytes, list[bytes]]]]
# (levelno, logger name, formatted message): a worker's log lines, re-logged by the crawl process.
LogRecord = tuple[int, str, str]


def frame(message: Any) -> list[bytes]:
    """The message as the two byte strings to write: length, then the pickle."""
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return [_LENGTH.pack(len(payload)), payload]


def read_frame(stream: Any) -> Any | None:
    """The next message from a blocking binary stream; None at end of stream."""
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(header)
    payload = stream.read(size)
    if len(payload) < size:
        return None
    return pickle.loads(payload)


class FrameBuffer:
    """Reassembles messages from the chunks a non-blocking pipe delivers."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[Any]:
        """The messages completed by `data`, in order."""
        self._buffer += data
        messages = []
        while len(self._buffer) >= _LENGTH.size:
            (size,) = _LENGTH.unpack_from(self._buffer)
            end = _LENGTH.size + size
            if len(self._buffer) < end:
                break
            messages.append(pickle.loads(memoryview(self._buffer)[_LENGTH.size : end]))
            del self._buffer[:end]
        return messages


def task_for(task_id: int, response: TextResponse) -> Task:
    """The task that lets a worker rebuild `response` as the spider received it."""
    if isinstance(response, HtmlResponse):
        kind = "html"
    elif isinstance(response, XmlResponse):
        kind = "xml"
    else:
        kind = "text"
    headers = [
        (name, response.headers.getlist(name)) for name in _HEADERS_USED if name in response.headers
    ]
    return (task_id, kind, response.url, response.body, response.encoding, headers)


def response_from(task: Task) -> TextResponse:
    """The response a task describes (the worker's side of `task_for`)."""
    _, kind, url, body, encoding, headers = task
    return RESPONSE_KINDS[kind](url, body=body, encoding=encoding, headers=Headers(headers))


class CapturedLogs(logging.Handler):
    """Collects a worker's log records per task, to be re-logged in the crawl process."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[LogRecord] = []
        self._formatter = logging.Formatter()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + self._formatter.formatException(record.exc_info)
        self.records.append((record.levelno, record.name, message))

    def take(self) -> list[LogRecord]:
        records, self.records = self.records, []
        return records
