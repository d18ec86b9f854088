"""A real IMAP server for the tests: Debian's dovecot, started as its own process.

Each server gets a temporary directory with a generated configuration: a free port on
127.0.0.1 for implicit TLS (IMAPS) and one for STARTTLS, a self-signed certificate made
here, one passwd-file user with a password, Maildir storage and SPECIAL-USE folders
(Sent, Drafts, Trash). Mailboxes are filled by IMAP APPEND, as a mail program would.
"""

from __future__ import annotations

import datetime
import imaplib
import ipaddress
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.ports import free_ports

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost (also its own CA)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=365 * 30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
default_internal_user = {internal}
default_internal_group = {internal_group}
default_login_user = {login}
first_valid_uid = 1
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
auth_mechanisms = plain login
auth_failure_delay = 0
disable_plaintext_auth = yes
mail_location = maildir:{root}/mail/%u
mail_uid = {mail_uid}
mail_gid = {mail_gid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={root}/home/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
  mailbox Drafts {{
    special_use = \\Drafts
    auto = subscribe
  }}
  mailbox Trash {{
    special_use = \\Trash
    auto = subscribe
  }}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {starttls_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service pop3-login {{
  chroot =
}}
service submission-login {{
  chroot =
}}
service imap-urlauth-login {{
  chroot =
}}
"""


@dataclass
class Dovecot:
    root: Path
    username: str = "alice@example.com"
    password: str = "app-password-1"  # noqa: S105 - a test server's password
    host: str = "127.0.0.1"
    tls_port: int = 0
    starttls_port: int = 0
    ca_file: Path = field(default_factory=Path)
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o711)  # dovecot's own users pass through to read the config
        for sub in ("run", "state", "mail", "home"):
            (self.root / sub).mkdir(exist_ok=True)
        cert, key = make_certificate(self.root)
        self.ca_file = cert
        self.tls_port, self.starttls_port = free_ports(2)
        if os.geteuid() == 0:
            internal, login = "dovecot", "dovenull"
            account = pwd.getpwnam("dovecot")
            mail_uid, mail_gid = account.pw_uid, account.pw_gid
            for sub in ("mail", "home"):
                os.chown(self.root / sub, mail_uid, mail_gid)
        else:
            internal = login = pwd.getpwuid(os.geteuid()).pw_name
            mail_uid, mail_gid = os.geteuid(), os.getegid()
        (self.root / "passwd").write_text(f"{self.username}:{{PLAIN}}{self.password}::::::\n")
        config = self.root / "dovecot.conf"
        config.write_text(
            CONFIG.format(
                root=self.root,
                internal=internal,
                internal_group=internal,
                login=login,
                cert=cert,
                key=key,
                mail_uid=mail_uid,
                mail_gid=mail_gid,
                tls_port=self.tls_port,
                starttls_port=self.starttls_port,
            )
        )
        self.process = subprocess.Popen(  # noqa: S603 - our own config, a fixed program
            [DOVECOT, "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot did not start: {self.log()}")
            try:
                with socket.create_connection((self.host, self.tls_port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"dovecot did not listen in time: {self.log()}")

    def log(self) -> str:
        path = self.root / "dovecot.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        if self.process is not None and self.process.stderr is not None and self.process.poll():
            text += self.process.stderr.read().decode(errors="replace")
        return text

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()

    # Filling the mailbox, as a mail program would ------------------------------------

    def connect(self) -> imaplib.IMAP4_SSL:
        context = ssl.create_default_context(cafile=str(self.ca_file))
        imap = imaplib.IMAP4_SSL(self.host, self.tls_port, ssl_context=context, timeout=10)
        imap.login(self.username, self.password)
        return imap

    def append(self, folder: str, raw: bytes, *, seen: bool = True) -> None:
        imap = self.connect()
        try:
            status, data = imap.append(folder, "(\\Seen)" if seen else "", None, raw)
            assert status == "OK", data
        finally:
            imap.logout()

    def fill(self, folder: str, messages: list[bytes]) -> None:
        """Many messages at once, written as Maildir files (much faster than APPEND).

        The mailbox must exist already (after one :meth:`append`); ``folder`` is
        "INBOX" or a folder name such as "Sent".
        """
        maildir = self.root / "mail" / self.username
        owner = maildir.stat()
        target = maildir if folder == "INBOX" else maildir / f".{folder}"
        for sub in ("cur", "new", "tmp"):
            (target / sub).mkdir(parents=True, exist_ok=True)
            os.chown(target / sub, owner.st_uid, owner.st_gid)
        os.chown(target, owner.st_uid, owner.st_gid)
        stamp = 1764580000  # any fixed time: Maildir names need only be unique
        for n, raw in enumerate(messages):
            path = target / "cur" / f"{stamp}.M{n}P{os.getpid()}.fill:2,S"
            path.write_bytes(raw)
            os.chown(path, owner.st_uid, owner.st_gid)

    def delete_folder_and_recreate(self, folder: str) -> None:
        """A new UIDVALIDITY for ``folder``: delete and create it again, messages lost."""
        imap = self.connect()
        try:
            imap.delete(folder)
            imap.create(folder)
        finally:
            imap.logout()


@contextmanager
def running_dovecot(settings: Any, username: str = Dovecot.username) -> Iterator[Dovecot]:
    """A dovecot process on 127.0.0.1 with one user, its certificate trusted by
    Coffeechat's mail connections; stopped and removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="coffeechat-dovecot-"))
    server = Dovecot(root, username=username)
    try:
        server.start()
        settings.SMTP_CA_FILE = str(server.ca_file)
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
