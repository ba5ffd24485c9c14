"""Notifications, derived from the committed event log.

The notifier (collab.notifications.notifier) runs in every server process. Holding the
lock on the one `notification_cursor` row, it reads the events after the cursor, asks
`kinds.derive` who hears about each, keeps those `audience.may_know_about` allows, and
writes one `Notification` per (event seq, recipient) in batches, queueing immediate mail
in the same transaction. Restarts and several processes never double: the cursor moves
in the transaction that writes the rows, and a unique constraint backs it.
"""
