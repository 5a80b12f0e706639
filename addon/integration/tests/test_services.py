"""Actions: each one reaches the add-on and answers with its response; failures are translated."""

from __future__ import annotations

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.wactorz.const import CONF_API_KEY, CONF_URL, DOMAIN
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.setup import async_setup_component

from .fake_addon import TOKEN, FakeAddon


async def call(hass: HomeAssistant, service: str, data: dict) -> dict:
    """Call a wactorz action and return its response."""
    response = await hass.services.async_call(DOMAIN, service, data, blocking=True, return_response=True)
    assert isinstance(response, dict)
    return response


async def test_ask_returns_the_reply(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    response = await call(hass, "ask", {"message": "Is the door locked?", "agent": "main", "conversation_id": "c-1"})
    assert response == {"reply": "You said: Is the door locked?", "agent": "main", "conversation_id": "c-1"}
    assert ("POST", "/api/chat", {"message": "Is the door locked?", "agent": "main", "conversation_id": "c-1"}) in addon.requests


async def test_ask_works_without_asking_for_a_response(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    await hass.services.async_call(DOMAIN, "ask", {"message": "Remember the milk"}, blocking=True)
    assert ("POST", "/api/chat", {"message": "Remember the milk"}) in addon.requests


async def test_send_task_returns_the_agents_result(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    response = await call(hass, "send_task", {"agent": "weather-watcher", "payload": {"city": "Athens"}})
    assert response == {"agent": "weather-watcher", "result": {"echo": {"city": "Athens"}}}


async def test_send_task_to_an_unknown_agent_is_a_translated_error(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "send_task", {"agent": "nobody", "payload": 1})
    assert err.value.translation_key == "not_found"
    assert str(err.value) == "Wactorz does not know it: No agent named nobody"


async def test_spawn_recipe(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    response = await call(hass, "spawn_recipe", {"recipe": "weather", "name": "athens-weather"})
    assert response == {"agent": "athens-weather", "status": "spawned"}
    assert ("POST", "/api/integration/recipes/weather/spawn", {"name": "athens-weather"}) in addon.requests


async def test_set_rule_enabled(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    response = await call(hass, "set_rule_enabled", {"rule_id": "rule-door", "enabled": False})
    assert response["id"] == "rule-door"
    assert response["enabled"] is False
    assert ("POST", "/api/rules/rule-door/disable", {}) in addon.requests


async def test_approve_and_reject_plan(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    assert (await call(hass, "approve_plan", {"plan_id": "plan-1"}))["status"] == "approved"
    assert (await call(hass, "reject_plan", {"plan_id": "plan-2"}))["status"] == "rejected"
    assert ("POST", "/api/plans/plan-1/approve", {}) in addon.requests
    assert ("POST", "/api/plans/plan-2/reject", {}) in addon.requests


async def test_an_addon_error_is_a_translated_error(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    addon.errors["/api/chat"] = (503, "budget_exhausted", "The daily budget is used up")
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "ask", {"message": "hi"})
    assert err.value.translation_key == "api_error"
    assert str(err.value) == "Wactorz could not do it (budget_exhausted): The daily budget is used up"


async def test_the_addon_down_is_a_translated_error(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    await addon.stop()
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "ask", {"message": "hi"})
    assert err.value.translation_key == "cannot_connect"
    assert str(err.value) == "Cannot reach Wactorz"


async def test_a_refused_token_is_an_error_and_starts_reauth(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    addon.token = "rotated"
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "approve_plan", {"plan_id": "p"})
    assert err.value.translation_key == "invalid_auth"
    await hass.async_block_till_done()
    assert any(f["context"]["source"] == "reauth" for f in hass.config_entries.flow.async_progress_by_handler(DOMAIN))


async def test_actions_exist_before_any_entry_and_say_so(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    assert set(hass.services.async_services_for_domain(DOMAIN)) == {
        "ask",
        "send_task",
        "spawn_recipe",
        "set_rule_enabled",
        "approve_plan",
        "reject_plan",
    }
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "ask", {"message": "hi"})
    assert err.value.translation_key == "no_entries"


async def test_two_servers_need_a_config_entry_id(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    other = MockConfigEntry(domain=DOMAIN, unique_id="other", data={CONF_URL: addon.url, CONF_API_KEY: TOKEN})
    other.add_to_hass(hass)
    # The same fake add-on answers both; a second loaded entry is what matters here.
    addon.instance_id = "other"
    assert await hass.config_entries.async_setup(other.entry_id)
    await hass.async_block_till_done()
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "ask", {"message": "hi"})
    assert err.value.translation_key == "multiple_entries"
    response = await call(hass, "ask", {"message": "hi", "config_entry_id": loaded.entry_id})
    assert response["reply"] == "You said: hi"
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "ask", {"message": "hi", "config_entry_id": "nope"})
    assert err.value.translation_key == "entry_not_found"
