"""Keep credentials out of log lines: passwords in URLs and values of secret-named settings.

Scrapy logs the settings that differ from its defaults at start ("Overridden settings: ..."),
which includes AWS_SECRET_ACCESS_KEY or TELNETCONSOLE_PASSWORD when they are set, and the feed
exporter logs its URI, which may carry `user:password@` (ftp://, s3://). The `RedactSecrets`
add-on (settings ADDONS) filters those loggers; `redact` is reusable by anything that writes
text a user shares, such as the run report.
"""

from __future__ import annotations

import logging
import re

from scrapy.settings import BaseSettings

REDACTED = "***"

# Loggers whose records can carry settings or URIs with credentials.
FILTERED_LOGGERS: tuple[str, ...] = ("scrapy.crawler", "scrapy.extensions.feedexport")

# scheme://user:password@host -> scheme://user:***@host (the user name helps debugging).
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s/:@'\"]*:)[^\s/@'\"]+(?=@)")
# 'AWS_SECRET_ACCESS_KEY': 'value' as pprint prints a settings dict.
_SECRET_SETTING = re.compile(
    r"""(?P<head>['"][A-Z0-9_]*(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_KEY|CREDENTIAL|AUTH)"""
    r"""[A-Z0-9_]*['"]\s*:\s*)(?P<quote>['"])(?:(?!(?P=quote)).)*(?P=quote)"""
)


def redact(text: str) -> str:
    """`text` with URL passwords and secret-named setting values replaced by ***."""
    text = _URL_PASSWORD.sub(rf"\g<head>{REDACTED}", text)
    return _SECRET_SETTING.sub(rf"\g<head>'{REDACTED}'", text)


class RedactingFilter(logging.Filter):
    """Rewrites a record's message when it holds a credential; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_FILTER = RedactingFilter()


class RedactSecrets:
    """Scrapy add-on: installs the redacting filter before Scrapy logs the settings."""

    def update_settings(self, settings: BaseSettings) -> None:
        for name in FILTERED_LOGGERS:
            logger = logging.getLogger(name)
            if _FILTER not in logger.filters:
                logger.addFilter(_FILTER)
