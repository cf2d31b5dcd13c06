"""The kernel launcher: the one part of the service that keeps root, so that each kernel gets a uid of its own.

    python -m app.engine.kernel.launcher --user UID:GID COMMAND...

forks: the child becomes the launcher (root), and this process drops to UID:GID and execs COMMAND (the server),
which finds the launcher's socket in KERNEL_LAUNCHER_FD. Not root (a developer's machine), it only execs COMMAND:
the server then starts its kernels itself, with its own uid, and says so loudly.

The launcher answers the server over a SOCK_SEQPACKET socket, one JSON message per packet, and accepts only:

    {"op": "spawn", "table_rows": int, "text_limit": int,   a kernel → {"op": "spawned", "kernel", "pid", "limits"}
     "env": {name: str}}                                    with the server's ends of its stdin, stdout, stderr and
                                                            message pipes (SCM_RIGHTS), or {"op": "spawn_failed"};
                                                            `env` adds to its environment names of
                                                            `sandbox.GRANTABLE` only (its AWS credentials endpoint)
    {"op": "interrupt", "kernel": int}                      SIGINT to the kernel's process
    {"op": "kill", "kernel": int}                           every process of the kernel's uid is killed

and reports {"op": "exited", "kernel", "returncode"} once a kernel's process has exited AND no process of its uid is
left. Anything else is a broken or hostile server: the launcher ends every kernel and exits. So does it when the
server's end of the socket closes (the server exited).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pwd
import select
import shutil
import signal
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .capabilities import keep_only_needed
from .sandbox import (
    BOOT,
    LAUNCHER_FD_ENV,
    KernelLimits,
    count_tasks,
    forbid_new_privileges,
    is_grantable,
    kernel_environment,
    prctl,
)

_MODULE = "app.engine.kernel.launcher"
UID_BASE = 20000  # kernel n runs as uid = gid = UID_BASE + n: ids no account of the image uses
UID_POOL = 1000
_FDS_PER_KERNEL = 4  # the server's ends of stdin, stdout, stderr, messages
_MESSAGE_FD = 3
_KILL_DEADLINE = 10.0  # seconds to empty a uid before it is quarantined
_PR_SET_CHILD_SUBREAPER = 36
_MAX_MESSAGE = 4096


def _log(message: str) -> None:
    print(f"kernel launcher: {message}", file=sys.stderr, flush=True)


class ProtocolError(Exception):
    pass


@dataclass
class _Kernel:
    id: int
    uid: int
    lock: int  # the descriptor holding the uid's lock while the kernel lives
    pid: int
    workdir: Path
    returncode: int | None = None


@dataclass
class Launcher:
    sock: socket.socket
    limits: KernelLimits
    workdirs: Path
    _kernels: dict[int, _Kernel] = field(default_factory=dict)
    _unusable: set[int] = field(default_factory=set)
    _next_id: int = 1

    def __post_init__(self) -> None:
        if self.workdirs.is_symlink():
            raise SystemExit(f"kernel launcher: {self.workdirs} is a symbolic link: refusing to use it")
        # Only ids that name no account: killing "every process of uid n" must never reach someone else's.
        self._unusable = {uid for uid in range(UID_BASE, UID_BASE + UID_POOL) if _has_account(uid)}
        self.workdirs.mkdir(mode=0o711, exist_ok=True)
        os.chown(self.workdirs, 0, 0)
        self.workdirs.chmod(0o711)  # kernels may enter their own directory, not list the others

    def serve(self) -> None:
        # Orphans of a kernel (double-forked, setsid) become the launcher's children, so it can reap them once killed.
        prctl(_PR_SET_CHILD_SUBREAPER, 1)
        wake_read, wake_write = os.pipe()
        os.set_blocking(wake_read, False)
        os.set_blocking(wake_write, False)
        signal.set_wakeup_fd(wake_write)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the server too, which then closes the socket
        signal.signal(signal.SIGTERM, _exit_on_signal)
        try:
            while True:
                readable, _, _ = select.select([self.sock.fileno(), wake_read], [], [])
                if wake_read in readable:
                    with contextlib.suppress(BlockingIOError):
                        os.read(wake_read, 4096)
                    self._reap()
                if self.sock.fileno() in readable:
                    data, fds, _, _ = socket.recv_fds(self.sock, _MAX_MESSAGE, 1)
                    for fd in fds:
                        os.close(fd)
                    if not data:
                        return
                    self._handle(data)
                    self._reap()
        except ProtocolError as error:
            _log(f"refused a request, ending every kernel: {error}")
            raise SystemExit(1) from None
        finally:
            for kernel in list(self._kernels.values()):
                self._end(kernel)

    def _handle(self, data: bytes) -> None:
        try:
            request = json.loads(data)
        except ValueError as error:
            raise ProtocolError(f"not JSON: {error}") from None
        if not isinstance(request, dict):
            raise ProtocolError("not a JSON object")
        match request:
            case {"op": "spawn", "table_rows": int(rows), "text_limit": int(limit), "env": dict(env)} if (
                len(request) == 4
            ):
                self._spawn(rows, limit, _granted(env))
            case {"op": "interrupt", "kernel": int(kernel_id)} if len(request) == 2:
                kernel = self._kernels.get(kernel_id)
                if kernel is not None and kernel.returncode is None:
                    pid = kernel.pid
                    _as_user(kernel.uid, lambda: os.kill(pid, signal.SIGINT))
            case {"op": "kill", "kernel": int(kernel_id)} if len(request) == 2:
                kernel = self._kernels.get(kernel_id)
                if kernel is not None:
                    self._kill_all(kernel.uid)
            case _:
                raise ProtocolError(f"unknown request {str(request)[:200]}")

    def _take_uid(self) -> tuple[int, int] | None:
        """A uid no kernel uses, and the descriptor of its lock: another launcher on the same machine (a test run
        next to `npm start`) skips the uids this one holds, and a launcher that died frees its uids' locks."""
        in_use = {kernel.uid for kernel in self._kernels.values()}
        for uid in range(UID_BASE, UID_BASE + UID_POOL):
            if uid in in_use or uid in self._unusable:
                continue
            lock = os.open(self.workdirs / f"{uid}.lock", os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(lock)
                continue
            return uid, lock
        return None

    def _spawn(self, table_rows: int, text_limit: int, granted: dict[str, str]) -> None:
        taken = self._take_uid()
        if taken is None:
            self._send({"op": "spawn_failed", "error": f"all {UID_POOL} kernel uids are in use"})
            return
        uid, lock = taken
        workdir = self.workdirs / str(uid)
        try:
            if not self._kill_all(uid):  # what a launcher that died may have left
                raise OSError(f"uid {uid} keeps processes that SIGKILL does not end")
            _remove_workdir(workdir, uid)
            workdir.mkdir(mode=0o700)
            os.chown(workdir, uid, uid)
        except OSError as error:  # the server gets the reason; the launcher goes on serving the other kernels
            os.close(lock)
            self._unusable.add(uid)
            self._send({"op": "spawn_failed", "error": f"could not prepare uid {uid} for a kernel: {error}"})
            return
        config = {
            "message_fd": _MESSAGE_FD,
            "parent_pid": os.getpid(),
            "table_rows": table_rows,
            "text_limit": text_limit,
            "limits": self.limits.to_dict(),
            "own_uid": True,
        }
        argv = [sys.executable, "-c", BOOT, json.dumps(config)]
        env = kernel_environment(os.environ, home=str(workdir), granted=granted)
        stdin, stdout, stderr, messages = os.pipe(), os.pipe(), os.pipe(), os.pipe()
        child_ends = (stdin[0], stdout[1], stderr[1], messages[1])
        server_ends = [stdin[1], stdout[0], stderr[0], messages[0]]
        pid = os.fork()
        if pid == 0:
            _exec_kernel(child_ends, uid, workdir, argv, env)
        for fd in child_ends:
            os.close(fd)
        kernel = _Kernel(self._next_id, uid, lock, pid, workdir)
        self._next_id += 1
        self._kernels[kernel.id] = kernel
        reply = {"op": "spawned", "kernel": kernel.id, "pid": pid, "limits": self.limits.to_dict()}
        try:
            self._send(reply, server_ends)
        finally:
            for fd in server_ends:
                os.close(fd)

    def _send(self, message: dict[str, Any], fds: list[int] | None = None) -> None:
        socket.send_fds(self.sock, [json.dumps(message).encode()], fds or [])

    def _reap(self) -> None:
        """Collects every exited child; a kernel whose process exited is ended (its uid emptied) and reported."""
        self._collect()
        while exited := [kernel for kernel in self._kernels.values() if kernel.returncode is not None]:
            for kernel in exited:
                self._end(kernel)

    def _collect(self) -> None:
        by_pid = {kernel.pid: kernel for kernel in self._kernels.values()}
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            kernel = by_pid.get(pid)
            if kernel is not None and kernel.returncode is None:
                kernel.returncode = os.waitstatus_to_exitcode(status)

    def _end(self, kernel: _Kernel) -> None:
        emptied = self._kill_all(kernel.uid)
        _remove_workdir(kernel.workdir, kernel.uid)
        del self._kernels[kernel.id]
        if not emptied:
            self._unusable.add(kernel.uid)
            _log(f"uid {kernel.uid} still has processes after {_KILL_DEADLINE:g} s of SIGKILL: it is not reused")
        os.close(kernel.lock)
        with contextlib.suppress(OSError):  # the server may be gone: the launcher is ending every kernel then
            self._send({"op": "exited", "kernel": kernel.id, "returncode": kernel.returncode})

    def _kill_all(self, uid: int) -> bool:
        """SIGKILL to every process of `uid`, from a child that became `uid` (kill(-1) reaches exactly those), until
        none is left (kill(-1) cannot tell: it succeeds while any process exists). Killed orphans are the launcher's
        children: they are reaped in between, as zombies count."""
        deadline = time.monotonic() + _KILL_DEADLINE
        while count_tasks(uid):
            _as_user(uid, lambda: os.kill(-1, signal.SIGKILL))
            self._collect()
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True


def _granted(env: dict[Any, Any]) -> dict[str, str]:
    """What a spawn request adds to the kernel's environment: strings, of names a kernel may be given."""
    if not all(isinstance(name, str) and isinstance(value, str) for name, value in env.items()):
        raise ProtocolError("a spawn's env must map names to strings")
    refused = sorted(name for name in env if not is_grantable(name))
    if refused:
        raise ProtocolError(f"a spawn's env may not set {', '.join(refused)[:200]}")
    return env


def _exec_kernel(child_ends: tuple[int, ...], uid: int, workdir: Path, argv: list[str], env: dict[str, str]) -> None:
    """In the forked child: the pipes as descriptors 0-3, nothing else of the launcher's, then the kernel's uid."""
    try:
        os.setsid()
        for target, fd in enumerate(child_ends):
            os.dup2(fd, target)
        os.closerange(_MESSAGE_FD + 1, os.sysconf("SC_OPEN_MAX"))
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        os.chdir(workdir)
        os.execve(argv[0], argv, env)
    except BaseException as error:
        os.write(2, f"the kernel could not start: {error}\n".encode())
    finally:
        os._exit(127)


def _as_user(uid: int, action: Callable[[], None]) -> None:
    """Runs `action` in a child that became `uid`: it has exactly that uid's power. ProcessLookupError (nothing to
    signal) is no failure."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            action()
            code = 0
        except ProcessLookupError:
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise OSError(f"could not act as uid {uid}")


def _remove_workdir(workdir: Path, uid: int) -> None:
    """Emptied by its owner (the launcher keeps no power over others' files), then removed from the root-owned
    parent."""
    if not workdir.exists():
        return

    def empty() -> None:
        for root, dirs, _ in os.walk(workdir):
            for name in dirs:
                with contextlib.suppress(OSError):  # a cell may have made a directory unreadable to its owner
                    os.chmod(os.path.join(root, name), 0o700)
        for entry in workdir.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)

    with contextlib.suppress(OSError):
        _as_user(uid, empty)
    with contextlib.suppress(OSError):
        workdir.rmdir()


def _has_account(uid: int) -> bool:
    try:
        pwd.getpwuid(uid)
    except KeyError:
        return False
    return True


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def _server_command(command: list[str]) -> str:
    """The server's executable: the launcher's interpreter's tools first (a virtualenv's uvicorn), then PATH."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    found = shutil.which(command[0], path=path)
    if found is None:
        raise SystemExit(f"kernel launcher: {command[0]} not found")
    return found


def _parse_ids(text: str) -> tuple[int, int]:
    uid, _, gid = text.partition(":")
    return int(uid), int(gid or uid)


def main(argv: list[str]) -> None:
    if os.geteuid() == 0:
        keep_only_needed()  # before anything else: root keeps SETUID, SETGID, CHOWN and KILL, the server none
    if argv[:1] == ["--serve"] and len(argv) == 2:
        sock = socket.socket(fileno=int(argv[1]))
        workdirs = Path(tempfile.gettempdir()) / "notebook-kernels"
        Launcher(sock, KernelLimits.from_settings(), workdirs).serve()
        return
    if len(argv) < 3 or argv[0] != "--user":
        raise SystemExit("usage: python -m app.engine.kernel.launcher --user UID[:GID] COMMAND...")
    uid, gid = _parse_ids(argv[1])
    command = argv[2:]
    executable = _server_command(command)
    if os.geteuid() != 0:
        os.execv(executable, command)  # no uid to give kernels: the server confines them as well as it can
    server_end, launcher_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    if os.fork() == 0:
        server_end.close()
        os.set_inheritable(launcher_end.fileno(), True)
        os.execv(sys.executable, [sys.executable, "-m", _MODULE, "--serve", str(launcher_end.fileno())])
    launcher_end.close()
    os.set_inheritable(server_end.fileno(), True)
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    forbid_new_privileges()
    env = {**os.environ, LAUNCHER_FD_ENV: str(server_end.fileno())}
    with contextlib.suppress(KeyError):
        env["HOME"] = pwd.getpwuid(uid).pw_dir
    os.execve(executable, command, env)


if __name__ == "__main__":
    main(sys.argv[1:])
