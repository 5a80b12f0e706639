"""AI Task: instructions, structure (as JSON Schema) and attachments go to the add-on; a structured
answer is checked against the structure before Home Assistant hands it over."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError

from .fake_addon import FakeAddon

ENTITY = "ai_task.wactorz"

STRUCTURE = {
    "summary": {"description": "One sentence", "required": True, "selector": {"text": None}},
    "people": {"description": "How many people", "required": True, "selector": {"number": {"min": 0}}},
}


def task_bodies(addon: FakeAddon) -> list[dict[str, Any]]:
    """The bodies the add-on received for AI tasks."""
    return [body for _m, path, body in addon.requests if path == "/api/integration/ai_task"]


async def generate(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    """ai_task.generate_data against the Wactorz entity, as an automation calls it."""
    response = await hass.services.async_call(
        "ai_task",
        "generate_data",
        {"task_name": "test", "entity_id": ENTITY, **data},
        blocking=True,
        return_response=True,
    )
    assert isinstance(response, dict)
    return response


async def test_text_task(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    response = await generate(hass, instructions="Describe the evening")
    assert response["data"] == "A calm evening."
    assert response["conversation_id"]
    assert task_bodies(addon) == [{"task_name": "test", "instructions": "Describe the evening", "structure": None, "attachments": []}]


async def test_structured_task_sends_json_schema_and_returns_the_data(
    hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry
) -> None:
    addon.ai_task_answer = {"conversation_id": "wz-t", "data": {"summary": "Two people at the door", "people": 2}}
    response = await generate(hass, instructions="Who is at the door?", structure=STRUCTURE)
    assert response["data"] == {"summary": "Two people at the door", "people": 2}

    schema = task_bodies(addon)[0]["structure"]
    assert schema["type"] == "object"
    assert set(schema["properties"]) == {"summary", "people"}
    assert schema["properties"]["summary"]["type"] == "string"
    assert schema["properties"]["people"]["type"] == "number"
    assert sorted(schema["required"]) == ["people", "summary"]


async def test_a_structured_answer_given_as_json_text_is_parsed(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    addon.ai_task_answer = {"conversation_id": "wz-t", "data": '{"summary": "Nobody", "people": 0}'}
    response = await generate(hass, instructions="Who is at the door?", structure=STRUCTURE)
    assert response["data"] == {"summary": "Nobody", "people": 0}


async def test_an_answer_not_matching_the_structure_is_an_error(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    addon.ai_task_answer = {"conversation_id": "wz-t", "data": {"summary": "Two people"}}
    with pytest.raises(HomeAssistantError) as err:
        await generate(hass, instructions="Who is at the door?", structure=STRUCTURE)
    assert err.value.translation_key == "invalid_structured_answer"


@pytest.fixture
def media_dir(hass: HomeAssistant, tmp_path: Path) -> Path:
    """A local media folder, set before media_source loads (ai_task depends on it)."""
    hass.config.media_dirs = {"local": str(tmp_path)}
    return tmp_path


async def test_attachments_are_sent_base64(hass: HomeAssistant, media_dir: Path, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    image = b"\xff\xd8\xff\xe0fake-jpeg"
    (media_dir / "door.jpg").write_bytes(image)

    await generate(
        hass,
        instructions="Who is at the door?",
        attachments=[{"media_content_id": "media-source://media_source/local/door.jpg", "media_content_type": "image/jpeg"}],
    )
    assert task_bodies(addon)[0]["attachments"] == [
        {"mime_type": "image/jpeg", "data": base64.b64encode(image).decode(), "filename": "door.jpg"}
    ]


async def test_the_addon_refusing_the_task_is_a_translated_error(hass: HomeAssistant, addon: FakeAddon, loaded: MockConfigEntry) -> None:
    addon.errors["/api/integration/ai_task"] = (429, "budget_exhausted", "The daily budget is used up")
    with pytest.raises(HomeAssistantError) as err:
        await generate(hass, instructions="anything")
    assert err.value.translation_key == "rejected"
    assert str(err.value) == "Wactorz refused the request: The daily budget is used up"
