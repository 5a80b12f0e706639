"""The Assist agent: each turn goes to Wactorz, whose answer streams back into the chat log.

What Wactorz did on the way (a device call, an agent spawned, a task delegated, a rule proposed)
is recorded as tool calls Home Assistant does not execute (`external=True`), each with its result,
so the Assist debug view shows the whole turn.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from homeassistant.components import conversation
from homeassistant.const import MATCH_ALL
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er, intent, llm, translation
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import ConversationRequest, ConversationUser, WactorzApiError, WactorzAuthError, WactorzError
from .const import DOMAIN, LOGGER
from .entity import WactorzEntity

if TYPE_CHECKING:
    from . import WactorzConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: WactorzConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One Assist agent per server."""
    async_add_entities([WactorzConversationEntity(entry)])


class TurnFailed(Exception):
    """The add-on could not answer the turn; the message is for the user."""

    def __init__(self, key: str, placeholders: dict[str, str] | None = None) -> None:
        """A translation key of `exceptions`, with its placeholders."""
        super().__init__(key)
        self.key = key
        self.placeholders = placeholders or {}


@dataclass
class TurnOutcome:
    """What the stream said besides its text."""

    conversation_id: str | None = None
    reply: str | None = None
    continue_conversation: bool = False
    proposal: str | None = None


async def stream_deltas(
    events: AsyncIterator[dict[str, Any]], outcome: TurnOutcome
) -> AsyncGenerator[conversation.AssistantContentDeltaDict | conversation.ToolResultContentDeltaDict]:
    """Wactorz's NDJSON events as chat log deltas, in the order they happened."""
    yield {"role": "assistant"}
    async for event in events:
        kind = event.get("type")
        if kind == "start":
            outcome.conversation_id = event.get("conversationId") or outcome.conversation_id
        elif kind == "delta":
            if text := event.get("text"):
                yield {"content": text}
        elif kind in ("tool", "spawn", "delete", "delegate", "proposal"):
            for delta in _activity(event):
                yield delta
            if kind == "proposal":
                plan = event.get("plan") or {}
                outcome.proposal = plan.get("summary") or plan.get("title")
                outcome.continue_conversation = True
        elif kind == "done":
            outcome.reply = event.get("reply")
            outcome.conversation_id = event.get("conversationId") or outcome.conversation_id
        elif kind == "end":
            outcome.conversation_id = event.get("conversation_id") or outcome.conversation_id
            outcome.continue_conversation = bool(event.get("continue_conversation")) or outcome.continue_conversation
        elif kind == "error":
            raise TurnFailed("turn_failed", {"message": str(event.get("message") or event.get("code") or "")})


def _activity(event: dict[str, Any]) -> list[conversation.AssistantContentDeltaDict | conversation.ToolResultContentDeltaDict]:
    """One thing Wactorz did: an external tool call, its result, then a fresh message for the text after it."""
    kind = event["type"]
    if kind == "proposal":
        plan = event.get("plan") or {}
        name, args = "propose_rule", {"title": plan.get("title"), "summary": plan.get("summary")}
        data: dict[str, Any] = {"plan_id": plan.get("id"), "status": plan.get("status"), "summary": plan.get("summary")}
        ok = True
    else:
        if kind == "tool":
            name = str(event.get("name"))
            args = {k: v for k, v in (("agent", event.get("agent")), ("entity_ids", event.get("entityIds"))) if v is not None}
        elif kind == "delegate":
            name, args = "delegate", {"agent": event.get("agent")}
        else:
            name, args = f"{kind}_agent", {"name": event.get("name")}
        ok = bool(event.get("ok"))
        data = {"ok": ok, "text": event.get("text", "")}
        if kind == "delegate" and "result" in event:
            data["result"] = event["result"]
    call = llm.ToolInput(tool_name=name, tool_args=args, external=True)
    return [
        {"role": "assistant", "tool_calls": [call]},
        {"role": "tool_result", "tool_call_id": call.id, "tool_name": name, "result": llm.ToolResult(data=data, error=not ok)},
        {"role": "assistant"},
    ]


class WactorzConversationEntity(WactorzEntity, conversation.ConversationEntity, conversation.AbstractConversationAgent):
    """conversation.wactorz: Assist talks to Wactorz's main agent."""

    _attr_name = None
    _attr_supports_streaming = True
    _attr_supported_features = conversation.ConversationEntityFeature.CONTROL

    def __init__(self, entry: WactorzConfigEntry) -> None:
        """One per server."""
        super().__init__(entry, "conversation")
        self.entry = entry

    @property
    def supported_languages(self) -> list[str] | Literal["*"]:
        """Every language: the add-on's model answers in the one it is spoken to."""
        return MATCH_ALL

    async def async_added_to_hass(self) -> None:
        """Offer the agent to Assist."""
        await super().async_added_to_hass()
        conversation.async_set_agent(self.hass, self.entry, self)

    async def async_will_remove_from_hass(self) -> None:
        """Withdraw the agent."""
        conversation.async_unset_agent(self.hass, self.entry)
        await super().async_will_remove_from_hass()

    async def _async_handle_message(
        self,
        user_input: conversation.ConversationInput,
        chat_log: conversation.ChatLog,
    ) -> conversation.ConversationResult:
        """Send the turn to Wactorz and stream its answer into the chat log."""
        runtime = self.entry.runtime_data
        request: ConversationRequest = {
            "text": user_input.text,
            "conversation_id": runtime.conversations.get(chat_log.conversation_id),
            "language": user_input.language,
            "user": await self._async_user(user_input),
            "device_id": user_input.device_id,
            "satellite_id": user_input.satellite_id,
            "area_id": self._area_of(user_input),
        }
        outcome = TurnOutcome()
        try:
            stream = stream_deltas(runtime.client.conversation(request), outcome)
            async for _content in chat_log.async_add_delta_content_stream(self.entity_id, stream):
                pass
        except TurnFailed as err:
            return await self._async_failure(user_input, chat_log, err.key, err.placeholders)
        except WactorzAuthError:
            self.entry.async_start_reauth(self.hass)
            return await self._async_failure(user_input, chat_log, "invalid_auth")
        except WactorzApiError as err:
            return await self._async_failure(user_input, chat_log, "turn_failed", {"message": err.message})
        except WactorzError as err:
            LOGGER.warning("Wactorz did not answer an Assist turn: %s", err)
            return await self._async_failure(user_input, chat_log, "unreachable")

        if outcome.conversation_id:
            runtime.remember_conversation(chat_log.conversation_id, outcome.conversation_id)
        last = chat_log.content[-1]
        if not (isinstance(last, conversation.AssistantContent) and last.content):
            # The turn ended on an activity (or said nothing): the reply, or the proposal, is the answer.
            text = outcome.reply or outcome.proposal or ""
            chat_log.async_add_assistant_content_without_tools(conversation.AssistantContent(agent_id=self.entity_id, content=text))
        result = conversation.async_get_result_from_chat_log(user_input, chat_log)
        if outcome.reply:
            # Text said around tool calls lands in several messages; the speech is all of it.
            result.response.async_set_speech(outcome.reply)
        result.continue_conversation = result.continue_conversation or outcome.continue_conversation
        return result

    async def _async_user(self, user_input: conversation.ConversationInput) -> ConversationUser | None:
        """The HA user who spoke: the add-on's trust rules decide by this."""
        if not (user_id := user_input.context.user_id):
            return None
        user = await self.hass.auth.async_get_user(user_id)
        if user is None:
            return None
        return {"id": user.id, "name": user.name, "is_admin": user.is_admin}

    def _area_of(self, user_input: conversation.ConversationInput) -> str | None:
        """The area of the satellite (or device) that heard the request: "the light" means the one here."""
        devices = dr.async_get(self.hass)
        if user_input.satellite_id and (ent := er.async_get(self.hass).async_get(user_input.satellite_id)):
            if ent.area_id:
                return ent.area_id
            if ent.device_id and (device := devices.async_get(ent.device_id)) and device.area_id:
                return device.area_id
        if user_input.device_id and (device := devices.async_get(user_input.device_id)):
            return device.area_id
        return None

    async def _async_failure(
        self,
        user_input: conversation.ConversationInput,
        chat_log: conversation.ChatLog,
        key: str,
        placeholders: dict[str, str] | None = None,
    ) -> conversation.ConversationResult:
        """An answer saying what went wrong, in the user's language where translated."""
        speech = await self._async_message(user_input.language, key, placeholders or {})
        response = intent.IntentResponse(language=user_input.language)
        response.async_set_error(intent.IntentResponseErrorCode.UNKNOWN, speech)
        return conversation.ConversationResult(response=response, conversation_id=chat_log.conversation_id)

    async def _async_message(self, language: str, key: str, placeholders: dict[str, str]) -> str:
        localize_key = f"component.{DOMAIN}.exceptions.{key}.message"
        for lang in dict.fromkeys((language, "en")):
            strings = await translation.async_get_translations(self.hass, lang, "exceptions", [DOMAIN])
            if message := strings.get(localize_key):
                try:
                    return message.format(**placeholders)
                except KeyError, IndexError:
                    return message
        return key
