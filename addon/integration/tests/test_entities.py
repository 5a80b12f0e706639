"""Entities: built from the snapshots, then kept current by the add-on's WebSocket (no polling)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .conftest import until
from .fake_addon import INSTANCE_ID, FakeAddon


def state(hass: HomeAssistant, entity_id: str) -> str | None:
    """The entity's state, or None when it does not exist."""
    s = hass.states.get(entity_id)
    return s.state if s else None


def attrs(hass: HomeAssistant, entity_id: str) -> dict[str, Any]:
    """The entity's attributes."""
    s = hass.states.get(entity_id)
    assert s is not None, entity_id
    return dict(s.attributes)


async def test_one_device_with_every_entity(hass: HomeAssistant, loaded: MockConfigEntry, caplog: pytest.LogCaptureFixture) -> None:
    # Home Assistant warns about entities it finds wrong (a state class a device class refuses...).
    warnings = [
        r.getMessage()
        for r in caplog.get_records("setup")
        if r.levelno >= logging.WARNING and "has not been tested by Home Assistant" not in r.getMessage()
    ]
    assert warnings == []
    device = dr.async_get(hass).async_get_device_by_identifier(("wactorz", INSTANCE_ID), loaded.entry_id)
    assert device is not None
    assert device.name == "Wactorz"
    assert device.sw_version == "0.1.0"
    assert device.model == "anthropic / claude-test"
    entities = {e.entity_id for e in er.async_entries_for_device(er.async_get(hass), device.id)}
    assert entities == {
        "conversation.wactorz",
        "ai_task.wactorz",
        "sensor.wactorz_agent_main",
        "sensor.wactorz_agent_weather_watcher",
        "sensor.wactorz_spend_today",
        "sensor.wactorz_spend_this_month",
        "sensor.wactorz_budget_remaining",
        "switch.wactorz_rule_door_light",
    }
    assert er.async_get(hass).async_get("switch.wactorz_rule_door_light").unique_id == f"{INSTANCE_ID}_rule_rule-door"


async def test_agent_sensors_show_state_and_details(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    assert state(hass, "sensor.wactorz_agent_main") == "running"
    assert state(hass, "sensor.wactorz_agent_weather_watcher") == "paused"
    a = attrs(hass, "sensor.wactorz_agent_main")
    assert a["options"] == ["created", "running", "paused", "stopped", "failed"]
    assert a["cost_usd"] == 0.25
    assert a["errors"] == 0
    assert a["last_heartbeat"] == "2026-10-20T10:00:00.000Z"
    assert a["node"] == "local"
    assert a["type"] == "llm"


async def test_spend_and_budget_sensors(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    assert float(state(hass, "sensor.wactorz_spend_today")) == 0.4
    assert float(state(hass, "sensor.wactorz_spend_this_month")) == 3.25
    today = attrs(hass, "sensor.wactorz_spend_today")
    assert today["unit_of_measurement"] == "USD"
    assert today["device_class"] == "monetary"
    assert today["state_class"] == "total"
    assert "last_reset" in today
    # daily limit 1.0 - 0.4 = 0.6 is tighter than monthly 20 - 3.25
    assert float(state(hass, "sensor.wactorz_budget_remaining")) == 0.6
    assert attrs(hass, "sensor.wactorz_budget_remaining")["limiting_period"] == "day"


async def test_rule_switch_reflects_the_rule(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    assert state(hass, "switch.wactorz_rule_door_light") == STATE_ON
    a = attrs(hass, "switch.wactorz_rule_door_light")
    assert a["rule_id"] == "rule-door"
    assert a["status"] == "active"


async def test_turning_a_rule_switch_off_disables_the_rule(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    await hass.services.async_call("switch", "turn_off", {"entity_id": "switch.wactorz_rule_door_light"}, blocking=True)
    assert ("POST", "/api/rules/rule-door/disable", {}) in addon.requests
    assert state(hass, "switch.wactorz_rule_door_light") == STATE_OFF
    await hass.services.async_call("switch", "turn_on", {"entity_id": "switch.wactorz_rule_door_light"}, blocking=True)
    assert state(hass, "switch.wactorz_rule_door_light") == STATE_ON


async def test_live_rule_status_toggles_the_switch(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    await addon.push({"type": "rule.status", "rule_id": "rule-door", "status": "disabled", "enabled": False, "last_fired_at": None})
    await until(lambda: state(hass, "switch.wactorz_rule_door_light") == STATE_OFF)
    assert attrs(hass, "switch.wactorz_rule_door_light")["status"] == "disabled"


async def test_a_new_rule_appears_live_and_a_removed_one_goes(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    addon.rules.append({**addon.rules[0], "id": "rule-porch", "name": "Porch at sunset", "enabled": True})
    await addon.push({"type": "rule.status", "rule_id": "rule-porch", "status": "active", "enabled": True, "last_fired_at": None})
    await until(lambda: state(hass, "switch.wactorz_rule_porch_at_sunset") == STATE_ON)

    addon.rules.pop()
    await addon.push({"type": "rule.removed", "rule_id": "rule-porch"})
    await until(lambda: state(hass, "switch.wactorz_rule_porch_at_sunset") is None)
    assert er.async_get(hass).async_get("switch.wactorz_rule_porch_at_sunset") is None


async def test_live_agent_events_update_the_sensor(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    await addon.push({"type": "agent.state", "agent": "main", "state": "failed"})
    await until(lambda: state(hass, "sensor.wactorz_agent_main") == "failed")
    await addon.push({"type": "agent.error", "agent": "main", "message": "boom", "at": "2026-10-20T10:01:00.000Z"})
    await until(lambda: attrs(hass, "sensor.wactorz_agent_main")["errors"] == 1)
    await addon.push({"type": "agent.heartbeat", "agent": "main", "at": "2026-10-20T10:02:00.000Z"})
    await until(lambda: attrs(hass, "sensor.wactorz_agent_main")["last_heartbeat"] == "2026-10-20T10:02:00.000Z")


async def test_a_new_agent_gets_a_sensor_and_a_removed_one_loses_it(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    addon.agents.append({**addon.agents[1], "name": "porch-light", "state": "running"})
    await addon.push({"type": "agent.state", "agent": "porch-light", "state": "running"})
    await until(lambda: state(hass, "sensor.wactorz_agent_porch_light") == "running")

    await addon.push({"type": "agent.removed", "agent": "porch-light"})
    await until(lambda: state(hass, "sensor.wactorz_agent_porch_light") is None)


async def test_cost_updates_move_the_spend_sensors(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    await addon.push({"type": "cost.update", "provider": "anthropic", "agent": "main", "usd": 0.1, "spent_today_usd": 0.5})
    await until(lambda: float(state(hass, "sensor.wactorz_spend_today")) == 0.5)
    assert float(state(hass, "sensor.wactorz_spend_this_month")) == 3.35
    assert float(state(hass, "sensor.wactorz_budget_remaining")) == 0.5
    assert attrs(hass, "sensor.wactorz_agent_main")["cost_usd"] == 0.35


async def test_plan_updates_fire_an_event_for_automations(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    seen: list[dict[str, Any]] = []
    hass.bus.async_listen("wactorz_plan_update", lambda e: seen.append(e.data))
    await addon.push({"type": "plan.update", "plan": {"id": "plan-9", "status": "pending", "summary": "s"}})
    await until(lambda: len(seen) == 1)
    assert seen[0]["plan"]["id"] == "plan-9"
    assert seen[0]["entry_id"] == loaded.entry_id


async def test_entities_go_unavailable_while_the_socket_is_down_and_refetch_after(
    hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry
) -> None:
    # Changed while the socket is down: only the snapshot after the reconnect can tell.
    addon.rules[0]["enabled"] = False
    connects = addon.ws_connects
    await addon.drop_sockets()
    await until(lambda: state(hass, "switch.wactorz_rule_door_light") in (STATE_UNAVAILABLE, STATE_OFF))
    await until(lambda: addon.ws_connects > connects and loaded.runtime_data.coordinator.live_connected)
    await until(lambda: state(hass, "switch.wactorz_rule_door_light") == STATE_OFF)


async def test_a_refused_websocket_token_starts_reauth(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    addon.token = "rotated"
    await addon.drop_sockets()
    await until(lambda: any(f["context"]["source"] == "reauth" for f in hass.config_entries.flow.async_progress_by_handler("wactorz")))
    assert state(hass, "sensor.wactorz_agent_main") == STATE_UNAVAILABLE


async def test_unload_and_remove_clean_up(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    assert await hass.config_entries.async_unload(loaded.entry_id)
    await hass.async_block_till_done()
    assert loaded.state is ConfigEntryState.NOT_LOADED
    await until(lambda: not addon.sockets)
    assert state(hass, "sensor.wactorz_agent_main") == STATE_UNAVAILABLE

    await hass.config_entries.async_remove(loaded.entry_id)
    await hass.async_block_till_done()
    assert hass.states.async_entity_ids("sensor") == []
    assert er.async_entries_for_config_entry(er.async_get(hass), loaded.entry_id) == []
    assert dr.async_get(hass).async_get_devices(identifiers={("wactorz", INSTANCE_ID)}) == []


async def test_a_malformed_event_is_ignored_and_live_updates_go_on(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    await addon.push({"type": "agent.state", "agent": "main"})
    await addon.push({"type": "agent.state", "agent": "main", "state": "stopped"})
    await until(lambda: state(hass, "sensor.wactorz_agent_main") == "stopped")
    assert loaded.runtime_data.coordinator.live_connected
