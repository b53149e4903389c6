"""A meeting as an iCalendar event (RFC 5545), written by hand: a dozen lines need no library.

Lines end in CRLF and are folded at 75 octets (continuation lines start with
a space); text values escape backslash, semicolon, comma and newline; times
are in UTC ("Z").
"""

from __future__ import annotations

from datetime import UTC, datetime

from .models import Meeting

PRODID = "-//Piano economia sociale//Partecipazione//IT"


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, never inside a UTF-8 character."""
    chunks, current, size, limit = [], "", 0, 75
    for character in line:
        octets = len(character.encode("utf-8"))
        if size + octets > limit:
            chunks.append(current)
            current, size, limit = "", 0, 74  # continuation lines begin with one space
        current += character
        size += octets
    chunks.append(current)
    return "\r\n ".join(chunks)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_calendar(meeting: Meeting, *, url: str, host: str, now: datetime) -> str:
    description = "\n\n".join(part for part in (meeting.description, meeting.agenda, meeting.online_url) if part)
    location = meeting.place or meeting.online_url
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{host}",
        f"DTSTAMP:{_utc(now)}",
        f"DTSTART:{_utc(meeting.starts_at)}",
        f"DTEND:{_utc(meeting.ends_at)}",
        f"SUMMARY:{_escape(meeting.title)}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{_escape(description)}")
    if location:
        lines.append(f"LOCATION:{_escape(location)}")
    lines += [f"URL:{url}", "END:VEVENT", "END:VCALENDAR"]
    return "".join(_fold(line) + "\r\n" for line in lines)
