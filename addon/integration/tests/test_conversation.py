"""The Assist agent: streaming into the chat log, Wactorz's activity as external tool calls,
continuing the conversation on a proposal, who spoke and where, and the add-on being away."""

from __future__ import annotations

from typing import Any

from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import area_registry as ar, chat_session, device_registry as dr, intent

from .fake_addon import FakeAddon, plan

AGENT = "conversation.wactorz"


def turn(*events: dict[str, Any], reply: str, conv: str = "wz-conv-1", cont: bool = False) -> list[dict[str, Any]]:
    """The NDJSON events of one turn, framed by start, done and end as the add-on sends them."""
    return [
        {"type": "start", "turnId": "t1", "conversationId": conv},
        *events,
        {"type": "done", "turnId": "t1", "conversationId": conv, "reply": reply, "agent": "main", "route": "actuate"},
        {"type": "end", "conversation_id": conv, "continue_conversation": cont},
    ]


def conversation_body(addon: FakeAddon) -> list[dict[str, Any]]:
    """The bodies the add-on received for conversation turns."""
    return [body for method, path, body in addon.requests if path == "/api/integration/conversation"]


async def converse_with_listener(
    hass: HomeAssistant, text: str
) -> tuple[conversation.ConversationResult, list[dict], conversation.ChatLog]:
    """A turn the way the Assist pipeline runs it: with a delta listener on the chat log."""
    deltas: list[dict] = []
    with (
        chat_session.async_get_chat_session(hass) as session,
        conversation.async_get_chat_log(hass, session, chat_log_delta_listener=lambda _log, d: deltas.append(d)) as chat_log,
    ):
        result = await conversation.async_converse(hass, text, session.conversation_id, Context(), language="en", agent_id=AGENT)
        return result, deltas, chat_log


async def test_the_agent_is_offered_to_assist(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    agent = conversation.async_get_agent_info(hass, AGENT)
    assert agent is not None
    assert agent.supports_streaming is True
    state = hass.states.get(AGENT)
    assert state is not None
    assert state.attributes["supported_features"] == conversation.ConversationEntityFeature.CONTROL


async def test_answer_streams_into_the_chat_log(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    addon.turns.append(turn({"type": "delta", "text": "Hello "}, {"type": "delta", "text": "there."}, reply="Hello there."))
    result, deltas, chat_log = await converse_with_listener(hass, "hi")

    assert [d["content"] for d in deltas if "content" in d] == ["Hello ", "there."]
    assert result.response.speech["plain"]["speech"] == "Hello there."
    assert result.response.response_type is intent.IntentResponseType.ACTION_DONE
    assert result.continue_conversation is False
    last = chat_log.content[-1]
    assert isinstance(last, conversation.AssistantContent)
    assert last.content == "Hello there."
    assert last.agent_id == AGENT


async def test_wactorz_activity_is_recorded_as_external_tool_calls(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    addon.turns.append(
        turn(
            {"type": "tool", "name": "control_devices", "ok": True, "text": "light.kitchen on", "entityIds": ["light.kitchen"]},
            {"type": "spawn", "name": "porch-light", "ok": True, "text": "porch-light started"},
            {"type": "delegate", "agent": "weather", "ok": False, "text": "weather timed out"},
            {"type": "delta", "text": "The kitchen light is on."},
            reply="The kitchen light is on.",
        )
    )
    result, _deltas, chat_log = await converse_with_listener(hass, "turn on the light")

    calls = [c for content in chat_log.content if isinstance(content, conversation.AssistantContent) for c in content.tool_calls or []]
    assert [(c.tool_name, c.tool_args, c.external) for c in calls] == [
        ("control_devices", {"entity_ids": ["light.kitchen"]}, True),
        ("spawn_agent", {"name": "porch-light"}, True),
        ("delegate", {"agent": "weather"}, True),
    ]
    results = [c for c in chat_log.content if isinstance(c, conversation.ToolResultContent)]
    assert [(r.tool_call_id, r.result.data, r.result.error) for r in results] == [
        (calls[0].id, {"ok": True, "text": "light.kitchen on"}, False),
        (calls[1].id, {"ok": True, "text": "porch-light started"}, False),
        (calls[2].id, {"ok": False, "text": "weather timed out"}, True),
    ]
    assert result.response.speech["plain"]["speech"] == "The kitchen light is on."


async def test_a_proposal_keeps_the_conversation_open_and_yes_goes_to_the_same_wactorz_conversation(
    hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry
) -> None:
    proposal_text = "I can turn on the porch light at sunset every day. Shall I?"
    addon.turns.append(
        turn({"type": "proposal", "plan": plan()}, {"type": "delta", "text": proposal_text}, reply=proposal_text, conv="wz-77", cont=True)
    )
    addon.turns.append(turn({"type": "delta", "text": "Done: rule created."}, reply="Done: rule created.", conv="wz-77"))

    first = await conversation.async_converse(hass, "porch light at sunset", None, Context(), language="en", agent_id=AGENT)
    assert first.continue_conversation is True
    assert first.response.speech["plain"]["speech"] == proposal_text

    second = await conversation.async_converse(hass, "yes", first.conversation_id, Context(), language="en", agent_id=AGENT)
    assert second.conversation_id == first.conversation_id
    assert second.continue_conversation is False
    bodies = conversation_body(addon)
    assert bodies[0]["conversation_id"] is None
    assert bodies[1]["conversation_id"] == "wz-77"


async def test_continue_conversation_when_wactorz_asks(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    # The add-on's flag decides, even when the text does not end with a question mark.
    addon.turns.append(
        turn({"type": "delta", "text": "Say yes to unlock the front door"}, reply="Say yes to unlock the front door", cont=True)
    )
    result = await conversation.async_converse(hass, "unlock the door", None, Context(), language="en", agent_id=AGENT)
    assert result.continue_conversation is True


async def test_a_turn_ending_on_activity_still_speaks_the_reply(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    addon.turns.append(
        turn(
            {"type": "delta", "text": "Turning it on."},
            {"type": "tool", "name": "control_devices", "ok": True, "text": "ok"},
            reply="Turning it on.",
        )
    )
    result = await conversation.async_converse(hass, "light on", None, Context(), language="en", agent_id=AGENT)
    assert result.response.speech["plain"]["speech"] == "Turning it on."


async def test_the_user_language_device_and_area_reach_wactorz(
    hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry, hass_admin_user: MockUser, hass_read_only_user: MockUser
) -> None:
    kitchen = ar.async_get(hass).async_create("Kitchen")
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=loaded.entry_id, identifiers={("test", "satellite")}, name="Kitchen satellite"
    )
    dr.async_get(hass).async_update_device(device.id, area_id=kitchen.id)

    addon.turns.append(turn({"type": "delta", "text": "ok"}, reply="ok"))
    await conversation.async_converse(
        hass, "light on", None, Context(user_id=hass_admin_user.id), language="de", agent_id=AGENT, device_id=device.id
    )
    addon.turns.append(turn({"type": "delta", "text": "ok"}, reply="ok"))
    await conversation.async_converse(hass, "unlock", None, Context(user_id=hass_read_only_user.id), language="en", agent_id=AGENT)

    admin_turn, user_turn = conversation_body(addon)
    assert admin_turn["text"] == "light on"
    assert admin_turn["language"] == "de"
    assert admin_turn["user"] == {"id": hass_admin_user.id, "name": hass_admin_user.name, "is_admin": True}
    assert admin_turn["device_id"] == device.id
    assert admin_turn["area_id"] == kitchen.id
    assert user_turn["user"] == {"id": hass_read_only_user.id, "name": hass_read_only_user.name, "is_admin": False}
    assert user_turn["area_id"] is None


async def test_the_addon_unreachable_is_an_answer_not_a_trace(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    await addon.stop()
    result = await conversation.async_converse(hass, "hi", None, Context(), language="en", agent_id=AGENT)
    assert result.response.response_type is intent.IntentResponseType.ERROR
    assert result.response.speech["plain"]["speech"] == "Wactorz is not reachable right now. Is the add-on running?"


async def test_an_error_event_is_spoken(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    addon.turns.append(
        [
            {"type": "start", "turnId": "t", "conversationId": "c"},
            {"type": "error", "code": "budget", "message": "The daily budget is used up"},
        ]
    )
    result = await conversation.async_converse(hass, "hi", None, Context(), language="en", agent_id=AGENT)
    assert result.response.response_type is intent.IntentResponseType.ERROR
    assert result.response.speech["plain"]["speech"] == "Wactorz could not answer: The daily budget is used up"


async def test_a_refused_turn_speaks_the_addons_reason(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    addon.errors["/api/integration/conversation"] = (403, "forbidden", "Only an admin may manage agents")
    result = await conversation.async_converse(hass, "delete all agents", None, Context(), language="en", agent_id=AGENT)
    assert result.response.response_type is intent.IntentResponseType.ERROR
    assert result.response.speech["plain"]["speech"] == "Wactorz could not answer: Only an admin may manage agents"


async def test_a_refused_token_in_a_turn_starts_reauth(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    addon.token = "rotated"
    result = await conversation.async_converse(hass, "hi", None, Context(), language="en", agent_id=AGENT)
    assert result.response.response_type is intent.IntentResponseType.ERROR
    await hass.async_block_till_done()
    assert any(f["context"]["source"] == "reauth" for f in hass.config_entries.flow.async_progress_by_handler("wactorz"))
