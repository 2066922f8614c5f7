"""Spidermon monitors for newsbot, for those who use Spidermon (the `monitoring` extra).

`NEWSBOT_SPIDERMON = True` is all it takes: the add-on (addon.py, listed in ADDONS) then turns
on Spidermon with newsbot's suite (suite.py) and keeps its stats history in the data directory
(history.py). Nothing here is imported unless that setting is on, so the built-in run reports
and exit codes stay the dependency-free way to watch newsbot.
"""
