"""Scrapy commands of the newsbot project (settings COMMANDS_MODULE)."""
