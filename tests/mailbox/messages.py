"""Realistic messages, shaped the way common mail programs write them, as raw bytes.

Gmail answers with a multipart/alternative in quoted-printable and an "On … wrote:"
line; Outlook with base64 bodies, Windows-1252 and "From: … Sent: …" quotes; Apple
Mail with encoded-word subjects and format=flowed. Headers are built by hand so their
shapes are the programs' own, not those of Python's email package.
"""

from __future__ import annotations

import base64
import quopri


def _crlf(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def gmail_reply(
    *,
    from_name: str,
    from_address: str,
    to_address: str,
    subject: str,
    message_id: str,
    in_reply_to: str,
    date: str,
    text: str = "Happy to talk! Does Thursday at 10 work for you?",
) -> bytes:
    plain = f"{text}\n\nOn Mon, Nov 30, 2026 at 9:12 AM Alice <{to_address}> wrote:\n> Hello\n"
    html = f'<div dir="ltr">{text}</div><br><div class="gmail_quote">…</div>'
    plain_qp = quopri.encodestring(plain.encode("utf-8")).decode("ascii")
    html_qp = quopri.encodestring(html.encode("utf-8")).decode("ascii")
    return _crlf(
        f"""MIME-Version: 1.0
Date: {date}
References: {in_reply_to}
In-Reply-To: {in_reply_to}
Message-ID: {message_id}
Subject: Re: {subject}
From: {from_name} <{from_address}>
To: Alice <{to_address}>
Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f6"

--000000000000a1b2c3d4e5f6
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

{plain_qp}
--000000000000a1b2c3d4e5f6
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

{html_qp}
--000000000000a1b2c3d4e5f6--
"""
    )


def outlook_reply(
    *,
    from_name: str,
    from_address: str,
    to_address: str,
    subject: str,
    message_id: str,
    references: str,
    date: str,
    text: str = "Gerne – nächste Woche passt mir.",
) -> bytes:
    """Outlook: AW: subject, base64 Windows-1252 body, Thread-Topic, quoted header block."""
    body = (
        f"{text}\r\n\r\n________________________________\r\n"
        f"From: Alice <{to_address}>\r\nSent: Monday, November 30, 2026 09:12\r\n"
        f"Subject: {subject}\r\n"
    )
    encoded = base64.encodebytes(body.encode("cp1252")).decode("ascii")
    name = (
        "=?iso-8859-1?Q?" + quopri.encodestring(from_name.encode("latin-1"), header=True).decode()
    )
    return _crlf(
        f"""From: {name}?= <{from_address}>
To: Alice <{to_address}>
Subject: AW: {subject}
Thread-Topic: {subject}
Thread-Index: AQHZ1234abcdEFGH
Date: {date}
Message-ID: {message_id}
References: {references}
Accept-Language: de-DE, en-US
Content-Language: de-DE
X-MS-Has-Attach:
MIME-Version: 1.0
Content-Type: text/plain; charset="Windows-1252"
Content-Transfer-Encoding: base64

{encoded}"""
    )


def apple_mail(
    *,
    from_name: str,
    from_address: str,
    to_name: str,
    to_address: str,
    subject: str,
    message_id: str,
    date: str,
    text: str,
    in_reply_to: str = "",
) -> bytes:
    """Apple Mail: encoded-word subject and names, format=flowed, no References."""
    subject_word = "=?utf-8?B?" + base64.b64encode(subject.encode("utf-8")).decode() + "?="
    from_word = "=?utf-8?Q?" + quopri.encodestring(from_name.encode(), header=True).decode() + "?="
    to_word = "=?utf-8?Q?" + quopri.encodestring(to_name.encode(), header=True).decode() + "?="
    reply = f"In-Reply-To: {in_reply_to}\n" if in_reply_to else ""
    body_qp = quopri.encodestring(text.encode("utf-8")).decode("ascii")
    return _crlf(
        f"""Content-Type: text/plain;
\tcharset=utf-8;
\tformat=flowed
Content-Transfer-Encoding: quoted-printable
Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3731.700.6\\))
Subject: {subject_word}
From: {from_word} <{from_address}>
{reply}Date: {date}
To: {to_word} <{to_address}>
Message-Id: {message_id}
X-Mailer: Apple Mail (2.3731.700.6)

{body_qp}
"""
    )


def newsletter(*, to_address: str, message_id: str, date: str) -> bytes:
    return _crlf(
        f"""From: Weekly Deals <deals@shop.example>
To: {to_address}
Subject: 50% off everything
Date: {date}
Message-ID: {message_id}
List-Unsubscribe: <mailto:unsubscribe@shop.example>
Content-Type: text/plain; charset=us-ascii

Buy now.
"""
    )


def postfix_bounce(
    *, to_address: str, failed: str, original_id: str, subject: str, message_id: str, date: str
) -> bytes:
    """Postfix's delivery status notification (RFC 3464) with the original's headers."""
    return _crlf(
        f"""Return-Path: <>
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: {to_address}
Date: {date}
Message-Id: {message_id}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="4B1C2D3E4F.1764580000/mx.example.net"

This is a MIME-encapsulated message.

--4B1C2D3E4F.1764580000/mx.example.net
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<{failed}>: host gmail-smtp-in.example[192.0.2.1] said: 550 5.1.1 The
    email account that you tried to reach does not exist.

--4B1C2D3E4F.1764580000/mx.example.net
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 4B1C2D3E4F
Arrival-Date: Mon, 30 Nov 2026 09:12:01 +0000 (UTC)

Final-Recipient: rfc822; {failed}
Original-Recipient: rfc822;{failed}
Action: failed
Status: 5.1.1
Remote-MTA: dns; gmail-smtp-in.example
Diagnostic-Code: smtp; 550 5.1.1 The email account that you tried to reach does
    not exist.

--4B1C2D3E4F.1764580000/mx.example.net
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: Alice <{to_address}>
To: Lena Hoffmann <{failed}>
Subject: {subject}
Message-ID: {original_id}
Date: Mon, 30 Nov 2026 09:12:00 +0000

--4B1C2D3E4F.1764580000/mx.example.net--
"""
    )
