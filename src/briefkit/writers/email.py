"""The draft email (.eml, RFC 5322): subject, a short plain and HTML body, the files attached.

Reproducible like the other outputs: the Date comes from the build timestamp, and the Message-ID and MIME
boundaries are derived from the content instead of from the clock and a random generator.
"""

from __future__ import annotations

import hashlib
import html
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formatdate
from typing import TYPE_CHECKING

from briefkit.document.model import Meta
from briefkit.writers.formats import FORMATS

if TYPE_CHECKING:
    from briefkit.bundle import OutputFile

def write_email(meta: Meta, subject: str, summary: list[str], files: list[OutputFile], sender: str,
                to: tuple[str, ...]) -> bytes:
    msg = EmailMessage(policy=policy.SMTP)
    msg["Subject"] = subject
    msg["From"] = sender
    if to:
        msg["To"] = ", ".join(to)
    msg["Date"] = formatdate(meta.timestamp, usegmt=True)
    digest = hashlib.sha256(b"".join(f.data for f in files) + subject.encode()).hexdigest()
    domain = sender.rpartition("@")[2] or "briefkit.invalid"
    msg["Message-ID"] = f"<{digest[:32]}@{domain}>"
    msg["X-Unsent"] = "1"  # Outlook opens it as a draft ready to send
    sizes = [(f.name, len(f.data)) for f in files]
    msg.set_content(_plain(meta, summary, sizes))
    msg.add_alternative(_html(meta, summary, sizes), subtype="html")
    for f in files:
        maintype, _, subtype = FORMATS[f.format].media_type.partition("/")
        msg.add_attachment(f.data, maintype=maintype, subtype=subtype, filename=f.name)
    for i, part in enumerate(msg.walk()):
        if part.is_multipart():
            part.set_boundary(f"=_briefkit_{digest[:24]}_{i}")
    return msg.as_bytes()


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000))} KB"


def _plain(meta: Meta, summary: list[str], sizes: list[tuple[str, int]]) -> str:
    lines = [f"{meta.title}", f"{meta.audience} brief, {meta.date_human}. {meta.marking}.", "", "Bottom line:"]
    lines += [f"- {s}" for s in summary]
    lines += ["", "Attached:"] + [f"- {name} ({_size(n)})" for name, n in sizes]
    lines += ["", f"Every figure in the attachments is footnoted to its source. {meta.author}."]
    return "\n".join(lines) + "\n"


def _html(meta: Meta, summary: list[str], sizes: list[tuple[str, int]]) -> str:
    e = html.escape
    items = "".join(f"<li>{e(s)}</li>" for s in summary)
    files = "".join(f"<li>{e(name)} ({_size(n)})</li>" for name, n in sizes)
    return (
        f'<!DOCTYPE html><html lang="{e(meta.language)}"><head><meta charset="utf-8"><title>{e(meta.title)}</title>'
        f"</head><body><p><strong>{e(meta.title)}</strong><br>{e(meta.audience)} brief, {e(meta.date_human)}. "
        f"{e(meta.marking)}.</p><p>Bottom line:</p><ul>{items}</ul><p>Attached:</p><ul>{files}</ul>"
        f"<p>Every figure in the attachments is footnoted to its source. {e(meta.author)}.</p></body></html>\n"
    )


__all__ = ["format_datetime", "write_email"]
