"""The published item schema: one archive line (and one feed-export item) as JSON Schema.

`article.schema.json` (draft 2020-12) ships inside the package, so `newsbot status`, the test
suite and the Spidermon suite all check lines against the same file users read. Lines are
checked with jsonschema-rs: `newsbot status` validates every line of the archive, and at about
1 µs a line it costs a fraction of decoding the JSON (the pure-Python `jsonschema` takes some
300 µs, which would make a year's archive take minutes).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

SCHEMA_PATH = Path(__file__).with_name("article.schema.json")


@cache
def article_schema() -> dict[str, Any]:
    """The schema as a dict (read once)."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@cache
def article_validator() -> Any:
    """A compiled validator of archive lines (`is_valid`, `iter_errors`)."""
    return jsonschema_rs.validator_for(article_schema())


def first_error(record: object) -> str | None:
    """Why `record` is not a valid archive line (the first reason), or None when it is."""
    for error in article_validator().iter_errors(record):
        where = "/".join(str(part) for part in error.instance_path)
        return f"{where}: {error.message}" if where else error.message
    return None
