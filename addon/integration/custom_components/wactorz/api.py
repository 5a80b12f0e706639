"""The add-on's HTTP API, as the integration uses it.

Every call carries the bearer token; every failure becomes one of three exceptions so callers
decide by kind (reauth, retry later, show the add-on's message) and never by parsing text.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
import json
from typing import Any, NotRequired, TypedDict
from urllib.parse import quote

import aiohttp

from .const import CONVERSATION_TIMEOUT, REQUEST_TIMEOUT

WS_SUBPROTOCOL = "wactorz.v1"
WS_BEARER_PREFIX = "wactorz.bearer."
WS_HEARTBEAT = 30.0


class WactorzError(Exception):
    """Base of the client's errors."""


class WactorzConnectionError(WactorzError):
    """The add-on could not be reached or answered something that is not its API."""


class WactorzAuthError(WactorzError):
    """The add-on refused the token (HTTP 401)."""


class WactorzApiError(WactorzError):
    """The add-on answered with an error of its own."""

    def __init__(self, status: int, code: str, message: str) -> None:
        """Keep the add-on's code and message."""
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class LlmInfo(TypedDict):
    """The model the add-on answers with."""

    provider: str
    model: str | None


class Info(TypedDict):
    """GET /api/integration/info."""

    instance_id: str
    name: str
    version: str
    llm: LlmInfo


class ConversationUser(TypedDict):
    """The Home Assistant user who spoke."""

    id: str
    name: str | None
    is_admin: bool


class ConversationRequest(TypedDict):
    """POST /api/integration/conversation."""

    text: str
    conversation_id: str | None
    language: str
    user: ConversationUser | None
    device_id: str | None
    satellite_id: str | None
    area_id: str | None


class Attachment(TypedDict):
    """One file sent with an AI task."""

    mime_type: str
    data: str
    filename: str | None


class AiTaskRequest(TypedDict):
    """POST /api/integration/ai_task."""

    task_name: str
    instructions: str
    structure: dict[str, Any] | None
    attachments: list[Attachment]


class AiTaskResponse(TypedDict):
    """The answer of an AI task."""

    conversation_id: str
    data: Any


class ChatResponse(TypedDict):
    """POST /api/chat."""

    reply: str
    agent: str
    conversation_id: str


class AgentRow(TypedDict):
    """One agent of GET /api/agents (the fields the integration reads)."""

    name: str
    type: str
    state: str
    node: str
    last_heartbeat: str | None
    cost_usd: float
    errors: int
    description: NotRequired[str]


class RuleRow(TypedDict):
    """One rule of GET /api/rules (the fields the integration reads)."""

    id: str
    name: str
    description: str
    enabled: bool
    status: str
    last_fired_at: str | None
    fire_count: NotRequired[int]


class Spent(TypedDict):
    """Spend per period, USD."""

    day: float
    week: float
    month: float


class Budget(TypedDict):
    """GET /api/budget."""

    daily_usd: float | None
    weekly_usd: float | None
    monthly_usd: float | None
    spent: Spent
    exhausted: bool


def bearer_subprotocol(token: str) -> str:
    """The WebSocket subprotocol that carries the token (never a query string: those get logged)."""
    encoded = base64.urlsafe_b64encode(token.encode()).decode().rstrip("=")
    return WS_BEARER_PREFIX + encoded


class WactorzClient:
    """Talks to one Wactorz server."""

    def __init__(self, session: aiohttp.ClientSession, url: str, token: str) -> None:
        """Assign only: nothing is contacted until a call."""
        self._session = session
        self.url = url.rstrip("/")
        self._token = token

    @property
    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"}

    async def _request(
        self,
        method: str,
        path: str,
        body: object | None = None,
        params: dict[str, str] | None = None,
    ) -> Any:
        try:
            async with self._session.request(
                method,
                self.url + path,
                json=body,
                params=params,
                headers=self._headers,
                timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT),
            ) as resp:
                await _raise_for_status(resp)
                return await resp.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, json.JSONDecodeError) as err:
            raise WactorzConnectionError(str(err) or type(err).__name__) from err

    async def info(self) -> Info:
        """Who the server is (its instance id is the config entry's unique id)."""
        info: Info = await self._request("GET", "/api/integration/info")
        if not isinstance(info, dict) or not isinstance(info.get("instance_id"), str):
            raise WactorzConnectionError("not a Wactorz server")
        return info

    async def conversation(self, request: ConversationRequest) -> AsyncIterator[dict[str, Any]]:
        """One Assist turn: the events of the NDJSON stream, in order, as they arrive."""
        try:
            async with self._session.post(
                self.url + "/api/integration/conversation",
                json=request,
                headers=self._headers,
                timeout=aiohttp.ClientTimeout(total=CONVERSATION_TIMEOUT),
            ) as resp:
                await _raise_for_status(resp)
                async for raw in resp.content:
                    line = raw.strip()
                    if line:
                        yield json.loads(line)
        except (aiohttp.ClientError, TimeoutError, json.JSONDecodeError) as err:
            raise WactorzConnectionError(str(err) or type(err).__name__) from err

    async def ai_task(self, request: AiTaskRequest) -> AiTaskResponse:
        """Generate data with the add-on's model, under its budget."""
        return await self._request("POST", "/api/integration/ai_task", request)  # type: ignore[no-any-return]

    async def chat(self, message: str, agent: str | None, conversation_id: str | None) -> ChatResponse:
        """One blocking chat turn (the `wactorz.ask` action)."""
        body: dict[str, str] = {"message": message}
        if agent:
            body["agent"] = agent
        if conversation_id:
            body["conversation_id"] = conversation_id
        return await self._request("POST", "/api/chat", body)  # type: ignore[no-any-return]

    async def send_task(self, agent: str, payload: object) -> dict[str, Any]:
        """A task for one agent; its result."""
        return await self._request("POST", f"/api/integration/agents/{_seg(agent)}/task", {"payload": payload})  # type: ignore[no-any-return]

    async def spawn_recipe(self, recipe: str, name: str | None) -> dict[str, Any]:
        """Spawn an agent from a catalog recipe."""
        return await self._request("POST", f"/api/integration/recipes/{_seg(recipe)}/spawn", {"name": name})  # type: ignore[no-any-return]

    async def set_rule_enabled(self, rule_id: str, enabled: bool) -> RuleRow:
        """Enable or disable a rule; the rule as it is now."""
        verb = "enable" if enabled else "disable"
        return await self._request("POST", f"/api/rules/{_seg(rule_id)}/{verb}", {})  # type: ignore[no-any-return]

    async def decide_plan(self, plan_id: str, approve: bool) -> dict[str, Any]:
        """Approve or reject a pending plan; the plan as it is now."""
        verb = "approve" if approve else "reject"
        return await self._request("POST", f"/api/plans/{_seg(plan_id)}/{verb}", {})  # type: ignore[no-any-return]

    async def agents(self) -> list[AgentRow]:
        """Every agent."""
        return await self._request("GET", "/api/agents")  # type: ignore[no-any-return]

    async def rules(self) -> list[RuleRow]:
        """Every rule."""
        return await self._request("GET", "/api/rules")  # type: ignore[no-any-return]

    async def budget(self) -> Budget:
        """Limits and spend."""
        return await self._request("GET", "/api/budget")  # type: ignore[no-any-return]

    async def ws_connect(self) -> aiohttp.ClientWebSocketResponse:
        """Open the live WebSocket; the token travels as a subprotocol."""
        try:
            return await self._session.ws_connect(
                self.url + "/api/ws",
                protocols=(WS_SUBPROTOCOL, bearer_subprotocol(self._token)),
                # WebSocket pings find a connection that died without a close (the add-on's host gone).
                heartbeat=WS_HEARTBEAT,
                timeout=aiohttp.ClientWSTimeout(ws_close=10),
            )
        except aiohttp.WSServerHandshakeError as err:
            if err.status == 401:
                raise WactorzAuthError("token refused") from err
            raise WactorzConnectionError(f"WebSocket refused ({err.status})") from err
        except (aiohttp.ClientError, TimeoutError) as err:
            raise WactorzConnectionError(str(err) or type(err).__name__) from err


def _seg(value: str) -> str:
    return quote(value, safe="")


async def _raise_for_status(resp: aiohttp.ClientResponse) -> None:
    if resp.status < 400:
        return
    code, message = "http_error", f"HTTP {resp.status}"
    try:
        body = await resp.json(content_type=None)
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict):
            code = str(error.get("code", code))
            message = str(error.get("message", message))
    except aiohttp.ClientError, ValueError:
        pass
    if resp.status == 401:
        raise WactorzAuthError(message)
    raise WactorzApiError(resp.status, code, message)
