"""The dashboard cards: served by Home Assistant and loaded by every dashboard page."""

from __future__ import annotations

import hashlib
from unittest.mock import patch

from custom_components.wactorz.cards import CARDS_FILE, CARDS_URL
from custom_components.wactorz.const import DOMAIN
from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component


async def test_dashboards_load_the_cards(hass: HomeAssistant, hass_client) -> None:
    assert await async_setup_component(hass, "frontend", {})
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()

    # The content's digest in the URL: browsers cache the file for a month, an update must not wait for that.
    url = f"{CARDS_URL}?v={hashlib.sha256(CARDS_FILE.read_bytes()).hexdigest()[:12]}"
    assert url in hass.data[DATA_EXTRA_MODULE_URL].urls
    client = await hass_client()
    # The page HA serves to a browser names the module, so every dashboard defines the cards
    # (as HA's own frontend tests do, onboarding is taken as done).
    with patch("homeassistant.components.onboarding.async_is_onboarded", return_value=True):
        index = await client.get("/")
    assert index.status == 200
    assert url in await index.text()
    module = await client.get(url)
    assert module.status == 200
    assert module.content_type in {"application/javascript", "text/javascript"}
    body = await module.read()
    assert body == CARDS_FILE.read_bytes()
    assert b"wactorz-chat-card" in body
    assert b"wactorz-rules-card" in body


async def test_without_the_frontend_the_file_is_still_served(hass: HomeAssistant, hass_client) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()
    assert "frontend" not in hass.config.components
    client = await hass_client()
    module = await client.get(CARDS_URL)
    assert module.status == 200
    assert await module.read() == CARDS_FILE.read_bytes()
