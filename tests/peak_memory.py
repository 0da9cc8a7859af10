"""The peak resident memory of a child process, for tests that run code in one.

`getrusage(RUSAGE_SELF).ru_maxrss` is kept across `execve`, so a child started from a big
pytest worker reports the worker's peak, not its own. `VmHWM` in /proc belongs to the address
space the child got at exec.
"""

PEAK_RSS_MB_SOURCE = (
    "def peak_rss_mb():\n"
    "    with open('/proc/self/status') as status:\n"
    "        return next(int(line.split()[1]) for line in status\n"
    "                    if line.startswith('VmHWM:')) // 1024\n"
)
"""Python source defining `peak_rss_mb()`: put it at the top of the child's code."""
