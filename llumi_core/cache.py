"""Where llumi keeps files it derives once and reuses: converted and assembled models."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """`$LLUMI_CACHE_DIR`, else `$XDG_CACHE_HOME/llumi`, else `~/.cache/llumi` (not created here)."""
    explicit = os.environ.get("LLUMI_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "llumi"
