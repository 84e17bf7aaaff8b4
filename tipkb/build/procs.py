"""The build's child processes, so that a signal stops every one of them.

A build starts Sphinx (one ``jupyter-book`` process per language), Pagefind, and a pool of worker
processes, each of which runs a Jupyter kernel. Jupyter starts kernels in sessions of their own,
so a signal to the build's process group does not reach them, and a worker left alone keeps
feeding its kernel notebooks. Here:

- SIGTERM, SIGINT and SIGHUP in the build raise :class:`Interrupted`; the build then stops its
  tracked children (SIGTERM, then SIGKILL after a grace period) and exits, the published site
  untouched;
- a worker stops its kernel (the kernel's whole process group) before it exits on the same signals
  (:func:`worker_signals`, installed by the pool's initializer).
"""
from __future__ import annotations

import os
import signal
import subprocess
import time

SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)

_children: set[subprocess.Popen] = set()
_pools: set = set()
_stopped = 0  # child processes stopped so far (by stop_pool and stop_all)


class Interrupted(BaseException):
    """A stop signal reached the build (BaseException: no ``except Exception`` swallows it)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


def _interrupt(signum, frame):
    for sig in SIGNALS:  # a second Ctrl-C must not interrupt the clean-up
        signal.signal(sig, signal.SIG_IGN)
    raise Interrupted(signum)


def install() -> None:
    for sig in SIGNALS:
        signal.signal(sig, _interrupt)


def popen(cmd, **kwargs) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, **kwargs)
    _children.add(proc)
    return proc


def run(cmd, **kwargs) -> subprocess.CompletedProcess:
    """Like subprocess.run(capture_output=True, text=True), stopped with the build."""
    proc = popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)
    out, err = proc.communicate()  # interrupted, it stays tracked: stop_all() ends it
    _children.discard(proc)
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def wait(proc: subprocess.Popen) -> int:
    code = proc.wait()
    _children.discard(proc)
    return code


def track_pool(pool) -> None:
    _pools.add(pool)


def forget_pool(pool) -> None:
    _pools.discard(pool)


def _pool_processes(pool) -> list:
    # concurrent.futures keeps its worker processes here (pid -> multiprocessing.Process).
    return list((getattr(pool, "_processes", None) or {}).values())


def stop_pool(pool, grace: float = 5.0) -> int:
    """Stop a pool's workers (each takes its kernel down on SIGTERM), then the pool."""
    live = [w for w in _pool_processes(pool) if w.is_alive()]
    for worker in live:
        worker.terminate()
    deadline = time.monotonic() + grace
    for worker in live:
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive():
            worker.kill()
            worker.join(1)
    pool.shutdown(wait=False, cancel_futures=True)
    _pools.discard(pool)
    _count(len(live))
    return len(live)


def _count(n: int) -> None:
    global _stopped
    _stopped += n


def stopped() -> int:
    """How many child processes the build has stopped."""
    return _stopped


def stop_all(grace: float = 5.0) -> int:
    """Stop every tracked child (workers first: they take their kernels down); return how many."""
    stopped = 0
    for pool in list(_pools):
        stopped += stop_pool(pool, grace)
    procs = [p for p in _children if p.poll() is None]
    for proc in procs:
        proc.terminate()
    deadline = time.monotonic() + grace
    for proc in procs:
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    _children.clear()
    _count(len(procs))
    return stopped + len(procs)


# In a worker process ----------------------------------------------------------------------------

_kernel_pid: int | None = None


def set_worker_kernel(pid: int | None) -> None:
    global _kernel_pid
    _kernel_pid = pid


def _stop_worker(signum, frame):
    if _kernel_pid:
        try:
            os.killpg(_kernel_pid, signal.SIGKILL)  # the kernel leads its own session
        except OSError:
            try:
                os.kill(_kernel_pid, signal.SIGKILL)
            except OSError:
                pass
    os._exit(128 + signum)


def worker_signals() -> None:
    """Pool initializer: on a stop signal, take the kernel down, then exit."""
    for sig in SIGNALS:
        signal.signal(sig, _stop_worker)
