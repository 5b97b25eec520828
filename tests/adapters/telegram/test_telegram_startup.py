"""`llumi run` as a person starts it: "serving" only after Telegram accepted the token; a bad
token, an unreachable or a silent Bot API is one line naming the cause; the token never shows,
not with -vv and not with LLUMI_DEBUG=1."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.adapters.telegram.fake_bot_api import FakeBotApi
from tests.conftest import TEST_MODEL

pytestmark = pytest.mark.model

TOKEN = "123456:SECRET-token-never-shown"
ROOT = Path(__file__).resolve().parents[3]


@dataclass
class Outcome:
    code: int | None
    stdout: str
    stderr: str
    until_at: float | None = None  # time.monotonic() when `until` was printed

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def said(self) -> str:
        """The one line `llumi` itself wrote about the outcome (the rest is -vv logging)."""
        lines = [line for line in self.output.splitlines() if line.startswith("llumi: ")]
        assert len(lines) == 1, lines
        return lines[0]


def write_config(tmp_path: Path, base_url: str) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\ndata_dir = "{tmp_path / "data"}"\n'
        f'[models]\ngm = "{TEST_MODEL}"\nim = "{TEST_MODEL}"\n'
        f'[telegram]\nenabled = true\nbase_url = "{base_url}"\n'
    )
    return config


async def llumi_run(config: Path, *, until: str | None = None, timeout: float = 180) -> Outcome:
    """`llumi -vv run` with LLUMI_DEBUG=1; stopped with SIGINT once `until` is printed."""
    env = {
        **os.environ,
        "LLUMI_TELEGRAM__TOKEN": TOKEN,
        "LLUMI_DEBUG": "1",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "-vv", "--config", str(config), "run",
        cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    # -vv writes a lot to stderr: drain it meanwhile, or the child blocks on a full pipe.
    stderr = asyncio.create_task(proc.stderr.read())
    stdout = b""
    until_at = None
    if until is not None:
        while line := await asyncio.wait_for(proc.stdout.readline(), timeout):
            stdout += line
            if until in line.decode():
                until_at = time.monotonic()
                proc.send_signal(signal.SIGINT)
                break
    stdout += await asyncio.wait_for(proc.stdout.read(), timeout)
    await asyncio.wait_for(proc.wait(), timeout)
    return Outcome(proc.returncode, stdout.decode(), (await stderr).decode(), until_at)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi(TOKEN)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def test_serving_is_printed_only_after_telegram_accepted_the_token(
    api: FakeBotApi, tmp_path: Path
) -> None:
    result = await llumi_run(write_config(tmp_path, api.base_url), until="serving")
    assert "llumi: serving telegram" in result.stdout, result.output
    assert result.until_at is not None and result.code == 0  # Ctrl+C stops it cleanly
    login = api.called("getMe")[0]
    assert login.status == 200 and login.at < result.until_at  # the token was accepted first
    assert api.called("deleteWebhook")[0].at < result.until_at  # and polling was set up
    assert TOKEN not in result.output and "SECRET" not in result.output


async def test_a_rejected_token_is_one_line_that_names_it_and_never_shows_it(
    api: FakeBotApi, tmp_path: Path
) -> None:
    api.token = "999:another-bot"  # the Bot API answers 404 for any other token, as Telegram does
    result = await llumi_run(write_config(tmp_path, api.base_url))
    assert result.code == 2 and "llumi: serving" not in result.output
    assert result.said == "llumi: [telegram] the token was rejected by Telegram; check LLUMI_TELEGRAM__TOKEN"
    assert "Traceback" not in result.stderr
    assert TOKEN not in result.output and "SECRET" not in result.output


async def test_an_unreachable_bot_api_is_one_line_about_the_network(tmp_path: Path) -> None:
    result = await llumi_run(write_config(tmp_path, "http://127.0.0.1:9/bot"))  # nothing listens there
    assert result.code == 2 and "llumi: serving" not in result.output
    assert result.said.startswith(
        "llumi: [telegram] cannot reach Telegram (NetworkError): check this machine's network"
    )
    assert "Traceback" not in result.stderr and TOKEN not in result.output and "SECRET" not in result.output


async def test_a_bot_api_that_does_not_answer_is_one_line_about_the_time(
    api: FakeBotApi, tmp_path: Path
) -> None:
    api.latency["getMe"] = 30  # longer than the Bot API client waits for an answer
    result = await llumi_run(write_config(tmp_path, api.base_url))
    assert result.code == 2 and "llumi: serving" not in result.output
    assert result.said.startswith("llumi: [telegram] Telegram did not answer")
    assert "Traceback" not in result.stderr and TOKEN not in result.output and "SECRET" not in result.output
