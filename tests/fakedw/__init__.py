"""A stand-in for dw.com, served on 127.0.0.1: DW-shaped pages for offline crawls.

`pages` renders topic pages and articles of both DW page designs from plain data;
`server` serves them over real HTTP and logs every request. Used by the tests, the offline
demo (`python -m tests.fakedw`) and the benchmarks.
"""
