"""The read side: what pages, the API and the live channel show, one module per aggregate.

Read functions never change state and never call a service; services never call them.
"""
