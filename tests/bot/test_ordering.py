"""Updates of one person run in order; different people's run side by side."""

from __future__ import annotations

import asyncio

from telegram import Update, User

from bot.chat.ordering import PerUserUpdateProcessor


def update_from(user_id: int, update_id: int) -> Update:
    user = User(user_id, "U", is_bot=False)
    return Update.de_json({"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "chat": {"id": user_id, "type": "private"},
        "from": user.to_dict(), "text": "hi"}}, None)


async def test_one_persons_updates_run_one_after_the_other() -> None:
    processor = PerUserUpdateProcessor(8)
    events: list[str] = []
    release = asyncio.Event()

    async def first() -> None:
        events.append("first starts")
        await release.wait()
        events.append("first ends")

    async def second() -> None:
        events.append("second runs")

    a = asyncio.create_task(processor.process_update(update_from(1, 1), first()))
    await asyncio.sleep(0)
    b = asyncio.create_task(processor.process_update(update_from(1, 2), second()))
    await asyncio.sleep(0.01)
    assert events == ["first starts"]  # the second waits for the first
    release.set()
    await asyncio.gather(a, b)
    assert events == ["first starts", "first ends", "second runs"]
    assert processor.tracked_users == 0  # nothing kept once they are done


async def test_different_people_do_not_wait_for_each_other() -> None:
    processor = PerUserUpdateProcessor(8)
    release = asyncio.Event()
    done: list[int] = []

    async def slow() -> None:
        await release.wait()
        done.append(1)

    async def quick() -> None:
        done.append(2)

    a = asyncio.create_task(processor.process_update(update_from(1, 1), slow()))
    await asyncio.sleep(0)
    await processor.process_update(update_from(2, 2), quick())
    assert done == [2]
    release.set()
    await a
    assert processor.tracked_users == 0


async def test_a_failing_update_releases_its_lock() -> None:
    processor = PerUserUpdateProcessor(8)

    async def boom() -> None:
        raise RuntimeError("handler bug")

    try:
        await processor.process_update(update_from(1, 1), boom())
    except RuntimeError:
        pass
    ran: list[bool] = []

    async def next_one() -> None:
        ran.append(True)

    await asyncio.wait_for(processor.process_update(update_from(1, 2), next_one()), 1)
    assert ran == [True] and processor.tracked_users == 0
