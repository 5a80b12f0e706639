"""Actions with responses: ask Wactorz, give an agent a task, spawn a recipe, switch a rule, decide a plan.

Registered once in `async_setup` (they exist even before an entry loads, so automations using
them validate); each call goes to the entry it names, or to the only loaded one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import probatio as vol

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv

from .api import WactorzClient, WactorzError
from .const import DOMAIN
from .errors import as_ha_error

if TYPE_CHECKING:
    from . import WactorzConfigEntry

ATTR_CONFIG_ENTRY_ID = "config_entry_id"
ATTR_MESSAGE = "message"
ATTR_AGENT = "agent"
ATTR_CONVERSATION_ID = "conversation_id"
ATTR_PAYLOAD = "payload"
ATTR_RECIPE = "recipe"
ATTR_NAME = "name"
ATTR_RULE_ID = "rule_id"
ATTR_ENABLED = "enabled"
ATTR_PLAN_ID = "plan_id"

_ENTRY = {vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string}

ASK_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        vol.Required(ATTR_MESSAGE): vol.All(cv.string, vol.Length(min=1, max=4000)),
        vol.Optional(ATTR_AGENT): cv.string,
        vol.Optional(ATTR_CONVERSATION_ID): cv.string,
    }
)
SEND_TASK_SCHEMA = vol.Schema({**_ENTRY, vol.Required(ATTR_AGENT): cv.string, vol.Optional(ATTR_PAYLOAD): object})
SPAWN_RECIPE_SCHEMA = vol.Schema({**_ENTRY, vol.Required(ATTR_RECIPE): cv.string, vol.Optional(ATTR_NAME): cv.string})
SET_RULE_SCHEMA = vol.Schema({**_ENTRY, vol.Required(ATTR_RULE_ID): cv.string, vol.Required(ATTR_ENABLED): cv.boolean})
PLAN_SCHEMA = vol.Schema({**_ENTRY, vol.Required(ATTR_PLAN_ID): cv.string})


def _entry_for(call: ServiceCall) -> WactorzConfigEntry:
    """The entry the call names, or the only loaded one."""
    hass = call.hass
    if entry_id := call.data.get(ATTR_CONFIG_ENTRY_ID):
        entry = hass.config_entries.async_get_entry(entry_id)
        if entry is None or entry.domain != DOMAIN:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="entry_not_found", translation_placeholders={"entry_id": entry_id}
            )
        if entry.state is not ConfigEntryState.LOADED:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="entry_not_loaded", translation_placeholders={"title": entry.title}
            )
        return entry
    loaded = hass.config_entries.async_loaded_entries(DOMAIN)
    if not loaded:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_entries")
    if len(loaded) > 1:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="multiple_entries")
    return loaded[0]


def _handler(
    act: Callable[[WactorzClient, ServiceCall], Awaitable[Any]],
) -> Callable[[ServiceCall], Awaitable[ServiceResponse]]:
    """Run one action against its entry's server; the add-on's answer is the response."""

    async def handle(call: ServiceCall) -> ServiceResponse:
        entry = _entry_for(call)
        try:
            result = await act(entry.runtime_data.client, call)
        except WactorzError as err:
            raise as_ha_error(err, entry) from err
        return result if isinstance(result, dict) else {"result": result}

    return handle


async def _ask(client: WactorzClient, call: ServiceCall) -> Any:
    return await client.chat(call.data[ATTR_MESSAGE], call.data.get(ATTR_AGENT), call.data.get(ATTR_CONVERSATION_ID))


async def _send_task(client: WactorzClient, call: ServiceCall) -> Any:
    return await client.send_task(call.data[ATTR_AGENT], call.data.get(ATTR_PAYLOAD))


async def _spawn_recipe(client: WactorzClient, call: ServiceCall) -> Any:
    return await client.spawn_recipe(call.data[ATTR_RECIPE], call.data.get(ATTR_NAME))


async def _set_rule_enabled(client: WactorzClient, call: ServiceCall) -> Any:
    return await client.set_rule_enabled(call.data[ATTR_RULE_ID], call.data[ATTR_ENABLED])


async def _approve_plan(client: WactorzClient, call: ServiceCall) -> Any:
    return await client.decide_plan(call.data[ATTR_PLAN_ID], approve=True)


async def _reject_plan(client: WactorzClient, call: ServiceCall) -> Any:
    return await client.decide_plan(call.data[ATTR_PLAN_ID], approve=False)


SERVICES: dict[str, tuple[vol.Schema, Callable[[WactorzClient, ServiceCall], Awaitable[Any]]]] = {
    "ask": (ASK_SCHEMA, _ask),
    "send_task": (SEND_TASK_SCHEMA, _send_task),
    "spawn_recipe": (SPAWN_RECIPE_SCHEMA, _spawn_recipe),
    "set_rule_enabled": (SET_RULE_SCHEMA, _set_rule_enabled),
    "approve_plan": (PLAN_SCHEMA, _approve_plan),
    "reject_plan": (PLAN_SCHEMA, _reject_plan),
}


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register every action; each answers with the add-on's response when asked for one."""
    for name, (schema, act) in SERVICES.items():
        hass.services.async_register(DOMAIN, name, _handler(act), schema=schema, supports_response=SupportsResponse.OPTIONAL)
