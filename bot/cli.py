"""The `llumi` command. Sub-commands live in `bot.commands.*` and are discovered.

Exit status: 0 success, 2 bad input or configuration (one line on stderr),
1 an unexpected internal error (one line on stderr; details only with
LLUMI_DEBUG=1). Never a traceback by default.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import logging
import os
import pkgutil
import sys
from collections.abc import Sequence

from llumi_core.errors import LlumiError

# llama.cpp's OpenMP threads spin while idle unless told to sleep; on a shared
# machine spinning costs seconds per draft. Must be set before llama_cpp loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from . import commands

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what shells report for a writer whose reader left


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on bad usage already; keep its message to one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT, f"llumi: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="llumi", description="LLUMI: a private, local writing assistant for peer supporters."
    )
    parser.add_argument(
        "--config", default=None, help="settings file (default ./config.toml, else built-in defaults)"
    )
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more log output (never post text)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue  # helpers, not commands
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def _configure_logging(verbosity: int) -> None:
    from llumi_core.logging_guard import install_content_filter

    level = logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    install_content_filter()
    # llama.cpp and http clients are chatty at INFO; their lines can echo prompts.
    for noisy in ("llama_cpp", "httpx", "httpcore", "aiosqlite", "alembic"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose)
    try:
        result = args.handler(args)
        if inspect.isawaitable(result):
            result = asyncio.run(result)  # type: ignore[arg-type]
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return int(result or 0)
    except BrokenPipeError:
        return _output_closed()
    except LlumiError as err:
        print(f"llumi: {err.user_message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("llumi: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # the last line of defence: one line, never a traceback
        if os.environ.get("LLUMI_DEBUG"):
            raise
        log.debug("internal error", exc_info=True)
        print(
            f"llumi: internal error ({type(err).__name__}); rerun with LLUMI_DEBUG=1 for details",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _output_closed() -> int:
    """The reader went away (`llumi … | head`): say so once; nothing more can be printed."""
    # Later writes (and the flush at exit) must not raise again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    print("llumi: output closed before everything was printed (broken pipe)", file=sys.stderr)
    return EXIT_BROKEN_PIPE


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
