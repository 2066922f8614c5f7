"""The User-Agent names a contact: USER_AGENT's `{contact}` is filled from NEWSBOT_CONTACT.

A site operator who sees newsbot in their logs must be able to reach whoever runs it. Users set
NEWSBOT_CONTACT only (`-s NEWSBOT_CONTACT=data-team@example.edu` or in settings.py) and the
`ContactUserAgent` add-on (settings ADDONS) writes it into the User-Agent; a USER_AGENT without
`{contact}` is used as it is.
"""

from __future__ import annotations

import logging
import re

from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

CONTACT_PLACEHOLDER = "{contact}"
# The address settings.py ships with: a run that still uses it cannot be traced to anyone.
EXAMPLE_CONTACT = "newsbot-operator@example.org"

_UNSAFE = re.compile(r"[\x00-\x1f\x7f()]+")


def user_agent_for(template: str, contact: str) -> str:
    """`template` with `{contact}` replaced; control characters and parentheses are dropped
    from the contact so it can neither break the header nor the UA comment."""
    clean = " ".join(_UNSAFE.sub(" ", contact).split())
    return template.replace(CONTACT_PLACEHOLDER, clean)


class ContactUserAgent:
    """Scrapy add-on that fills USER_AGENT from NEWSBOT_CONTACT, keeping its priority."""

    def update_settings(self, settings: BaseSettings) -> None:
        template = settings.get("USER_AGENT") or ""
        if CONTACT_PLACEHOLDER not in template:
            return
        contact = settings.get("NEWSBOT_CONTACT") or ""
        if not contact.strip() or contact.strip() == EXAMPLE_CONTACT:
            logger.warning(
                "NEWSBOT_CONTACT is %r: set it to an address the site operator can reach",
                contact,
            )
        settings.set(
            "USER_AGENT",
            user_agent_for(template, contact),
            priority=settings.getpriority("USER_AGENT") or "addon",
        )
