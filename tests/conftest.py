"""Shared fixtures: the strict book build, run once per test run (also across xdist workers)."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from queue import Empty

import pytest
from jupyter_client.channels import AsyncZMQSocketChannel
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

from netlab_book import exclusive_lock  # noqa: E402

BUILD_DIR = ROOT / "_build"


# A kernel's reply that pyzmq's asyncio poller does not wake up for is found only when the
# poll times out: a lab cell that shows a widget (an ``interact``) then waited out the whole
# 120 s cell timeout now and then, on either worker, and the lab still passed (nbclient
# issue #312, "when cell contains ipywidget, execute cell will sometimes block"). At its
# timeout the poller looks once more and finds the reply. So the labs' kernel clients
# wait in slices: a missed wake-up costs at most one slice, and the deadline is the same.
POLL_SLICE_S = 0.25
_get_msg = AsyncZMQSocketChannel.get_msg


async def _get_msg_in_slices(self: AsyncZMQSocketChannel, timeout: float | None = None) -> dict:
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        left = POLL_SLICE_S if deadline is None else max(0.0, deadline - time.monotonic())
        try:
            return await _get_msg(self, timeout=min(POLL_SLICE_S, left))
        except Empty:
            if deadline is not None and time.monotonic() >= deadline:
                raise


AsyncZMQSocketChannel.get_msg = _get_msg_in_slices  # type: ignore[method-assign]

# The labs' kernels talk to their clients over Unix sockets, not TCP. Over TCP,
# jupyter_client picks five free ports and the kernel binds them a moment later; with
# four workers starting kernels while the labs bind ephemeral ports of their own, a port
# was taken in between now and then ("ZMQError: Address already in use", then "Kernel died
# before replying to kernel_info"). A socket file of the kernel's own cannot be taken.
# (A Unix socket's path is at most 107 bytes: the folder is a short one under /tmp.)
_KERNEL_SOCKETS = Path(tempfile.mkdtemp(prefix="nbk-"))
atexit.register(shutil.rmtree, _KERNEL_SOCKETS, True)
_create_kernel_manager = NotebookClient.create_kernel_manager


def _kernel_manager_on_unix_sockets(self: NotebookClient) -> object:
    manager = _create_kernel_manager(self)
    manager.transport = "ipc"
    manager.ip = str(_KERNEL_SOCKETS / uuid.uuid4().hex[:12])
    return manager


NotebookClient.create_kernel_manager = _kernel_manager_on_unix_sockets  # type: ignore[method-assign]


@dataclass(frozen=True)
class Build:
    """The result of ``make book``: both editions, each built with ``-W -n --keep-going``."""

    returncode: int
    log: str
    html: Path  # the English edition (and the site root)
    html_ko: Path  # the Korean edition, _build/html/ko


# The browser checks: each group's tests run on one worker, in one browser session (their
# session fixtures open every page once), and the groups run at the same time. The
# grouping is this scheduler's, for ``--dist loadgroup``: pytest-xdist 3.8.0 groups by
# a suffix it appends to ``item._nodeid``, which pytest 9 no longer reads, so its
# ``xdist_group`` marks group nothing (measured: six tests so marked ran on four workers).
# Three groups, not more: on two cores, five (the Korean site and half the practice page
# apart) took 553 s where three took 477 s, the browsers' CPU time growing by a fifth.
BROWSER_GROUPS = {"tests/test_site.py": "site", "tests/test_site_ko.py": "site",
                  "tests/test_pdf.py": "pdf", "tests/test_practice_site.py": "practice"}


def browser_group(nodeid: str) -> str:
    """The group a test runs in: its browser group, or the test alone."""
    return BROWSER_GROUPS.get(nodeid.split("::", 1)[0], nodeid)


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: unknown to a run without it
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """``--dist loadgroup``: every test on its own, but a browser group's tests together."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class BrowserGroups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return browser_group(nodeid)

    return BrowserGroups(config, log)


# Started first: the longest test of the run that is not the book's (a strict build of a
# copy of the repository, about 150 s), so that it does not end the run alone.
LONG_POLES = ("tests/test_scaffold.py::test_new_chapter_passes_the_structure_tests_and_the_strict_build",)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Move the long poles to the front (a stable sort: the rest keep their order)."""
    items.sort(key=lambda item: item.nodeid not in LONG_POLES)


def _build_book() -> Build:
    # With the single page the PDF edition is printed from (tests/test_pdf.py).
    cmd = [sys.executable, str(ROOT / "tools" / "editions.py"), "--path-output", str(ROOT), "--single-page"]
    env = {**os.environ, "PYTHONWARNINGS": "ignore::DeprecationWarning"}
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900, env=env)
    return Build(proc.returncode, proc.stdout + proc.stderr, BUILD_DIR / "html", BUILD_DIR / "html" / "ko")


@pytest.fixture(scope="session")
def strict_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Build both editions with warnings as errors (tools/editions.py, as ``make book``).

    Once per test run: under xdist the first worker that needs the book builds it while
    the others wait on a lock in the run's shared temporary folder, then read its result.
    """
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # no xdist: this process is the whole run
        return _build_book()
    shared = tmp_path_factory.getbasetemp().parent  # one folder per run, shared by its workers
    result = shared / "strict-build.json"
    with exclusive_lock(shared / "strict-build.lock"):
        if not result.is_file():
            build = _build_book()
            result.write_text(json.dumps({"returncode": build.returncode, "log": build.log}),
                              encoding="utf-8")
        recorded = json.loads(result.read_text(encoding="utf-8"))
    return Build(recorded["returncode"], recorded["log"], BUILD_DIR / "html", BUILD_DIR / "html" / "ko")
