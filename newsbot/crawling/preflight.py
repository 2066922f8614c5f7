"""What can refuse a run before it starts, checked before anything is created.

A run with a bad `-a` argument or setting must cost one clear line and nothing else: no data
directory, no dedupe index, no lock file, no run report (so `newsbot status` does not raise an
alarm over a typo). `scrapy crawl` (newsbot.crawling.commands.crawl) and `newsbot run` call
`check_run` before they start the crawl; the spider parses the same arguments the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from scrapy.settings import BaseSettings

from newsbot.crawling.arguments import DwArguments
from newsbot.crawling.rendering import Renderer, enable_rendering
from newsbot.storage import file_mode


def check_run(settings: BaseSettings, spider_args: Mapping[str, Any]) -> DwArguments:
    """The run's parsed arguments; raises a NewsbotError (one line) for anything unusable."""
    file_mode(settings.get("NEWSBOT_FILE_MODE"))
    arguments = DwArguments.parse(spider_args, settings, datetime.now(UTC).date())
    # The rendering settings are read (and refused) without starting anything; the browser of
    # a run that renders is looked for on a copy of the settings (the spider sets the real ones).
    renderer = Renderer.from_settings(settings, arguments.render, crawler=None)
    if renderer.enabled:
        enable_rendering(settings.copy(), renderer.why, [])
    return arguments
