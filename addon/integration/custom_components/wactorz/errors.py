"""The client's errors as Home Assistant errors with translated messages (never a stack trace)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .api import WactorzApiError, WactorzAuthError, WactorzError
from .const import DOMAIN

if TYPE_CHECKING:
    from . import WactorzConfigEntry


def as_ha_error(err: WactorzError, entry: WactorzConfigEntry | None = None) -> HomeAssistantError:
    """The error to raise; a refused token also starts the reauth flow of the entry."""
    if isinstance(err, WactorzAuthError):
        if entry is not None:
            entry.async_start_reauth(entry.runtime_data.coordinator.hass)
        return HomeAssistantError(translation_domain=DOMAIN, translation_key="invalid_auth")
    if isinstance(err, WactorzApiError):
        placeholders = {"code": err.code, "message": err.message}
        if err.status == 404:
            return ServiceValidationError(translation_domain=DOMAIN, translation_key="not_found", translation_placeholders=placeholders)
        if 400 <= err.status < 500:
            return ServiceValidationError(translation_domain=DOMAIN, translation_key="rejected", translation_placeholders=placeholders)
        return HomeAssistantError(translation_domain=DOMAIN, translation_key="api_error", translation_placeholders=placeholders)
    return HomeAssistantError(translation_domain=DOMAIN, translation_key="cannot_connect")
