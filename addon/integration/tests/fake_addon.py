"""An in-process Wactorz add-on speaking the integration's contract over real HTTP and WebSocket.

The integration under test talks to it through Home Assistant's own aiohttp session, exactly as
it talks to the real add-on: bearer auth, JSON errors, the NDJSON conversation stream and the
live WebSocket with its subprotocol token.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import json
from typing import Any

from aiohttp import web

TOKEN = "integration-token-0123456789"
INSTANCE_ID = "wactorz-instance-1"

AGENTS: list[dict[str, Any]] = [
    {
        "id": "a-main",
        "name": "main",
        "type": "llm",
        "state": "running",
        "node": "local",
        "description": "The main agent",
        "last_heartbeat": "2026-10-20T10:00:00.000Z",
        "cost_usd": 0.25,
        "messages_processed": 12,
        "errors": 0,
        "started_at": "2026-10-20T09:00:00.000Z",
        "protected": True,
    },
    {
        "id": "a-weather",
        "name": "weather-watcher",
        "type": "dynamic",
        "state": "paused",
        "node": "local",
        "description": "Watches the forecast",
        "last_heartbeat": None,
        "cost_usd": 0.0,
        "messages_processed": 0,
        "errors": 1,
        "started_at": None,
        "protected": False,
    },
]

RULES: list[dict[str, Any]] = [
    {
        "id": "rule-door",
        "name": "Door light",
        "description": "Front door opens at night: hall light on",
        "enabled": True,
        "status": "active",
        "agents": [{"name": "door-light", "state": "running"}],
        "created_at": "2026-10-19T20:00:00.000Z",
        "last_fired_at": None,
        "fire_count": 0,
        "backtest": None,
        "error": None,
    }
]

BUDGET: dict[str, Any] = {
    "daily_usd": 1.0,
    "weekly_usd": None,
    "monthly_usd": 20.0,
    "spent": {"day": 0.4, "week": 1.5, "month": 3.25},
    "fallback": None,
    "exhausted": False,
}


def plan(plan_id: str = "plan-1", status: str = "pending") -> dict[str, Any]:
    """A plan as the add-on returns it."""
    return {
        "id": plan_id,
        "conversation_id": "wz-conv-1",
        "title": "Porch light at sunset",
        "summary": "Turn on the porch light at sunset every day.",
        "status": status,
        "created_at": "2026-10-20T10:00:00.000Z",
        "agents": [{"name": "porch-light", "type": "ha_actuator", "description": "porch light", "trigger": "sunset"}],
        "validation": {"ok": True, "errors": [], "warnings": []},
        "rule_id": None,
        "reason": None,
    }


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


class FakeAddon:
    """The fake server; tests script its answers and inspect what it received."""

    def __init__(self) -> None:
        """Fresh state per test."""
        self.token = TOKEN
        self.instance_id = INSTANCE_ID
        self.agents = copy.deepcopy(AGENTS)
        self.rules = copy.deepcopy(RULES)
        self.budget = copy.deepcopy(BUDGET)
        self.requests: list[tuple[str, str, Any]] = []
        # Events of the next conversation turns, one list per turn, in order.
        self.turns: list[list[dict[str, Any]]] = []
        self.ai_task_answer: dict[str, Any] = {"conversation_id": "wz-task-1", "data": "A calm evening."}
        self.errors: dict[str, tuple[int, str, str]] = {}
        self.sockets: list[web.WebSocketResponse] = []
        self.subscribed = asyncio.Event()
        self.ws_connects = 0
        self.ws_protocols: list[str] = []
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> None:
        """Listen on a free loopback port."""
        app = web.Application(middlewares=[self._auth])
        app.router.add_get("/api/integration/info", self._info)
        app.router.add_post("/api/integration/conversation", self._conversation)
        app.router.add_post("/api/integration/ai_task", self._ai_task)
        app.router.add_post("/api/chat", self._chat)
        app.router.add_post("/api/integration/agents/{name}/task", self._task)
        app.router.add_post("/api/integration/recipes/{recipe}/spawn", self._spawn)
        app.router.add_post("/api/rules/{id}/{verb:enable|disable}", self._rule)
        app.router.add_post("/api/plans/{id}/{verb:approve|reject}", self._plan)
        app.router.add_get("/api/agents", self._agents)
        app.router.add_get("/api/rules", self._rules)
        app.router.add_get("/api/budget", self._budget)
        app.router.add_get("/api/ws", self._ws)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        """Close the sockets and the server."""
        for ws in list(self.sockets):
            await ws.close()
        if self._runner:
            await self._runner.cleanup()

    # --- live ---

    async def push(self, event: dict[str, Any]) -> None:
        """One live event to every subscribed socket."""
        for ws in list(self.sockets):
            await ws.send_json({"type": "event", "seq": 1, "at": "2026-10-20T10:00:00.000Z", "topic": "x", "event": event})

    async def drop_sockets(self) -> None:
        """The add-on restarts: every socket closes."""
        self.subscribed.clear()
        for ws in list(self.sockets):
            await ws.close()

    # --- handlers ---

    @web.middleware
    async def _auth(self, request: web.Request, handler: Any) -> web.StreamResponse:
        body: Any = None
        if request.can_read_body:
            body = await request.json()
        self.requests.append((request.method, request.path_qs, body))
        for path, (status, code, message) in self.errors.items():
            if request.path.startswith(path):
                return _error(status, code, message)
        if request.path == "/api/ws":
            return await handler(request)
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return _error(401, "unauthorized", "token refused")
        return await handler(request)

    async def _info(self, _request: web.Request) -> web.Response:
        return web.json_response(
            {
                "instance_id": self.instance_id,
                "name": "Wactorz",
                "version": "0.1.0",
                "llm": {"provider": "anthropic", "model": "claude-test"},
            }
        )

    async def _conversation(self, request: web.Request) -> web.StreamResponse:
        events = self.turns.pop(0) if self.turns else [{"type": "start", "turnId": "t", "conversationId": "wz-conv-1"}]
        resp = web.StreamResponse(headers={"Content-Type": "application/x-ndjson"})
        await resp.prepare(request)
        for event in events:
            await resp.write((json.dumps(event) + "\n").encode())
            await asyncio.sleep(0)
        await resp.write_eof()
        return resp

    async def _agents(self, _request: web.Request) -> web.Response:
        return web.json_response(self.agents)

    async def _rules(self, _request: web.Request) -> web.Response:
        return web.json_response(self.rules)

    async def _budget(self, _request: web.Request) -> web.Response:
        return web.json_response(self.budget)

    async def _ai_task(self, _request: web.Request) -> web.Response:
        return web.json_response(self.ai_task_answer)

    async def _chat(self, request: web.Request) -> web.Response:
        body = await request.json()
        return web.json_response(
            {
                "reply": f"You said: {body['message']}",
                "agent": body.get("agent", "main"),
                "conversation_id": body.get("conversation_id", "wz-chat-1"),
            }
        )

    async def _task(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in {a["name"] for a in self.agents}:
            return _error(404, "not_found", f"No agent named {name}")
        body = await request.json()
        return web.json_response({"agent": name, "result": {"echo": body["payload"]}})

    async def _spawn(self, request: web.Request) -> web.Response:
        body = await request.json()
        return web.json_response({"agent": body.get("name") or request.match_info["recipe"], "status": "spawned"})

    async def _rule(self, request: web.Request) -> web.Response:
        rule = next((r for r in self.rules if r["id"] == request.match_info["id"]), None)
        if rule is None:
            return _error(404, "not_found", "No such rule")
        rule["enabled"] = request.match_info["verb"] == "enable"
        rule["status"] = "active" if rule["enabled"] else "disabled"
        return web.json_response(rule)

    async def _plan(self, request: web.Request) -> web.Response:
        status = "approved" if request.match_info["verb"] == "approve" else "rejected"
        return web.json_response(plan(request.match_info["id"], status))

    async def _ws(self, request: web.Request) -> web.StreamResponse:
        offered = [p.strip() for p in request.headers.get("Sec-WebSocket-Protocol", "").split(",")]
        self.ws_protocols = offered
        bearer = next((p for p in offered if p.startswith("wactorz.bearer.")), "")
        encoded = bearer.removeprefix("wactorz.bearer.")
        token = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode() if encoded else ""
        if "wactorz.v1" not in offered or token != self.token:
            return _error(401, "unauthorized", "token refused")
        ws = web.WebSocketResponse(protocols=("wactorz.v1",))
        await ws.prepare(request)
        self.ws_connects += 1
        await ws.send_json({"type": "hello", "boot_id": "boot-1", "seq": 0, "ping_interval_ms": 30000, "user": {"kind": "integration"}})
        self.sockets.append(ws)
        try:
            async for msg in ws:
                data = json.loads(msg.data)
                if data.get("type") == "subscribe":
                    await ws.send_json({"type": "subscribed", "topics": data["topics"], "replayed": 0})
                    self.subscribed.set()
                elif data.get("type") == "ping":
                    await ws.send_json({"type": "pong"})
        finally:
            self.sockets.remove(ws)
        return ws
