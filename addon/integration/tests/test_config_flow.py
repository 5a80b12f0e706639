"""Config flow: Supervisor discovery, manual setup, reauth, and every error the user can meet."""

from __future__ import annotations

from unittest.mock import patch

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.wactorz.const import CONF_API_KEY, CONF_URL, DOMAIN
from homeassistant.config_entries import SOURCE_HASSIO, SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.service_info.hassio import HassioServiceInfo

from .fake_addon import INSTANCE_ID, TOKEN, FakeAddon


def discovery(addon: FakeAddon, token: str = TOKEN) -> HassioServiceInfo:
    """What the Supervisor hands over when the add-on announces itself."""
    host, port = addon.url.removeprefix("http://").split(":")
    return HassioServiceInfo(
        config={"host": host, "port": int(port), "token": token},
        name="Wactorz",
        slug="wactorz",
        uuid="1234",
    )


async def test_discovery_asks_then_creates_the_entry(hass: HomeAssistant, addon: FakeAddon) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_HASSIO}, data=discovery(addon))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "hassio_confirm"
    assert result["description_placeholders"] == {"addon": "Wactorz"}

    with patch("custom_components.wactorz.async_setup_entry", return_value=True):
        result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Wactorz"
    assert result["data"] == {CONF_URL: addon.url, CONF_API_KEY: TOKEN}
    assert result["result"].unique_id == INSTANCE_ID


async def test_discovery_of_a_known_addon_updates_its_address_and_token(hass: HomeAssistant, addon: FakeAddon) -> None:
    entry = MockConfigEntry(domain=DOMAIN, unique_id=INSTANCE_ID, data={CONF_URL: "http://old:1", CONF_API_KEY: "old-token"})
    entry.add_to_hass(hass)
    addon.token = "rotated-token"
    with patch("custom_components.wactorz.async_setup_entry", return_value=True):
        result = await hass.config_entries.flow.async_init(
            DOMAIN, context={"source": SOURCE_HASSIO}, data=discovery(addon, "rotated-token")
        )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data == {CONF_URL: addon.url, CONF_API_KEY: "rotated-token"}


async def test_discovery_aborts_when_the_addon_does_not_answer(hass: HomeAssistant, addon: FakeAddon) -> None:
    await addon.stop()
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_HASSIO}, data=discovery(addon))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "cannot_connect"


async def test_discovery_aborts_when_the_announced_token_is_refused(hass: HomeAssistant, addon: FakeAddon) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_HASSIO}, data=discovery(addon, "wrong"))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "invalid_auth"


async def test_manual_setup_with_url_and_api_key(hass: HomeAssistant, addon: FakeAddon) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    with patch("custom_components.wactorz.async_setup_entry", return_value=True):
        result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_URL: addon.url + "/", CONF_API_KEY: f" {TOKEN} "})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {CONF_URL: addon.url, CONF_API_KEY: TOKEN}
    assert result["result"].unique_id == INSTANCE_ID


async def test_manual_setup_shows_each_error_then_recovers(hass: HomeAssistant, addon: FakeAddon) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    flow_id = result["flow_id"]

    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_URL: addon.url, CONF_API_KEY: "wrong"})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_URL: "http://127.0.0.1:1", CONF_API_KEY: TOKEN})
    assert result["errors"] == {"base": "cannot_connect"}

    with patch("custom_components.wactorz.api.WactorzClient.info", side_effect=RuntimeError("boom")):
        result = await hass.config_entries.flow.async_configure(flow_id, {CONF_URL: addon.url, CONF_API_KEY: TOKEN})
    assert result["errors"] == {"base": "unknown"}

    with patch("custom_components.wactorz.async_setup_entry", return_value=True):
        result = await hass.config_entries.flow.async_configure(flow_id, {CONF_URL: addon.url, CONF_API_KEY: TOKEN})
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_manual_setup_rejects_a_server_not_speaking_the_api(hass: HomeAssistant, addon: FakeAddon) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_URL: addon.url + "/nothing", CONF_API_KEY: TOKEN})
    assert result["errors"] == {"base": "cannot_connect"}


async def test_manual_setup_of_a_configured_server_aborts(hass: HomeAssistant, addon: FakeAddon, entry: MockConfigEntry) -> None:
    entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_URL: addon.url, CONF_API_KEY: TOKEN})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_refused_token_at_setup_starts_reauth_and_a_new_key_fixes_it(
    hass: HomeAssistant, addon: FakeAddon, entry: MockConfigEntry
) -> None:
    addon.token = "new-api-key"
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR

    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert len(flows) == 1
    assert flows[0]["context"]["source"] == "reauth"
    flow_id = flows[0]["flow_id"]

    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_API_KEY: "still-wrong"})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_API_KEY: "new-api-key"})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_API_KEY] == "new-api-key"
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_reauth_with_a_key_of_another_server_aborts(hass: HomeAssistant, addon: FakeAddon, entry: MockConfigEntry) -> None:
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    addon.instance_id = "another-server"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_API_KEY: TOKEN})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_instance"


async def test_setup_retries_while_the_addon_is_down(hass: HomeAssistant, addon: FakeAddon, entry: MockConfigEntry) -> None:
    await addon.stop()
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY
