"""The dashboard cards (wactorz-chat-card, wactorz-rules-card), served to Home Assistant's frontend.

The cards are one ES module built from the repository's cards/ folder into frontend/. They talk
to the add-on only through Home Assistant (the dashboard's own connection), so serving the file
and listing it as an extra frontend module is all this side does.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from homeassistant.components.frontend import add_extra_js_url
from homeassistant.components.http import StaticPathConfig
from homeassistant.core import HomeAssistant

CARDS_URL = "/wactorz/wactorz-cards.js"
CARDS_FILE = Path(__file__).parent / "frontend" / "wactorz-cards.js"


async def async_register_cards(hass: HomeAssistant) -> None:
    """Serve the cards and have every dashboard page load them."""
    content = await hass.async_add_executor_job(CARDS_FILE.read_bytes)
    await hass.http.async_register_static_paths([StaticPathConfig(CARDS_URL, str(CARDS_FILE), cache_headers=True)])
    # Browsers keep the file for a month (cache_headers): the content's digest in the URL makes an
    # updated integration's cards load at once, the same version's stay cached.
    version = hashlib.sha256(content).hexdigest()[:12]
    # Without the frontend (a headless install) there is no dashboard to load them.
    if "frontend" in hass.config.components:
        add_extra_js_url(hass, f"{CARDS_URL}?v={version}")
