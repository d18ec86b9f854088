"""Calendar messages as Outlook and Google send them, as raw bytes: answers (iTIP REPLY)
to an invitation, and invitations (REQUEST, CANCEL). Outlook puts a base64 text/calendar
alternative beside its text and HTML; Google nests the alternative in multipart/mixed and
attaches the same calendar again as invite.ics, both base64."""

from __future__ import annotations

import base64


def _crlf(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def _b64(text: str) -> str:
    return base64.encodebytes(_crlf(text)).decode("ascii")


def reply_calendar(
    *, uid: str, attendee: str, name: str, partstat: str, stamp: str, sequence: int = 0
) -> str:
    return f"""BEGIN:VCALENDAR
METHOD:REPLY
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
BEGIN:VEVENT
ATTENDEE;PARTSTAT={partstat};CN={name}:mailto:{attendee}
COMMENT;LANGUAGE=en-US:\\n
SUMMARY;LANGUAGE=en-US:{partstat.title()}: Coffee chat
DTSTART:20261210T090000Z
DTEND:20261210T093000Z
UID:{uid}
CLASS:PUBLIC
PRIORITY:5
DTSTAMP:{stamp}
TRANSP:OPAQUE
SEQUENCE:{sequence}
LOCATION;LANGUAGE=en-US:
X-MICROSOFT-CDO-APPT-SEQUENCE:{sequence}
X-MICROSOFT-CDO-REPLYTIME:{stamp}
END:VEVENT
END:VCALENDAR
"""


def outlook_answer(
    *,
    from_name: str,
    from_address: str,
    to_address: str,
    calendar: str,
    verb: str,
    message_id: str,
    date: str,
) -> bytes:
    """Outlook: "Accepted: …", text and a base64 text/calendar; method=REPLY part."""
    return _crlf(
        f"""From: {from_name} <{from_address}>
To: Alice <{to_address}>
Subject: {verb}: Invitation: coffee chat on 10 Dec 2026
Thread-Topic: Invitation: coffee chat on 10 Dec 2026
Thread-Index: AQHbRk2f3Zq1
Date: {date}
Message-ID: {message_id}
Accept-Language: en-US
Content-Language: en-US
X-MS-Has-Attach:
X-MS-TNEF-Correlator:
MIME-Version: 1.0
Content-Type: multipart/alternative;
\tboundary="_000_DB9PR10MB5123ABCDEFDB9PR10MB5123EURP_"

--_000_DB9PR10MB5123ABCDEFDB9PR10MB5123EURP_
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

{verb} your invitation.

--_000_DB9PR10MB5123ABCDEFDB9PR10MB5123EURP_
Content-Type: text/calendar; charset="utf-8"; method=REPLY
Content-Transfer-Encoding: base64

{_b64(calendar)}
--_000_DB9PR10MB5123ABCDEFDB9PR10MB5123EURP_--
"""
    )


def google_message(
    *,
    from_name: str,
    from_address: str,
    to_address: str,
    calendar: str,
    method: str,
    subject: str,
    message_id: str,
    date: str,
    html_padding: int = 0,
) -> bytes:
    """Google Calendar: multipart/mixed with an alternative (text, HTML, text/calendar)
    and invite.ics attached; ``html_padding`` makes the HTML that many bytes longer."""
    html = "<div>" + ("x" * html_padding) + "</div>"
    return _crlf(
        f"""MIME-Version: 1.0
Date: {date}
Reply-To: {from_name} <{from_address}>
Sender: Google Calendar <calendar-notification@google.example>
Message-ID: {message_id}
Subject: {subject}
From: {from_name} <{from_address}>
To: {to_address}
Content-Type: multipart/mixed; boundary="000000000000c2d3e4f5a6b7c8d9"

--000000000000c2d3e4f5a6b7c8d9
Content-Type: multipart/alternative; boundary="000000000000c2d3e4f5a6b7c8da"

--000000000000c2d3e4f5a6b7c8da
Content-Type: text/plain; charset="UTF-8"; format=flowed; delsp=yes
Content-Transfer-Encoding: base64

{_b64(subject)}
--000000000000c2d3e4f5a6b7c8da
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

{html}
--000000000000c2d3e4f5a6b7c8da
Content-Type: text/calendar; charset="UTF-8"; method={method}
Content-Transfer-Encoding: base64

{_b64(calendar)}
--000000000000c2d3e4f5a6b7c8da--

--000000000000c2d3e4f5a6b7c8d9
Content-Type: application/ics; name="invite.ics"
Content-Disposition: attachment; filename="invite.ics"
Content-Transfer-Encoding: base64

{_b64(calendar)}
--000000000000c2d3e4f5a6b7c8d9--
"""
    )
