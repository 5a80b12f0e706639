"""Diagnostics: what support needs, with the token redacted."""

from __future__ import annotations

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.wactorz.diagnostics import async_get_config_entry_diagnostics
from homeassistant.core import HomeAssistant

from .fake_addon import INSTANCE_ID, TOKEN


async def test_diagnostics_redact_the_token(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    diag = await async_get_config_entry_diagnostics(hass, loaded)
    assert diag["entry"]["data"]["api_key"] == "**REDACTED**"
    assert diag["entry"]["unique_id"] == INSTANCE_ID
    assert diag["server"]["version"] == "0.1.0"
    assert diag["live_connected"] is True
    assert set(diag["data"]["agents"]) == {"main", "weather-watcher"}
    assert TOKEN not in repr(diag)
