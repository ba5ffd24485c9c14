"""This process's presence registry. `init_realtime` replaces it once the app's settings say
whether it lives in memory or in Redis; the handler modules read it from here, so that they and
the package never import each other."""
from __future__ import annotations

from .registry import MemoryRegistry, RedisRegistry

registry: MemoryRegistry | RedisRegistry = MemoryRegistry()
