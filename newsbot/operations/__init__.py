"""Operations: running and watching the archive (the `newsbot` CLI, scheduled runs,
health and run reports, progress, status and coverage report, merge, retention, monitoring)."""
