"""Mail delivery through an outbox.

A service that wants a mail sent calls `enqueue_mail` inside its `transaction()`: the
mail is a row committed (or rolled back) with the change that causes it. The mail worker
(collab.mail.worker) claims due rows with a lease and sends them with Flask-Mailman, so a
mail goes at least once, with the Message-ID it got at enqueue, and never from two workers
at the same time.
"""
from .outbox import enqueue_mail, render_mail

__all__ = ["enqueue_mail", "render_mail"]
