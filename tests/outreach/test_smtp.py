"""The user's own SMTP server for real: STARTTLS, TLS from the start, AUTH LOGIN/PLAIN
(aiosmtpd with a self-signed certificate made here), and the test e-mail's plain words."""

from __future__ import annotations

import datetime
import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from coffeechat.outreach import services
from coffeechat.outreach.models import (
    ConnectionCheck,
    Purpose,
    SmtpSecurity,
    SmtpSettings,
    Status,
)
from coffeechat.outreach.smtp import Server
from coffeechat.server.worker import make_worker
from tests.outreach.conftest import Collector
from tests.ports import free_port

pytestmark = [
    pytest.mark.django_db,
    # The SMTPS server asks for a login without STARTTLS: its whole connection is TLS.
    pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS"),
]

USER, PASSWORD = "zoe", "correct horse battery"


# A self-signed certificate for 127.0.0.1, and servers that use it -----------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "coffeechat test mail server")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.fixture
def trusted(settings: Any, certificate: tuple[Path, Path]) -> Path:
    """Coffeechat trusts the test certificate, as an administrator would with the setting."""
    settings.SMTP_CA_FILE = str(certificate[0])
    return certificate[0]


class Recorder(Collector):
    """Keeps each message with whether it came over TLS, and the logins tried."""

    def __init__(self) -> None:
        super().__init__()
        self.tls: list[bool] = []
        self.logins: list[tuple[str, str, bool]] = []
        self.refuse_sender = ""
        self.refuse_recipient = ""

    def authenticator(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        login, password = data.login.decode(), data.password.decode()
        ok = (login, password) == (USER, PASSWORD)
        self.logins.append((mechanism, login, ok))
        return AuthResult(success=ok, handled=False)  # handled=False: answer 535

    async def handle_MAIL(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.refuse_sender:
            return self.refuse_sender
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.refuse_recipient:
            return self.refuse_recipient
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.tls.append(server.transport.get_extra_info("ssl_object") is not None)
        return await super().handle_DATA(server, session, envelope)


ServerFactory = Callable[..., tuple[Recorder, int]]


@pytest.fixture
def mail_server(certificate: tuple[Path, Path]) -> Iterator[ServerFactory]:
    """Starts aiosmtpd servers: ``mode`` is "starttls", "ssl" (SMTPS) or "plain"."""
    controllers: list[Controller] = []

    def start(mode: str = "starttls", **options: Any) -> tuple[Recorder, int]:
        recorder = Recorder()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*certificate)
        port = free_port()
        kwargs: dict[str, Any] = {
            "authenticator": recorder.authenticator,
            "auth_required": True,
            "auth_require_tls": mode != "ssl",
        }
        if mode == "starttls":
            kwargs.update(tls_context=context, require_starttls=True)
        elif mode == "ssl":
            kwargs.update(ssl_context=context)
        else:
            kwargs.update(auth_require_tls=False)
        kwargs.update(options)
        controller = Controller(recorder, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        controllers.append(controller)
        return recorder, port

    yield start
    for controller in controllers:
        controller.stop()


def save(user: Any, port: int, security: str, password: str = PASSWORD, **kw: Any) -> None:
    values = {"username": USER, "from_email": "zoe@mydomain.example", **kw}
    services.save_smtp_settings(
        user, host="127.0.0.1", port=port, security=security, password=password, **values
    )


@pytest.fixture
def draft(alice: Any, dana: Any) -> Any:
    return services.save_draft(alice, services.compose(alice, dana, Purpose.INFORMATIONAL))


# Delivery ------------------------------------------------------------------------------


@pytest.mark.parametrize("mechanism", ["LOGIN", "PLAIN"])
def test_it_delivers_over_starttls_with_the_right_password(
    alice, draft, trusted, mail_server, mechanism
):
    other = {"LOGIN": "PLAIN", "PLAIN": "LOGIN"}[mechanism]
    recorder, port = mail_server("starttls", auth_exclude_mechanism=[other])
    save(alice, port, SmtpSecurity.STARTTLS)

    services.send_email(draft)

    assert recorder.logins == [(mechanism, USER, True)]
    assert recorder.tls == [True]
    assert recorder.envelopes[0].mail_from == "zoe@mydomain.example"
    assert recorder.envelopes[0].rcpt_tos == ["dana@acme.example"]
    parsed = recorder.parsed()[0]
    assert parsed["Subject"] == draft.subject
    assert parsed.get_content().replace("\r\n", "\n").rstrip() == draft.body.rstrip()
    draft.refresh_from_db()
    assert draft.status == Status.SENT


def test_it_delivers_over_tls_from_the_start(alice, draft, trusted, mail_server):
    recorder, port = mail_server("ssl")
    save(alice, port, SmtpSecurity.SSL)

    services.send_email(draft)

    assert recorder.tls == [True]
    assert recorder.logins[0][1:] == (USER, True)
    assert recorder.parsed()[0]["To"].addresses[0].addr_spec == "dana@acme.example"


def test_the_test_e_mail_goes_to_my_own_address(alice, trusted, mail_server):
    recorder, port = mail_server("starttls")
    save(alice, port, SmtpSecurity.STARTTLS)

    result = services.send_test_email(alice)

    assert result.ok, result.message
    assert "Sent a test e-mail to zoe@mydomain.example" in result.message
    assert f"127.0.0.1:{port} (STARTTLS)" in result.message
    assert recorder.envelopes[0].rcpt_tos == ["zoe@mydomain.example"]
    parsed = recorder.parsed()[0]
    assert parsed["Subject"] == services.TEST_SUBJECT
    assert "Your SMTP settings work" in parsed.get_content()


# What went wrong, in plain words -------------------------------------------------------


def test_a_wrong_password_is_login_refused_and_nothing_goes_out(alice, draft, trusted, mail_server):
    recorder, port = mail_server("starttls")
    save(alice, port, SmtpSecurity.STARTTLS, password="wrong")

    result = services.send_test_email(alice)

    assert not result.ok
    assert result.message.startswith("Login refused (authentication failed)")
    assert "Traceback" not in result.message
    assert recorder.envelopes == [] and recorder.logins[0][2] is False
    with pytest.raises(ValidationError, match=r"Login refused \(authentication failed\)"):
        services.send_email(draft)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.send_error.startswith("Login refused")


def test_an_untrusted_certificate_fails_the_handshake(alice, settings, mail_server):
    settings.SMTP_CA_FILE = ""  # the self-signed certificate is not trusted
    recorder, port = mail_server("starttls")
    save(alice, port, SmtpSecurity.STARTTLS)

    result = services.send_test_email(alice)

    assert not result.ok
    assert result.message.startswith(f"TLS handshake with 127.0.0.1:{port} failed")
    assert "not trusted" in result.message and "COFFEECHAT_SMTP_CA_FILE" in result.message
    assert recorder.logins == [] and recorder.envelopes == []


def test_ssl_cert_file_from_the_environment_is_trusted_too(
    alice, settings, monkeypatch, certificate, mail_server
):
    settings.SMTP_CA_FILE = ""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    recorder, port = mail_server("ssl")
    save(alice, port, SmtpSecurity.SSL)

    assert services.send_test_email(alice).ok
    assert len(recorder.envelopes) == 1


def test_an_unreadable_ca_file_is_named(alice, settings, tmp_path, mail_server):
    settings.SMTP_CA_FILE = str(tmp_path / "missing.pem")
    _recorder, port = mail_server("ssl")
    save(alice, port, SmtpSecurity.SSL)

    result = services.send_test_email(alice)

    assert not result.ok
    assert "COFFEECHAT_SMTP_CA_FILE" in result.message and "missing.pem" in result.message


def test_no_encryption_against_a_starttls_server_says_it_wants_tls(alice, trusted, mail_server):
    _recorder, port = mail_server("starttls")
    save(alice, port, SmtpSecurity.NONE)
    with_login = services.send_test_email(alice)
    save(alice, port, SmtpSecurity.NONE, username="")
    without_login = services.send_test_email(alice)

    assert with_login.message.startswith("The server wants TLS"), with_login.message
    assert without_login.message.startswith("The server wants TLS"), without_login.message
    assert "STARTTLS" in with_login.message and "STARTTLS" in without_login.message


def test_tls_from_the_start_against_a_plain_server_fails_the_handshake(alice, trusted, mail_server):
    _recorder, port = mail_server("plain")
    save(alice, port, SmtpSecurity.SSL)

    result = services.send_test_email(alice, timeout=3)

    assert not result.ok
    assert result.message.startswith(f"TLS handshake with 127.0.0.1:{port} failed")


def test_starttls_against_a_server_without_it_is_named(alice, trusted, mail_server):
    _recorder, port = mail_server("plain")
    save(alice, port, SmtpSecurity.STARTTLS)

    result = services.send_test_email(alice)

    assert result.message.startswith(f"127.0.0.1:{port} does not offer STARTTLS")


def test_a_server_that_wants_a_login_says_so(alice, trusted, mail_server):
    _recorder, port = mail_server("starttls")
    save(alice, port, SmtpSecurity.STARTTLS, username="", password="")

    result = services.send_test_email(alice)

    assert result.message.startswith("The server wants a login"), result.message


def test_a_refused_sender_and_a_refused_recipient_are_named(alice, trusted, mail_server):
    recorder, port = mail_server("starttls")
    save(alice, port, SmtpSecurity.STARTTLS)
    recorder.refuse_sender = "553 5.7.1 Sender address rejected: not owned by user zoe"
    sender = services.send_test_email(alice)
    recorder.refuse_sender = ""
    recorder.refuse_recipient = "550 5.1.1 No such mailbox"
    recipient = services.send_test_email(alice)

    assert sender.message.startswith("The server refused the sender zoe@mydomain.example")
    assert "not owned by user zoe" in sender.message
    assert recipient.message.startswith("The server refused the recipient zoe@mydomain.example")
    assert "550 5.1.1 No such mailbox" in recipient.message
    assert recorder.envelopes == []


def test_a_closed_port_is_connection_refused(alice):
    port = free_port()
    save(alice, port, SmtpSecurity.STARTTLS)

    result = services.send_test_email(alice)

    assert not result.ok
    assert result.message.startswith(f"Cannot connect to 127.0.0.1:{port}: connection refused")


def test_a_silent_server_times_out(alice):
    with socket.socket() as listener:  # accepts connections, never says a word
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        save(alice, port, SmtpSecurity.STARTTLS)
        result = services.send_test_email(alice, timeout=0.5)

    assert result.message.startswith(f"Cannot connect to 127.0.0.1:{port}: timed out")
    assert "TLS from the start" in result.message


def test_an_unknown_host_name_is_named(alice):
    server = Server("no-such-host.invalid", 587, SmtpSecurity.STARTTLS)

    result = services.send_test_email(alice, server, from_email="zoe@mydomain.example")

    assert result.message.startswith("Cannot connect to no-such-host.invalid:587")


def test_a_password_saved_under_another_secret_key_is_explained(
    alice, draft, settings, trusted, mail_server
):
    _recorder, port = mail_server("starttls")
    save(alice, port, SmtpSecurity.STARTTLS)
    settings.SECRET_KEY = "another secret key, long enough to be taken seriously 1234567890"

    result = services.send_test_email(alice)
    with pytest.raises(ValidationError, match="enter it again"):
        services.send_email(draft)

    assert not result.ok and "enter it again" in result.message
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_without_settings_the_test_asks_for_them(alice):
    result = services.send_test_email(alice)
    assert not result.ok and "no SMTP settings" in result.message


# Testing typed settings: the saved password stays with the saved server ----------------


def test_typed_settings_reuse_the_saved_password_only_for_the_saved_server(alice):
    save(alice, 2525, SmtpSecurity.STARTTLS)
    same = services.typed_server(
        alice, host="127.0.0.1", port=2525, security="starttls", username=USER, password=""
    )
    assert same.password == PASSWORD
    for changed in (
        {"host": "evil.example"},
        {"port": 2526},
        {"security": "none"},
        {"username": "someone"},
    ):
        values: dict[str, Any] = {
            "host": "127.0.0.1",
            "port": 2525,
            "security": "starttls",
            "username": USER,
            **changed,
        }
        with pytest.raises(ValidationError) as error:
            services.typed_server(alice, password="", **values)
        assert "Type the password" in error.value.message_dict["password"][0]


# The page and the command --------------------------------------------------------------


def run_worker() -> None:
    """The worker runs the queued tests once, as ``coffeechat worker --once`` would."""
    make_worker(batch=True, interval=0).run()


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections
def test_the_page_sends_a_test_with_the_saved_settings(alice, alice_client, trusted, mail_server):
    recorder, port = mail_server("starttls")
    save(alice, port, SmtpSecurity.STARTTLS)
    url = reverse("outreach:smtp-settings")

    assert "Send a test e-mail" in alice_client.get(url).content.decode()
    response = alice_client.post(url, {"action": "test"}, follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Waiting for the worker" in page and 'hx-trigger="every 1s"' in page
    assert recorder.envelopes == []  # the web request connected nowhere
    check = ConnectionCheck.objects.get(owner=alice)
    run_worker()
    status = alice_client.get(reverse("outreach:smtp-check", kwargs={"check_id": check.pk}))
    assert "Sent a test e-mail to zoe@mydomain.example" in status.content.decode()
    assert "hx-trigger" not in status.content.decode()  # done: the page stops asking
    assert len(recorder.envelopes) == 1


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections
def test_the_page_reports_a_refused_login_without_an_error_page(
    alice, alice_client, trusted, mail_server
):
    _recorder, port = mail_server("ssl")
    save(alice, port, SmtpSecurity.SSL, password="wrong")

    alice_client.post(reverse("outreach:smtp-settings"), {"action": "test"})
    run_worker()
    check = ConnectionCheck.objects.get(owner=alice)
    response = alice_client.get(f"{reverse('outreach:smtp-settings')}?check={check.pk}")

    assert response.status_code == 200
    assert "Test failed." in response.content.decode()
    assert "Login refused (authentication failed)" in response.content.decode()


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections
def test_the_page_tests_typed_settings_without_saving_them(
    alice, alice_client, trusted, mail_server
):
    recorder, port = mail_server("ssl")
    form = {
        "action": "test_typed",
        "host": "127.0.0.1",
        "port": port,
        "security": "ssl",
        "username": USER,
        "password": PASSWORD,
        "from_email": "zoe@mydomain.example",
    }

    response = alice_client.post(reverse("outreach:smtp-settings"), form)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Waiting for the worker" in page
    assert PASSWORD not in page
    check = ConnectionCheck.objects.get(owner=alice)
    assert check.typed_encrypted and PASSWORD not in check.typed_encrypted  # encrypted
    run_worker()
    check.refresh_from_db()
    assert check.typed_encrypted == ""  # erased once the worker took it
    assert check.status == ConnectionCheck.Status.PASSED
    assert "Sent a test e-mail" in check.message
    assert len(recorder.envelopes) == 1
    assert not SmtpSettings.objects.filter(owner=alice).exists()

    form["password"] = "wrong"
    alice_client.post(reverse("outreach:smtp-settings"), form)
    run_worker()
    latest = ConnectionCheck.objects.filter(owner=alice).latest("created_at", "pk")
    page = alice_client.get(f"{reverse('outreach:smtp-settings')}?check={latest.pk}")
    assert "Test failed." in page.content.decode() and "Login refused" in page.content.decode()


def test_the_page_asks_for_the_password_to_test_another_server(alice, alice_client):
    save(alice, 2525, SmtpSecurity.STARTTLS)
    response = alice_client.post(
        reverse("outreach:smtp-settings"),
        {
            "action": "test_typed",
            "host": "elsewhere.example",
            "port": 2525,
            "security": "starttls",
            "username": USER,
            "password": "",
            "from_email": "zoe@mydomain.example",
        },
    )
    assert response.status_code == 200
    assert "Type the password to test these settings" in response.content.decode()
    assert SmtpSettings.objects.get(owner=alice).host == "127.0.0.1"


@pytest.mark.parametrize("saved", [False, True])
def test_the_settings_page_uses_a_constant_number_of_queries(
    alice, alice_client, django_assert_num_queries, saved
):
    if saved:
        save(alice, 2525, SmtpSecurity.STARTTLS)
    alice_client.get(reverse("outreach:smtp-settings"))  # warm the session
    # session, user, profile (time zone), the settings; the base template's nav count and
    # health banner
    with django_assert_num_queries(6):
        response = alice_client.get(reverse("outreach:smtp-settings"))
    assert response.status_code == 200


def test_the_command_sends_a_test_and_names_a_failure(alice, trusted, mail_server):
    recorder, port = mail_server("starttls")
    save(alice, port, SmtpSecurity.STARTTLS)
    out = StringIO()

    call_command("smtp-test", "--user", alice.email, stdout=out)

    assert "Sent a test e-mail to zoe@mydomain.example" in out.getvalue()
    assert len(recorder.envelopes) == 1
    save(alice, port, SmtpSecurity.STARTTLS, password="wrong")
    with pytest.raises(CommandError, match=r"Login refused \(authentication failed\)"):
        call_command("smtp-test", "--user", alice.email, stdout=StringIO())


def test_the_command_without_settings_or_account(alice):
    with pytest.raises(CommandError, match="no SMTP settings"):
        call_command("smtp-test", "--user", alice.email, stdout=StringIO())
    with pytest.raises(CommandError, match="There is no account"):
        call_command("smtp-test", "--user", "nobody@example.org", stdout=StringIO())


def test_the_instance_mail_server_is_named_when_it_refuses(settings, draft):
    port = free_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": True, "timeout": 2},
        }
    }
    with pytest.raises(ValidationError) as error:
        services.send_email(draft)
    assert error.value.messages == [
        f"Cannot connect to 127.0.0.1:{port}: connection refused (nothing answers on that "
        "port). Check the host name and the port."
    ]
