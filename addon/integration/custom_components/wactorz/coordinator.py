"""The live picture of one Wactorz server: snapshots over HTTP, then changes pushed over its WebSocket.

Nothing polls. The snapshots are fetched at setup and again after every reconnect (events missed
while the socket was down are not replayed), and each live event patches the picture in place.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
import json
from typing import TYPE_CHECKING, Any

import aiohttp

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .api import AgentRow, Budget, RuleRow, WactorzAuthError, WactorzClient, WactorzError
from .const import DOMAIN, EVENT_PLAN_UPDATE, LIVE_TOPICS, LOGGER, RECONNECT_DELAYS

if TYPE_CHECKING:
    from . import WactorzConfigEntry


@dataclass
class WactorzData:
    """What the entities show."""

    agents: dict[str, AgentRow] = field(default_factory=dict)
    rules: dict[str, RuleRow] = field(default_factory=dict)
    budget: Budget | None = None


class WactorzCoordinator(DataUpdateCoordinator[WactorzData]):
    """Keeps the snapshots and the WebSocket that updates them."""

    config_entry: WactorzConfigEntry

    def __init__(self, hass: HomeAssistant, entry: WactorzConfigEntry, client: WactorzClient) -> None:
        """Assign only; `async_start_live` opens the socket."""
        super().__init__(hass, LOGGER, config_entry=entry, name=DOMAIN, update_interval=None)
        self.client = client
        self.live_connected = False

    async def _async_update_data(self) -> WactorzData:
        try:
            agents, rules, budget = await asyncio.gather(self.client.agents(), self.client.rules(), self.client.budget())
        except WactorzAuthError as err:
            raise ConfigEntryAuthFailed(translation_domain=DOMAIN, translation_key="invalid_auth") from err
        except WactorzError as err:
            raise UpdateFailed(translation_domain=DOMAIN, translation_key="cannot_connect") from err
        return WactorzData(
            agents={a["name"]: a for a in agents},
            rules={r["id"]: r for r in rules},
            budget=budget,
        )

    def async_start_live(self) -> None:
        """Run the WebSocket for as long as the entry is loaded (the task ends with it)."""
        self.config_entry.async_create_background_task(self.hass, self._async_live_loop(), f"{DOMAIN} live")

    async def _async_live_loop(self) -> None:
        attempt = 0
        while True:
            try:
                ws = await self.client.ws_connect()
            except WactorzAuthError:
                LOGGER.warning("Wactorz refused the token on its WebSocket; asking for a new one")
                self._set_offline()
                self.config_entry.async_start_reauth(self.hass)
                return
            except WactorzError as err:
                LOGGER.debug("Wactorz WebSocket unreachable: %s", err)
            else:
                try:
                    if await self._async_session(ws):
                        attempt = 0
                except Exception:
                    # A bug here must not end live updates for good: log it and reconnect.
                    LOGGER.exception("Wactorz live updates failed; reconnecting")
                finally:
                    await ws.close()
            self._set_offline()
            await asyncio.sleep(RECONNECT_DELAYS[min(attempt, len(RECONNECT_DELAYS) - 1)])
            attempt += 1

    async def _async_session(self, ws: aiohttp.ClientWebSocketResponse) -> bool:
        """One connection: hello, subscribe, fresh snapshots, then events until it closes.

        Returns whether the connection got as far as a snapshot (the backoff restarts then).
        """
        hello = await self._receive(ws)
        if hello is None or hello.get("type") != "hello":
            LOGGER.warning("Wactorz WebSocket did not greet: %s", hello)
            return False
        await ws.send_json({"type": "subscribe", "topics": list(LIVE_TOPICS)})
        # Subscribed first, snapshot second: an event that races the snapshot is applied after it.
        await self.async_refresh()
        if not self.last_update_success:
            return False
        self.live_connected = True
        LOGGER.debug("Wactorz live updates connected")
        while (message := await self._receive(ws)) is not None:
            if message.get("type") == "event" and isinstance(message.get("event"), dict):
                try:
                    await self._async_apply(message["event"])
                except (KeyError, TypeError, ValueError) as err:
                    LOGGER.warning("Ignoring a malformed Wactorz event %s: %r", message["event"], err)
            elif message.get("type") == "resync":
                await self.async_refresh()
        return True

    async def _receive(self, ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any] | None:
        """The next JSON message, or None once the socket is closed or broken."""
        while True:
            msg = await ws.receive()
            if msg.type != aiohttp.WSMsgType.TEXT:
                return None
            try:
                data = json.loads(msg.data)
            except ValueError:
                continue
            if isinstance(data, dict):
                return data

    def _set_offline(self) -> None:
        if self.live_connected or self.last_update_success:
            LOGGER.info("Wactorz live updates disconnected; entities unavailable until it is back")
        self.live_connected = False
        self.last_update_success = False
        self.async_update_listeners()

    async def _async_apply(self, event: dict[str, Any]) -> None:
        """Patch the picture with one live event and tell the entities."""
        data = self.data
        kind = event.get("type")
        if kind in ("agent.state", "agent.heartbeat", "agent.error"):
            agent = data.agents.get(event.get("agent", ""))
            if agent is None:
                # A new agent: the event has only its name; the list has the rest.
                await self._async_refetch_agents()
                return
            if kind == "agent.state":
                agent["state"] = event["state"]
            elif kind == "agent.heartbeat":
                agent["last_heartbeat"] = event["at"]
            else:
                agent["errors"] = agent.get("errors", 0) + 1
        elif kind == "agent.removed":
            data.agents.pop(event.get("agent", ""), None)
        elif kind == "rule.status":
            rule = data.rules.get(event.get("rule_id", ""))
            if rule is None:
                await self._async_refetch_rules()
                return
            rule["status"] = event["status"]
            rule["enabled"] = event["enabled"]
            rule["last_fired_at"] = event.get("last_fired_at")
        elif kind == "rule.removed":
            data.rules.pop(event.get("rule_id", ""), None)
        elif kind == "cost.update":
            self._apply_cost(event)
        elif kind == "plan.update":
            self.hass.bus.async_fire(EVENT_PLAN_UPDATE, {"entry_id": self.config_entry.entry_id, "plan": event.get("plan")})
            return
        else:
            return
        self.async_set_updated_data(data)

    def _apply_cost(self, event: dict[str, Any]) -> None:
        usd = float(event.get("usd", 0))
        if (agent := self.data.agents.get(event.get("agent", ""))) is not None:
            agent["cost_usd"] = agent.get("cost_usd", 0) + usd
        if (budget := self.data.budget) is not None:
            spent = budget["spent"]
            spent["day"] = float(event.get("spent_today_usd", spent["day"] + usd))
            spent["week"] += usd
            spent["month"] += usd

    async def _async_refetch_agents(self) -> None:
        try:
            agents = await self.client.agents()
        except WactorzError as err:
            LOGGER.debug("Could not refetch the agents: %s", err)
            return
        self.data.agents = {a["name"]: a for a in agents}
        self.async_set_updated_data(self.data)

    async def _async_refetch_rules(self) -> None:
        try:
            rules = await self.client.rules()
        except WactorzError as err:
            LOGGER.debug("Could not refetch the rules: %s", err)
            return
        self.data.rules = {r["id"]: r for r in rules}
        self.async_set_updated_data(self.data)
