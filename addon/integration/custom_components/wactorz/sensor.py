"""Sensors: one per agent (its state), the spend today and this month, and what the budget has left."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from homeassistant.components.sensor import SensorDeviceClass, SensorEntity, SensorStateClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .const import AGENT_STATES
from .entity import WactorzLiveEntity, async_track_dynamic

if TYPE_CHECKING:
    from . import WactorzConfigEntry

# Live updates push every change; the platform never polls.
PARALLEL_UPDATES = 0

USD = "USD"


async def async_setup_entry(
    hass: HomeAssistant,
    entry: WactorzConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """The spend sensors now; an agent sensor for each agent, as agents come and go."""
    async_add_entities([SpendSensor(entry, "day"), SpendSensor(entry, "month"), BudgetRemainingSensor(entry)])
    coordinator = entry.runtime_data.coordinator
    async_track_dynamic(
        entry,
        "sensor",
        "agent_",
        lambda: list(coordinator.data.agents),
        lambda name: AgentSensor(entry, name),
        async_add_entities,
    )


class AgentSensor(WactorzLiveEntity, SensorEntity):
    """An agent's state (running, paused, failed...), with its cost, errors and heartbeat."""

    _attr_translation_key = "agent"
    _attr_device_class = SensorDeviceClass.ENUM
    _attr_options = AGENT_STATES

    def __init__(self, entry: WactorzConfigEntry, name: str) -> None:
        """One agent, by its name (unique per server)."""
        super().__init__(entry, f"agent_{name}")
        self._name = name
        self._attr_translation_placeholders = {"name": name}

    @property
    def available(self) -> bool:
        """Unavailable while the live updates are down or the agent is gone."""
        return super().available and self._name in self.coordinator.data.agents

    @property
    def native_value(self) -> str | None:
        """The agent's state."""
        agent = self.coordinator.data.agents.get(self._name)
        return agent["state"] if agent else None

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """What the Agents view shows beside the state."""
        agent = self.coordinator.data.agents.get(self._name)
        if agent is None:
            return None
        return {
            "type": agent.get("type"),
            "node": agent.get("node"),
            "cost_usd": round(float(agent.get("cost_usd", 0)), 6),
            "errors": agent.get("errors", 0),
            "last_heartbeat": agent.get("last_heartbeat"),
        }


class SpendSensor(WactorzLiveEntity, SensorEntity):
    """LLM spend of the current day or month, in USD.

    Home Assistant accepts only the `total` state class for monetary sensors (a warning otherwise,
    sensor/const.py DEVICE_CLASS_STATE_CLASSES), so the reset at midnight or on the 1st is
    declared through `last_reset` instead of `total_increasing`.
    """

    _attr_device_class = SensorDeviceClass.MONETARY
    _attr_native_unit_of_measurement = USD
    _attr_state_class = SensorStateClass.TOTAL
    _attr_suggested_display_precision = 3

    def __init__(self, entry: WactorzConfigEntry, period: str) -> None:
        """`day` or `month`."""
        super().__init__(entry, f"spend_{period}")
        self._period = period
        self._attr_translation_key = "spend_today" if period == "day" else "spend_month"

    @property
    def native_value(self) -> float | None:
        """Spent so far in the period."""
        budget = self.coordinator.data.budget
        return round(float(budget["spent"][self._period]), 6) if budget else None  # type: ignore[literal-required]

    @property
    def last_reset(self) -> datetime:
        """Midnight today, or the first of this month (Home Assistant's time zone)."""
        start = dt_util.start_of_local_day()
        return start if self._period == "day" else start.replace(day=1)


class BudgetRemainingSensor(WactorzLiveEntity, SensorEntity):
    """What is left under the tightest budget limit; unknown when no limit is set."""

    _attr_translation_key = "budget_remaining"
    _attr_device_class = SensorDeviceClass.MONETARY
    _attr_native_unit_of_measurement = USD
    _attr_suggested_display_precision = 2
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(self, entry: WactorzConfigEntry) -> None:
        """One per server."""
        super().__init__(entry, "budget_remaining")

    def _remaining(self) -> tuple[float, str] | None:
        budget = self.coordinator.data.budget
        if budget is None:
            return None
        spent = budget["spent"]
        left = [
            (float(limit) - float(spent[period]), period)  # type: ignore[literal-required]
            for period, limit in (
                ("day", budget.get("daily_usd")),
                ("week", budget.get("weekly_usd")),
                ("month", budget.get("monthly_usd")),
            )
            if limit is not None
        ]
        if not left:
            return None
        amount, period = min(left)
        return max(amount, 0.0), period

    @property
    def native_value(self) -> float | None:
        """USD left."""
        remaining = self._remaining()
        return round(remaining[0], 6) if remaining else None

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Which limit is the tightest, and whether the budget is used up."""
        budget = self.coordinator.data.budget
        if budget is None:
            return None
        remaining = self._remaining()
        return {"limiting_period": remaining[1] if remaining else None, "exhausted": bool(budget.get("exhausted"))}
