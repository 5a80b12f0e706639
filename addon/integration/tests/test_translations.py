"""Translations: every message the code raises or speaks, every action and field, is translated."""

from __future__ import annotations

import json
from pathlib import Path
import re

import yaml

PACKAGE = Path(__file__).parent.parent / "custom_components" / "wactorz"
STRINGS = json.loads((PACKAGE / "strings.json").read_text())


def test_english_translation_is_strings_json() -> None:
    assert json.loads((PACKAGE / "translations" / "en.json").read_text()) == STRINGS


def test_every_translation_key_the_code_uses_exists() -> None:
    source = "\n".join(p.read_text() for p in PACKAGE.glob("*.py"))
    keys = set(re.findall(r'translation_key="([a-z_]+)"', source))
    # Keys passed as values (TurnFailed, _async_failure) are exceptions too.
    keys |= set(re.findall(r'_async_failure\([^)]*?"([a-z_]+)"', source, re.S))
    keys |= set(re.findall(r'TurnFailed\("([a-z_]+)"', source))
    assert keys, "no keys found: the pattern no longer matches the code"
    assert keys - set(STRINGS["exceptions"]) == set()


def test_every_action_and_field_is_translated() -> None:
    services = yaml.safe_load((PACKAGE / "services.yaml").read_text())
    for name, spec in services.items():
        assert name in STRINGS["services"], name
        assert set(spec["fields"]) == set(STRINGS["services"][name]["fields"]), name
