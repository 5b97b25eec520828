"""`llumi config check`: validate settings, the model registry and the prompt templates."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from llumi_core.errors import ConfigError

from ..bootstrap import check_models, settings_from


def register(sub: Any) -> None:
    p = sub.add_parser("config", help="settings")
    inner = p.add_subparsers(dest="config_command", metavar="ACTION")
    inner.required = True
    check = inner.add_parser("check", help="validate the settings file, models and prompts")
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace) -> int:
    settings = settings_from(args.config)
    lines = check_models(settings, deep=True)
    _check_data_dir(settings.storage.data_dir)
    print("config ok")
    for line in lines:
        print(f"  {line}")
    print(f"  data dir: {settings.storage.data_dir} (writable)")
    print(f"  database: {_safe_url(settings.storage.database_url())}")
    print(f"  discord: {'enabled' if settings.discord.enabled else 'disabled'}")
    print(f"  telegram: {'enabled' if settings.telegram.enabled else 'disabled'}")
    print(
        f"  privacy: store_content={settings.privacy.store_content}, retention {settings.privacy.retention_days} days"
    )
    return 0


def _check_data_dir(path: Path) -> None:
    """The data dir must exist (or be creatable) and take a new file: the database lives there."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as err:
        raise ConfigError(
            f"setting 'storage.data_dir': {path} is not a writable folder ({err.strerror or err})"
        ) from None


def _safe_url(url: str) -> str:
    """Hide a password in a database URL."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url
