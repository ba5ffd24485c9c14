"""The only code that changes state: one function per change, named verb_noun.

Each takes the acting user, checks permission, validates input, writes rows and
their event in one transaction (collab.events.transaction) and publishes after
the commit.
"""
