"""Root started by hand (`npm start`, these tests) holds every capability: the launcher keeps only the four it needs,
and a kernel holds none and can never regain one. Each test fails if the launcher keeps more."""

from __future__ import annotations

import ast
import os

import pytest

from app.engine import KernelOptions, SessionConfig
from app.engine.kernel.capabilities import NEEDED, held, keep_only_needed, mask

from .conftest import MakeSession
from .test_isolation import launcher, require_root, value_of

NEEDED_MASK = mask(NEEDED)


def beyond_needed(pid: int | str) -> dict[str, str]:
    """Each capability set of `pid` that holds more than NEEDED, as hex."""
    return {name: hex(value) for name, value in held(pid).items() if value & ~NEEDED_MASK}


def test_keep_only_needed_leaves_root_setuid_setgid_chown_and_kill() -> None:
    require_root()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # in a child: this test process keeps its own capabilities
        code = 1
        try:
            keep_only_needed()
            keep_only_needed()  # again, as in the container: nothing left to drop, and no CAP_SETPCAP to drop it with
            os.write(write, repr(held()).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    caps = ast.literal_eval(os.read(read, 4096).decode())
    os.close(read)
    assert caps == {"CapInh": 0, "CapPrm": NEEDED_MASK, "CapEff": NEEDED_MASK, "CapBnd": NEEDED_MASK, "CapAmb": 0}


@pytest.mark.asyncio
async def test_the_launcher_and_its_kernels_hold_no_capability_beyond_the_four(make_session: MakeSession) -> None:
    require_root()
    with launcher() as (host, process):
        session = await make_session(config=SessionConfig(kernel=KernelOptions(host=host)))
        # The kernel answered: the launcher has long passed its first line.
        kernel = await value_of(session, "import os as _os\n_os.getpid()")
        assert beyond_needed(process.pid) == {}, "the launcher holds capabilities it does not need"
        assert beyond_needed(kernel) == {}, "a kernel could regain capabilities the launcher does not need"
        assert held(kernel)["CapEff"] == 0, "a kernel holds capabilities"
        assert held(kernel)["CapPrm"] == 0, "a kernel holds capabilities"
        await session.close()  # before the launcher's socket closes
