"""Outbound email. There is no mail transport yet: development writes messages to the log."""

from __future__ import annotations

import logging

log = logging.getLogger("wizamart.mail")


class LogMailer:
    """Writes each message to the log. The body (which may hold a one-time token) is logged
    only outside production."""

    def __init__(self, *, include_body: bool) -> None:
        self._include_body = include_body

    def send(self, to: str, subject: str, body: str) -> None:
        if self._include_body:
            log.info("email (development: not sent)", extra={"to": to, "subject": subject, "body": body})
        else:
            log.warning("email not sent: no mail transport configured", extra={"to": to, "subject": subject})
