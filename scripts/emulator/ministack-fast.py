"""Starts MiniStack (PyPI `ministack`, pinned in requirements-dev.txt) with a faster Scheduler sweep.

Why this file exists: MiniStack's EventBridge Scheduler checks its schedules in a background
thread every 10 s (`ministack.services.scheduler._SCHEDULE_TICK_INTERVAL`, hard-coded: no
environment variable, not on the `/_ministack/config` whitelist). A one-time `at()` schedule
then fires up to 10 s late, which would make the integration suite slow and its waits long.
This wrapper sets the module global before MiniStack's own `main()` starts the thread, so the
real, unmodified emulator sweeps every `MS_SCHEDULER_TICK` seconds (default 1). Nothing else
changes: it is the same server the `ministack` command runs in the foreground.

Run it with the venv's interpreter: `.venv/bin/python scripts/emulator/ministack-fast.py`
(environment: GATEWAY_PORT, BIND_HOST, TMPDIR, LOG_LEVEL, ... as documented by MiniStack).
"""
import os
import sys

import ministack.services.scheduler as scheduler

scheduler._SCHEDULE_TICK_INTERVAL = float(os.environ.get("MS_SCHEDULER_TICK", "1"))

from ministack.app import main  # noqa: E402  (imported after the patch on purpose)

sys.argv = [sys.argv[0]]  # MiniStack's argparse must not see our arguments (no -d: stay in the foreground)
main()
