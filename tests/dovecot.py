"""A real Dovecot IMAP server on loopback for the tests, from a private config in a temp directory.

Follows DESIGN.md "Testing on real parts": Debian's `dovecot-imapd` run as root with its own
`base_dir`, `state_dir` and `log_path`, a `passwd-file` of `{PLAIN}` passwords, maildirs owned
by the `dovecot` user, and the `imap` listener on a free loopback port. Written for the Dovecot
2.3 setting names (Debian 12); `Dovecot.version()` says what is installed.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from imapclient import IMAPClient

from tests.helpers import free_port

USER = "dataskydd"
PASSWORD = "test-secret-7f3a"

_CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = {auth_failure_delay}
default_internal_user = dovecot
default_login_user = dovenull
first_valid_uid = 1
mail_location = maildir:~/Maildir
{capability}
namespace inbox {{
  inbox = yes
  separator = {separator}
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  inet_listener http {{
    port = 0
  }}
}}
"""


class Dovecot:
    """One Dovecot instance with one user; start, stop, restart, append mail, list folders.

    `capability` overrides the advertised CAPABILITY list (Dovecot's `imap_capability`), so a
    test can take MOVE, UIDPLUS or IDLE away; `separator` is the hierarchy delimiter.
    """

    def __init__(
        self, capability: str = "", separator: str = ".", auth_failure_delay: str = "1 secs"
    ) -> None:
        if shutil.which("dovecot") is None:
            raise RuntimeError("dovecot is not installed (.ci/run installs dovecot-imapd)")
        self.root = Path(tempfile.mkdtemp(prefix="privbot-dovecot-"))
        os.chmod(self.root, 0o755)
        self.port = free_port()
        self.user, self.password = USER, PASSWORD
        self.capability = capability
        self.separator = separator
        self.auth_failure_delay = auth_failure_delay
        self.config_file = self.root / "dovecot.conf"
        self._write_config()

    @staticmethod
    def version() -> str:
        return subprocess.run(
            ["dovecot", "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()

    def _write_config(self) -> None:
        if not self.version().startswith("2.3"):
            raise RuntimeError(
                "tests/dovecot.py writes Dovecot 2.3 settings; found %s" % self.version()
            )
        for sub in ("run", "state", "mail"):
            (self.root / sub).mkdir(exist_ok=True)
        shutil.chown(self.root / "mail", "dovecot", "dovecot")
        (self.root / "passwd").write_text("%s:{PLAIN}%s\n" % (self.user, self.password))
        capability = "imap_capability = %s" % self.capability if self.capability else ""
        self.config_file.write_text(
            _CONFIG.format(
                root=self.root,
                port=self.port,
                capability=capability,
                separator=self.separator,
                auth_failure_delay=self.auth_failure_delay,
            )
        )

    @property
    def pid_file(self) -> Path:
        return self.root / "run" / "master.pid"

    def start(self, timeout: float = 15.0) -> None:
        # The daemon keeps its inherited stdout/stderr open: a file, not a pipe we would wait on.
        with (self.root / "start.out").open("w+") as out:
            code = subprocess.run(
                ["dovecot", "-c", str(self.config_file)],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                check=False,
            ).returncode
            out.seek(0)
            if code != 0:
                raise RuntimeError(
                    "dovecot did not start: %s %s" % (out.read().strip(), self.log()[-2000:])
                )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(
            "dovecot did not listen on port %d: %s" % (self.port, self.log()[-2000:])
        )

    def master_pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def stop(self, timeout: float = 15.0, fast: bool = False) -> None:
        """Stop the master (it takes its children with it) and wait until it has gone.

        `fast` kills everything at once (for clean-up; a graceful stop takes Dovecot about 1 s).
        """
        pid = self.master_pid()
        if pid is None:
            return
        children = self.children()
        try:
            if fast:
                for child in children:
                    _kill(child)
            os.kill(pid, signal.SIGKILL if fast else signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.05)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
        for child in children:  # normally gone with the master; never leave one behind
            if _alive(child):
                _kill(child)
        # the listener must be free before a restart can bind it again
        while time.monotonic() < deadline and _port_open(self.port):
            time.sleep(0.05)

    def restart(self) -> None:
        self.stop()
        self.start()

    def children(self) -> list[int]:
        """Processes of this Dovecot instance (imap, imap-login, auth…), found by parent pid."""
        master = self.master_pid()
        found: list[int] = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if master is not None and ppid == master:
                found.append(int(entry.name))
        return found

    def imap_processes(self) -> list[int]:
        """The `imap` processes serving logged-in clients."""
        pids = []
        for pid in self.children():
            try:
                cmdline = Path("/proc/%d/cmdline" % pid).read_bytes()
            except OSError:
                continue
            if cmdline.startswith(b"dovecot/imap") and not cmdline.startswith(b"dovecot/imap-"):
                pids.append(pid)
        return pids

    def log(self) -> str:
        try:
            return (self.root / "dovecot.log").read_text(errors="replace")
        except OSError:
            return ""

    def cleanup(self) -> None:
        self.stop(fast=True)
        shutil.rmtree(self.root, ignore_errors=True)

    # --- the mailbox, through a real IMAP session ---

    def client(self) -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=30)
        client.login(self.user, self.password)
        return client

    def folder(self, name: str) -> str:
        """A '/'-separated folder name in this server's hierarchy separator."""
        return name.replace("/", self.separator)

    def append(self, messages: Iterable[bytes], folder: str = "INBOX") -> int:
        count = 0
        with self.client() as client:
            name = self.folder(folder)
            if not client.folder_exists(name):
                client.create_folder(name)
            batch: list[bytes] = []
            for raw in messages:
                batch.append(raw)
                if len(batch) >= 200:
                    count += _append_many(client, name, batch)
                    batch = []
            count += _append_many(client, name, batch)
        return count

    def folders(self) -> list[str]:
        with self.client() as client:
            return sorted(name for _, _, name in client.list_folders())

    def messages(self, folder: str = "INBOX") -> dict[int, bytes]:
        """UID -> raw bytes of every message in a folder (empty if it does not exist)."""
        with self.client() as client:
            name = self.folder(folder)
            if not client.folder_exists(name):
                return {}
            client.select_folder(name, readonly=True)
            uids = client.search("ALL")
            found: dict[int, bytes] = {}
            for start in range(0, len(uids), 500):
                for uid, data in client.fetch(uids[start : start + 500], ["BODY.PEEK[]"]).items():
                    found[uid] = data[b"BODY[]"]
            return found

    def count(self, folder: str = "INBOX") -> int:
        with self.client() as client:
            name = self.folder(folder)
            if not client.folder_exists(name):
                return 0
            return int(client.folder_status(name, ["MESSAGES"])[b"MESSAGES"])

    def flags(self, folder: str = "INBOX") -> dict[int, tuple[bytes, ...]]:
        with self.client() as client:
            client.select_folder(self.folder(folder), readonly=True)
            return {
                uid: tuple(flags) for uid, flags in client.get_flags(client.search("ALL")).items()
            }

    def uidvalidity(self, folder: str = "INBOX") -> int:
        with self.client() as client:
            return int(client.folder_status(self.folder(folder), ["UIDVALIDITY"])[b"UIDVALIDITY"])

    def recreate(self, folder: str, messages: Iterable[bytes]) -> None:
        """Delete a folder and create it anew with the given messages: a new UIDVALIDITY."""
        with self.client() as client:
            name = self.folder(folder)
            if client.folder_exists(name):
                client.delete_folder(name)
        self.append(messages, folder)


def _append_many(client: IMAPClient, folder: str, batch: list[bytes]) -> int:
    if not batch:
        return 0
    if client.has_capability("MULTIAPPEND"):
        client.multiappend(folder, batch)
    else:
        for raw in batch:
            client.append(folder, raw)
    return len(batch)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie child of ours is as good as gone
        return Path("/proc/%d/stat" % pid).read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False
