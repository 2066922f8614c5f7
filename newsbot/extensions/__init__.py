"""Scrapy extensions of newsbot (enabled in settings.EXTENSIONS): run reports and progress."""
