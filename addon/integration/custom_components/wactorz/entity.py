"""What every Wactorz entity shares: the one device that stands for the server."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from homeassistant.config_entries import SOURCE_HASSIO
from homeassistant.core import callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN, MANUFACTURER
from .coordinator import WactorzCoordinator

if TYPE_CHECKING:
    from . import WactorzConfigEntry


def device_info(entry: WactorzConfigEntry) -> DeviceInfo:
    """The Wactorz device; every entity of the entry hangs off it."""
    runtime = entry.runtime_data
    llm = runtime.info.get("llm") or {}
    model = " / ".join(str(part) for part in (llm.get("provider"), llm.get("model")) if part)
    return DeviceInfo(
        identifiers={(DOMAIN, runtime.info["instance_id"])},
        name=runtime.info.get("name") or "Wactorz",
        manufacturer=MANUFACTURER,
        model=model or None,
        sw_version=runtime.info.get("version"),
        entry_type=DeviceEntryType.SERVICE,
        # The add-on's address is internal to the Supervisor network: a browser cannot open it.
        configuration_url=None if entry.source == SOURCE_HASSIO else runtime.client.url,
    )


class WactorzEntity(Entity):
    """An entity of the Wactorz device that does not depend on the live picture."""

    _attr_has_entity_name = True

    def __init__(self, entry: WactorzConfigEntry, key: str) -> None:
        """Unique id from the server's instance id, which survives a new address or token."""
        self._attr_unique_id = f"{entry.runtime_data.info['instance_id']}_{key}"
        self._attr_device_info = device_info(entry)


class WactorzLiveEntity(CoordinatorEntity[WactorzCoordinator]):
    """An entity fed by the live picture; unavailable while the WebSocket is down."""

    _attr_has_entity_name = True

    def __init__(self, entry: WactorzConfigEntry, key: str) -> None:
        """Unique id from the server's instance id and the thing's own key."""
        super().__init__(entry.runtime_data.coordinator)
        self._attr_unique_id = f"{entry.runtime_data.info['instance_id']}_{key}"
        self._attr_device_info = device_info(entry)


def async_track_dynamic[EntityT: Entity](
    entry: WactorzConfigEntry,
    platform: str,
    prefix: str,
    keys: Callable[[], Iterable[str]],
    factory: Callable[[str], EntityT],
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One entity per key (an agent, a rule), added and removed as the server's list changes.

    Entities whose thing disappeared, now or while Home Assistant was down, leave the entity
    registry too: a deleted rule must not linger as an unavailable switch.
    """
    hass = entry.runtime_data.coordinator.hass
    registry = er.async_get(hass)
    unique_prefix = f"{entry.runtime_data.info['instance_id']}_{prefix}"
    known: set[str] = set()

    @callback
    def _sync() -> None:
        current = set(keys())
        if added := current - known:
            known.update(added)
            async_add_entities([factory(key) for key in sorted(added)])
        for reg in er.async_entries_for_config_entry(registry, entry.entry_id):
            if reg.domain != platform or not reg.unique_id.startswith(unique_prefix):
                continue
            if reg.unique_id[len(unique_prefix) :] not in current:
                known.discard(reg.unique_id[len(unique_prefix) :])
                registry.async_remove(reg.entity_id)

    _sync()
    entry.async_on_unload(entry.runtime_data.coordinator.async_add_listener(_sync))
