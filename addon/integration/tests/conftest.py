"""Fixtures: Home Assistant with the integration enabled, and a fake add-on on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable, Generator
from unittest.mock import patch

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.wactorz.const import CONF_API_KEY, CONF_URL, DOMAIN
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component

from .fake_addon import INSTANCE_ID, TOKEN, FakeAddon


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Load custom_components/wactorz."""


@pytest.fixture(autouse=True)
async def core(hass: HomeAssistant) -> None:
    """Home Assistant's core integration (conversation needs its exposed-entities store)."""
    assert await async_setup_component(hass, "homeassistant", {})


@pytest.fixture(autouse=True)
def quick_reconnect() -> Generator:
    """Reconnect at once in tests (the real backoff starts at a second)."""
    with patch("custom_components.wactorz.coordinator.RECONNECT_DELAYS", (0.01,)):
        yield


@pytest.fixture
async def addon(socket_enabled: None) -> AsyncGenerator[FakeAddon]:
    """The fake add-on, listening on loopback (HA's test plugin blocks sockets unless asked)."""
    fake = FakeAddon()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def entry(addon: FakeAddon) -> MockConfigEntry:
    """A config entry for the fake add-on, not yet added."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Wactorz",
        unique_id=INSTANCE_ID,
        data={CONF_URL: addon.url, CONF_API_KEY: TOKEN},
    )


@pytest.fixture
async def loaded(hass: HomeAssistant, addon: FakeAddon, entry: MockConfigEntry) -> MockConfigEntry:
    """The entry set up, its live socket subscribed."""
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    await asyncio.wait_for(addon.subscribed.wait(), 5)
    await until(lambda: entry.runtime_data.coordinator.live_connected)
    return entry


async def until(check: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait until something the integration does in the background has happened."""
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.01)
