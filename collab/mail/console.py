"""MAIL_BACKEND=console: Flask-Mailman's console backend, made readable for the demo's log —
the headers and the plain text, where a newcomer can follow a link; the HTML part is left out."""
from __future__ import annotations

from flask_mailman.backends.console import EmailBackend as MailmanConsoleBackend

SHOWN_HEADERS = ("Message-ID", "From", "To", "Subject", "List-Unsubscribe")


class EmailBackend(MailmanConsoleBackend):
    def write_message(self, message):
        mime = message.message()
        lines = ["", "----- mail shown, not sent (MAIL_BACKEND=console) -----"]
        lines += [f"{name}: {mime[name]}" for name in SHOWN_HEADERS if mime[name]]
        lines += ["", message.body.rstrip(), "", "-" * 55, ""]
        self.stream.write("\n".join(lines))
