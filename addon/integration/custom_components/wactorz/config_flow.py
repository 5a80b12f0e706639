"""Setup of a Wactorz server: found by Supervisor discovery, or entered by hand."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import probatio as vol

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import TextSelector, TextSelectorConfig, TextSelectorType
from homeassistant.helpers.service_info.hassio import HassioServiceInfo

from .api import Info, WactorzAuthError, WactorzClient, WactorzError
from .const import CONF_API_KEY, CONF_URL, DEFAULT_NAME, DOMAIN, LOGGER

_KEY_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
USER_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_URL): TextSelector(TextSelectorConfig(type=TextSelectorType.URL)),
        vol.Required(CONF_API_KEY): _KEY_SELECTOR,
    }
)
REAUTH_SCHEMA = vol.Schema({vol.Required(CONF_API_KEY): _KEY_SELECTOR})


class WactorzConfigFlow(ConfigFlow, domain=DOMAIN):
    """The add-on announces itself through discovery; a standalone server is entered by hand."""

    VERSION = 1

    def __init__(self) -> None:
        """Nothing known yet."""
        self._discovered: dict[str, str] = {}
        self._discovered_name = DEFAULT_NAME

    async def _async_info(self, url: str, token: str) -> Info:
        return await WactorzClient(async_get_clientsession(self.hass), url, token).info()

    async def _async_try(self, url: str, token: str, errors: dict[str, str]) -> Info | None:
        """The server's info, or None with the form's error set."""
        try:
            return await self._async_info(url, token)
        except WactorzAuthError:
            errors["base"] = "invalid_auth"
        except WactorzError:
            errors["base"] = "cannot_connect"
        except Exception:
            LOGGER.exception("Unexpected error talking to Wactorz at %s", url)
            errors["base"] = "unknown"
        return None

    async def async_step_hassio(self, discovery_info: HassioServiceInfo) -> ConfigFlowResult:
        """The add-on started and told the Supervisor where it is and which token to use."""
        config = discovery_info.config
        url = f"http://{config['host']}:{config['port']}"
        token = str(config["token"])
        try:
            info = await self._async_info(url, token)
        except WactorzAuthError:
            return self.async_abort(reason="invalid_auth")
        except WactorzError:
            return self.async_abort(reason="cannot_connect")
        await self.async_set_unique_id(info["instance_id"])
        # A new address or token (the add-on reinstalled, its token rotated) updates the entry.
        self._abort_if_unique_id_configured(updates={CONF_URL: url, CONF_API_KEY: token})
        self._discovered = {CONF_URL: url, CONF_API_KEY: token}
        self._discovered_name = discovery_info.name or info["name"]
        self.context["title_placeholders"] = {"name": self._discovered_name}
        return await self.async_step_hassio_confirm()

    async def async_step_hassio_confirm(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask before connecting to the discovered add-on."""
        if user_input is not None:
            return self.async_create_entry(title=DEFAULT_NAME, data=self._discovered)
        return self.async_show_form(
            step_id="hassio_confirm",
            description_placeholders={"addon": self._discovered_name},
        )

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """A Wactorz server entered by hand: its URL and its API key."""
        errors: dict[str, str] = {}
        if user_input is not None:
            url = user_input[CONF_URL].strip().rstrip("/")
            token = user_input[CONF_API_KEY].strip()
            if (info := await self._async_try(url, token, errors)) is not None:
                await self.async_set_unique_id(info["instance_id"])
                self._abort_if_unique_id_configured()
                return self.async_create_entry(title=info["name"] or DEFAULT_NAME, data={CONF_URL: url, CONF_API_KEY: token})
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(USER_SCHEMA, user_input),
            errors=errors,
        )

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The server refused the token."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for a key the server accepts (its WACTORZ_API_KEY)."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            token = user_input[CONF_API_KEY].strip()
            if (info := await self._async_try(entry.data[CONF_URL], token, errors)) is not None:
                await self.async_set_unique_id(info["instance_id"])
                self._abort_if_unique_id_mismatch(reason="wrong_instance")
                return self.async_update_reload_and_abort(entry, data_updates={CONF_API_KEY: token})
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=REAUTH_SCHEMA,
            errors=errors,
            description_placeholders={"url": entry.data[CONF_URL]},
        )
