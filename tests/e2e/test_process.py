"""The real entry points as processes: ``jeda run`` against the simulator, and ``jeda demo``."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import time
from pathlib import Path

from bot.simulator import BotAPISimulator, Limits

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:PROCESS-test-token-for-the-sim-0"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "JEDA_"))}
    env.update(extra)
    return env


async def test_run_serves_the_simulator_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    async with BotAPISimulator(limits=Limits(per_chat_burst=20)) as sim:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=ROOT,
            env=_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=sim.url,
                     JEDA_DATA_DIR=str(tmp_path / "data")),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        try:
            await sim.wait_for(lambda: sim.open_polls > 0, 20, "jeda run to start polling")
            user = sim.user(6001, "Sari")
            await user.send("/help")
            (reply,) = await user.wait_for_bot(1, timeout=10)
            assert "kode undangan" in reply.text
            started = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(proc.wait(), timeout=10)
            assert code == 0
            assert time.monotonic() - started < 5
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        _, err = await proc.communicate()
        assert TOKEN not in err.decode()
        assert "Traceback" not in err.decode()


async def test_run_refuses_bad_configuration_listing_everything(tmp_path: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT,
        env=_env(JEDA_TIMEZONE="Atlantis/Capital", TELEGRAM_API_URL="nope"),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(proc.communicate(), timeout=20)
    assert proc.returncode == 2
    text = err.decode()
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_URL", "JEDA_TIMEZONE"):
        assert name in text
    assert "Traceback" not in text


async def test_demo_shows_the_first_reply_within_ten_seconds(tmp_path: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "demo", cwd=ROOT, env=_env(),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None
    started = time.monotonic()
    seen = ""
    try:
        async with asyncio.timeout(20):
            while "/start " not in seen:
                seen += (await proc.stdout.readline()).decode()
        code = re.search(r"/start (\S+)", seen).group(1)  # type: ignore[union-attr]
        proc.stdin.write(f"/start {code}\n".encode())
        await proc.stdin.drain()
        async with asyncio.timeout(10):
            while "Bahasa Indonesia" not in seen:
                seen += (await proc.stdout.readline()).decode()
        assert time.monotonic() - started < 10
        assert "[1] Bahasa Indonesia" in seen
        proc.stdin.write(b"#1\n")
        await proc.stdin.drain()
        async with asyncio.timeout(10):
            while "bersedia" not in seen:
                seen += (await proc.stdout.readline()).decode()
        proc.stdin.write(b":quit\n")
        await proc.stdin.drain()
        assert await asyncio.wait_for(proc.wait(), timeout=10) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def test_run_retries_an_unreachable_bot_api_then_exits_2_with_one_line_per_try(
    tmp_path: Path,
) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT,
        env=_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=f"http://127.0.0.1:{port}",
                 JEDA_DATA_DIR=str(tmp_path / "data"), JEDA_START_RETRIES="2"),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    text = err.decode()
    assert proc.returncode == 2
    assert "Traceback" not in text
    assert TOKEN not in text
    assert "Jeda is running" not in text
    tries = [line for line in text.splitlines() if "not reachable (try" in line]
    assert len(tries) == 1 and "try 1 of 2" in tries[0]
    assert "cannot start" in text and "JEDA_START_RETRIES" in text
