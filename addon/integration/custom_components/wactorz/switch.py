"""A switch per rule: on = enabled. Created and removed as rules are approved and deleted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.switch import SwitchEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import WactorzError
from .entity import WactorzLiveEntity, async_track_dynamic
from .errors import as_ha_error

if TYPE_CHECKING:
    from . import WactorzConfigEntry

# Each toggle is one request to the add-on; the rule's new status comes back over the socket.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: WactorzConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """A switch for each rule, as rules come and go."""
    coordinator = entry.runtime_data.coordinator
    async_track_dynamic(
        entry,
        "switch",
        "rule_",
        lambda: list(coordinator.data.rules),
        lambda rule_id: RuleSwitch(entry, rule_id),
        async_add_entities,
    )


class RuleSwitch(WactorzLiveEntity, SwitchEntity):
    """Enables or disables one rule."""

    _attr_translation_key = "rule"

    def __init__(self, entry: WactorzConfigEntry, rule_id: str) -> None:
        """One rule, by its id."""
        super().__init__(entry, f"rule_{rule_id}")
        self._rule_id = rule_id
        rule = entry.runtime_data.coordinator.data.rules.get(rule_id)
        self._attr_translation_placeholders = {"name": rule["name"] if rule else rule_id}

    @property
    def available(self) -> bool:
        """Unavailable while the live updates are down or the rule is gone."""
        return super().available and self._rule_id in self.coordinator.data.rules

    @property
    def is_on(self) -> bool | None:
        """Whether the rule is enabled."""
        rule = self.coordinator.data.rules.get(self._rule_id)
        return rule["enabled"] if rule else None

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """The rule's id (what the actions take), status and last firing."""
        rule = self.coordinator.data.rules.get(self._rule_id)
        if rule is None:
            return None
        return {
            "rule_id": self._rule_id,
            "status": rule.get("status"),
            "description": rule.get("description"),
            "last_fired_at": rule.get("last_fired_at"),
            "fire_count": rule.get("fire_count"),
        }

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Enable the rule."""
        await self._async_set(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Disable the rule."""
        await self._async_set(False)

    async def _async_set(self, enabled: bool) -> None:
        try:
            rule = await self.coordinator.client.set_rule_enabled(self._rule_id, enabled)
        except WactorzError as err:
            raise as_ha_error(err, self.coordinator.config_entry) from err
        # The answer is the rule as it is now; the socket will say the same a moment later.
        if isinstance(rule, dict) and rule.get("id") == self._rule_id:
            self.coordinator.data.rules[self._rule_id] = rule
            self.coordinator.async_set_updated_data(self.coordinator.data)
