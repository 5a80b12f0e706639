"""Constants of the Wactorz integration."""

from __future__ import annotations

import logging
from typing import Final

DOMAIN: Final = "wactorz"
LOGGER = logging.getLogger(__package__)

CONF_API_KEY: Final = "api_key"
CONF_URL: Final = "url"

DEFAULT_NAME: Final = "Wactorz"
MANUFACTURER: Final = "Waldiez"

# The live topics the entities need; chat and logs are not mirrored into Home Assistant.
LIVE_TOPICS: Final = ("agents", "rules", "cost", "plans")

# Seconds between reconnect attempts of the live WebSocket: quick at first (an add-on restart),
# then settling at one minute so a stopped add-on costs nothing.
RECONNECT_DELAYS: Final = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)

# A turn can run for minutes (an agent spawned, a plan validated); reading it is still bounded.
CONVERSATION_TIMEOUT: Final = 300.0
REQUEST_TIMEOUT: Final = 60.0

AGENT_STATES: Final = ["created", "running", "paused", "stopped", "failed"]

EVENT_PLAN_UPDATE: Final = f"{DOMAIN}_plan_update"
