"""Diagnostics: the entry, the server's info and the live picture, with the token redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from .const import CONF_API_KEY

if TYPE_CHECKING:
    from . import WactorzConfigEntry

TO_REDACT = {CONF_API_KEY, "token"}


async def async_get_config_entry_diagnostics(hass: HomeAssistant, entry: WactorzConfigEntry) -> dict[str, Any]:
    """What support needs to see; never the token."""
    runtime = entry.runtime_data
    coordinator = runtime.coordinator
    return {
        "entry": {"source": entry.source, "data": async_redact_data(dict(entry.data), TO_REDACT), "unique_id": entry.unique_id},
        "server": dict(runtime.info),
        "live_connected": coordinator.live_connected,
        "last_update_success": coordinator.last_update_success,
        "data": async_redact_data(asdict(coordinator.data), TO_REDACT),
        "conversations_tracked": len(runtime.conversations),
    }
