from tests.telegram.conftest import RunningBot


async def test_smoke(bot: RunningBot) -> None:
    api = bot.api
    await bot.push(api.updates.text("/start"))
    print([ (c.method, c.status, c.params) for c in api.calls][:6])
    assert api.sent_to(5550001)
