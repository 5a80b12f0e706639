"""AI Task: `ai_task.generate_data` run by the add-on's model, under its budget and ledger."""

from __future__ import annotations

import base64
import contextlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import probatio

from homeassistant.components import ai_task, conversation
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import llm
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import AiTaskRequest, Attachment, WactorzError
from .const import DOMAIN, LOGGER
from .entity import WactorzEntity
from .errors import as_ha_error

if TYPE_CHECKING:
    from . import WactorzConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: WactorzConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One AI Task entity per server."""
    async_add_entities([WactorzAITaskEntity(entry)])


def structure_schema(structure: probatio.Schema) -> dict[str, Any]:
    """The task's structure as JSON Schema, the way Home Assistant's own AI Task integrations send it."""
    schema: dict[str, Any] = probatio.to_openapi(structure, custom_serializer=llm.selector_serializer, openapi_version="3.1.0")
    return schema


def _read_attachments(attachments: list[conversation.Attachment]) -> list[Attachment]:
    """Runs in the executor: the files are on disk (camera snapshots, media)."""
    return [
        {
            "mime_type": a.mime_type,
            "data": base64.b64encode(Path(a.path).read_bytes()).decode(),
            "filename": Path(a.path).name,
        }
        for a in attachments
    ]


class WactorzAITaskEntity(WactorzEntity, ai_task.AITaskEntity):
    """ai_task.wactorz."""

    _attr_name = None
    _attr_supported_features = ai_task.AITaskEntityFeature.GENERATE_DATA | ai_task.AITaskEntityFeature.SUPPORT_ATTACHMENTS

    def __init__(self, entry: WactorzConfigEntry) -> None:
        """One per server."""
        super().__init__(entry, "ai_task")
        self.entry = entry

    async def _async_generate_data(self, task: ai_task.GenDataTask, chat_log: conversation.ChatLog) -> ai_task.GenDataTaskResult:
        """Send the task; check a structured answer against the structure before handing it over."""
        attachments = await self.hass.async_add_executor_job(_read_attachments, task.attachments or [])
        request: AiTaskRequest = {
            "task_name": task.name,
            "instructions": task.instructions,
            "structure": structure_schema(task.structure) if task.structure else None,
            "attachments": attachments,
        }
        try:
            answer = await self.entry.runtime_data.client.ai_task(request)
        except WactorzError as err:
            raise as_ha_error(err, self.entry) from err
        data = answer.get("data") if isinstance(answer, dict) else None
        if task.structure:
            data = self._validated(task, data)
        elif not isinstance(data, str):
            data = json.dumps(data)
        text = data if isinstance(data, str) else json.dumps(data)
        chat_log.async_add_assistant_content_without_tools(conversation.AssistantContent(agent_id=self.entity_id, content=text))
        return ai_task.GenDataTaskResult(conversation_id=chat_log.conversation_id, data=data)

    def _validated(self, task: ai_task.GenDataTask, data: Any) -> Any:
        assert task.structure is not None
        if isinstance(data, str):
            # A model may answer with the JSON as text; the structure decides if that is fine.
            with contextlib.suppress(ValueError):
                data = json.loads(data)
        try:
            return task.structure(data)
        except probatio.Invalid as err:
            LOGGER.warning("Wactorz answered task %s with data that does not match its structure: %s", task.name, err)
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="invalid_structured_answer",
                translation_placeholders={"error": str(err)},
            ) from err
