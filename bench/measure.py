"""Shared by the bench/*_rounds.py scripts: run one program and measure it."""
import os
import subprocess
import sys
import tempfile
import time


def run(cmd):
    """Runs cmd (a list); returns (stdout text, wall seconds, peak RSS in MiB from wait4).
    Exits with the program's stderr when it fails."""
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: a chatty stderr cannot block the child
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
        out = p.stdout.read()
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            sys.exit(f"{' '.join(cmd)} failed:\n{err.read().decode()}")
    return out.decode(), wall, usage.ru_maxrss / 1024
