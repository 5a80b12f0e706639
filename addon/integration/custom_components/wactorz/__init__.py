"""Wactorz: the add-on's agents as Home Assistant's Assist agent, AI Task entity, actions and entities.

Thin by design: every decision is the add-on's; this integration only carries requests to it and
its live state back.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.typing import ConfigType

from .api import Info, WactorzAuthError, WactorzClient, WactorzError
from .cards import async_register_cards
from .const import CONF_API_KEY, CONF_URL, DOMAIN
from .coordinator import WactorzCoordinator
from .services import async_setup_services

PLATFORMS: list[Platform] = [
    Platform.AI_TASK,
    Platform.CONVERSATION,
    Platform.SENSOR,
    Platform.SWITCH,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

# Assist conversations kept mapped to Wactorz's own ids; Home Assistant ends a chat session after
# minutes of silence, so a small bound never drops a live one.
MAX_CONVERSATIONS = 256


@dataclass
class WactorzRuntime:
    """What a loaded entry holds."""

    client: WactorzClient
    coordinator: WactorzCoordinator
    info: Info
    conversations: OrderedDict[str, str] = field(default_factory=OrderedDict)

    def remember_conversation(self, ha_id: str, wactorz_id: str) -> None:
        """Map Home Assistant's conversation id to the add-on's, newest last."""
        self.conversations[ha_id] = wactorz_id
        self.conversations.move_to_end(ha_id)
        while len(self.conversations) > MAX_CONVERSATIONS:
            self.conversations.popitem(last=False)


type WactorzConfigEntry = ConfigEntry[WactorzRuntime]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions and the dashboard cards once, whatever the entries (actions exist before entries load)."""
    async_setup_services(hass)
    await async_register_cards(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: WactorzConfigEntry) -> bool:
    """Connect to the server, load the snapshots, start the live updates, set up the platforms."""
    client = WactorzClient(async_get_clientsession(hass), entry.data[CONF_URL], entry.data[CONF_API_KEY])
    try:
        info = await client.info()
    except WactorzAuthError as err:
        raise ConfigEntryAuthFailed(translation_domain=DOMAIN, translation_key="invalid_auth") from err
    except WactorzError as err:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="cannot_connect_url",
            translation_placeholders={"url": client.url},
        ) from err

    coordinator = WactorzCoordinator(hass, entry, client)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = WactorzRuntime(client=client, coordinator=coordinator, info=info)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    coordinator.async_start_live()
    return True


async def async_unload_entry(hass: HomeAssistant, entry: WactorzConfigEntry) -> bool:
    """Unload the platforms; the live task ends with the entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
