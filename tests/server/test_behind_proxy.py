"""The documented production setup, for real: nginx terminates TLS in front of `coffeechat serve`.

With COFFEECHAT_HTTPS=1 and COFFEECHAT_BEHIND_PROXY=1 the server must believe the proxy's
X-Forwarded-Proto, or every request is redirected to https forever. Nothing here is
simulated: a real nginx process (Debian's package) with a self-signed certificate, and
the real `coffeechat serve` (waitress) on SQLite in a throwaway data directory.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ports import free_port

HOST = "coffeechat.test"
# nginx connects to the app from this loopback address, the only one the app trusts;
# the tests themselves connect from 127.0.0.1.
PROXY_ADDRESS = "127.0.0.2"
NGINX_CONF = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    server {{
        listen 127.0.0.1:{tls_port} ssl;
        server_name {host};
        ssl_certificate {dir}/cert.pem;
        ssl_certificate_key {dir}/key.pem;
        location / {{
            proxy_pass http://127.0.0.1:{app_port};
            proxy_bind {proxy_address};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Request-ID $request_id;
            add_header X-Edge-Request-ID $request_id always;  # tests only: which id nginx made
        }}
    }}
}}
"""


def nginx() -> str:
    """Debian's nginx, or a failure (never a skip) that says how to get it."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        pytest.fail("The proxy test needs nginx: install Debian's 'nginx-light' package.")
    return found


def wait_for(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} stopped early with code {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{what} did not listen on port {port}")


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, int]]:
    work = tmp_path_factory.mktemp("proxy")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", f"/CN={HOST}", "-keyout", str(work / "key.pem"), "-out", str(work / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    app_port, tls_port = free_port(), free_port()
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        COFFEECHAT_DATA_DIR=str(work / "data"),
        COFFEECHAT_HTTPS="1",
        COFFEECHAT_BEHIND_PROXY="1",
        COFFEECHAT_ALLOWED_HOSTS=HOST,
        COFFEECHAT_SITE_URL=f"https://{HOST}",
        COFFEECHAT_TRUSTED_PROXY=PROXY_ADDRESS,
    )
    env.pop("COFFEECHAT_TEST_FROZEN_AT", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "coffeechat", "serve", "--no-worker", "--port", str(app_port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    conf = work / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            dir=work, tls_port=tls_port, app_port=app_port, host=HOST, proxy_address=PROXY_ADDRESS
        )
    )
    proxy = subprocess.Popen(
        [nginx(), "-p", str(work), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_for(app_port, server, "coffeechat serve")
        wait_for(tls_port, proxy, "nginx")
        yield {"app": app_port, "tls": tls_port}
    finally:
        for process in (proxy, server):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def get(
    port: int, path: str, *, tls: bool, headers: dict[str, str] | None = None
) -> http.client.HTTPResponse:
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            "127.0.0.1", port, context=context, timeout=20
        )
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.request("GET", path, headers={"Host": HOST, **(headers or {})})
    response = connection.getresponse()
    response.read()
    return response


def test_pages_answer_through_the_tls_proxy_without_a_redirect_loop(
    proxied: dict[str, int],
) -> None:
    health = get(proxied["tls"], "/health/", tls=True)
    assert health.status == 200

    home = get(proxied["tls"], "/", tls=True)
    assert home.status == 302
    assert home.getheader("Location") == "/accounts/signup/"


def test_cookies_are_secure_and_hsts_is_sent_through_the_proxy(proxied: dict[str, int]) -> None:
    login = get(proxied["tls"], "/accounts/login/", tls=True)
    assert login.status == 200
    cookies = login.headers.get_all("Set-Cookie") or []
    csrf = [cookie for cookie in cookies if cookie.startswith("csrftoken=")]
    assert csrf and "Secure" in csrf[0] and "SameSite=Lax" in csrf[0]
    assert "max-age=" in (login.getheader("Strict-Transport-Security") or "")


def test_plain_http_straight_to_the_server_is_still_sent_to_https(
    proxied: dict[str, int],
) -> None:
    direct = get(proxied["app"], "/", tls=False)
    assert direct.status == 301
    assert direct.getheader("Location") == f"https://{HOST}/"


def test_the_proxys_request_id_is_kept_and_a_strangers_is_not(proxied: dict[str, int]) -> None:
    """The app believes X-Request-ID from nginx (its trusted proxy, even though waitress
    has by then replaced the peer's address with the client's) and from nobody else."""
    given = {"X-Request-ID": "made-up-by-a-stranger-42"}
    through = get(proxied["tls"], "/health/", tls=True, headers=given)
    assert through.status == 200
    made_by_nginx = through.getheader("X-Edge-Request-ID") or ""
    assert re.fullmatch(r"[0-9a-f]{32}", made_by_nginx)
    assert through.getheader("X-Request-ID") == made_by_nginx

    direct = get(proxied["app"], "/health/", tls=False, headers=given)
    assert direct.status == 301  # straight to the app, not through the proxy
    assert re.fullmatch(r"[0-9a-f]{32}", direct.getheader("X-Request-ID") or "")


def test_the_session_cookie_is_secure_http_only_and_same_site_through_the_proxy(
    proxied: dict[str, int],
) -> None:
    """Signing up the first account through TLS sets a session cookie for HTTPS only."""
    import re
    from urllib.parse import urlencode

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection("127.0.0.1", proxied["tls"], context=context)
    connection.request("GET", "/accounts/signup/", headers={"Host": HOST})
    form = connection.getresponse()
    page = form.read().decode()
    csrf_cookie = next(
        c.split(";")[0]
        for c in form.headers.get_all("Set-Cookie") or []
        if c.startswith("csrftoken=")
    )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    password = "a-long-and-unusual-passphrase-42"
    body = urlencode(
        {
            "csrfmiddlewaretoken": token.group(1),
            "email": "first@example.com",
            "password1": password,
            "password2": password,
        }
    )
    connection.request(
        "POST",
        "/accounts/signup/",
        body=body,
        headers={
            "Host": HOST,
            "Cookie": csrf_cookie,
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}/accounts/signup/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    signed_up = connection.getresponse()
    signed_up.read()
    assert signed_up.status == 302, signed_up.status
    session = [
        c for c in signed_up.headers.get_all("Set-Cookie") or [] if c.startswith("sessionid=")
    ]
    assert session, signed_up.headers
    flags = [flag.strip().lower() for flag in session[0].split(";")]
    assert "secure" in flags
    assert "httponly" in flags
    assert "samesite=lax" in flags
