"""The published description of our topics: JSON Schemas and an AsyncAPI 3 document.

``python -m benefits_shared.contracts.catalog docs/contracts`` writes
``docs/contracts/asyncapi.yaml`` and ``docs/contracts/schemas/<type>.json``. The committed
files are the contract with downstream systems; ``compatibility_problems`` says what a
change would break, and a test runs it against the committed schemas.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

from benefits_shared.contracts.base import REGISTRY
from benefits_shared.topics import CATALOG

CE_HEADERS: dict[str, Any] = {
    "type": "object",
    "required": ["ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time"],
    "properties": {
        "ce_specversion": {"type": "string", "const": "1.0"},
        "ce_id": {"type": "string", "description": "uuid5 of the type and business identity"},
        "ce_source": {"type": "string"},
        "ce_type": {"type": "string"},
        "ce_time": {"type": "string", "format": "date-time"},
        "ce_subject": {"type": "string", "description": "keyed hash of a PIN, never a PIN"},
        "content-type": {"type": "string", "const": "application/json"},
    },
}


def json_schemas() -> dict[str, dict[str, Any]]:
    """Every event type's payload schema, by CloudEvents type."""
    return {name: model.model_json_schema() for name, model in sorted(REGISTRY.items())}


def _message_name(type_name: str) -> str:
    return type_name.removeprefix("az.gov.benefits.").replace(".", "_").replace("-", "_")


def asyncapi() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for topic in CATALOG:
        types = [n for n, m in sorted(REGISTRY.items()) if topic.name == m.TOPIC]
        refs = {
            _message_name(n): {"$ref": f"#/components/messages/{_message_name(n)}"} for n in types
        }
        channels[topic.name] = {
            "address": topic.name,
            "description": f"{topic.doc} Key: {topic.key}. "
            f"{'Compacted. ' if topic.compacted else ''}Dead letters: {topic.dead_letter}.",
            "messages": refs,
        }
        operations[f"receive_{topic.name.replace('-', '_')}"] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{topic.name}"},
        }
        for n in types:
            messages[_message_name(n)] = {
                "name": n,
                "contentType": "application/json",
                "headers": CE_HEADERS,
                "payload": {"$ref": f"schemas/{n}.json"},
            }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Proactive benefits engine events",
            "version": "1.0.0",
            "description": "CloudEvents 1.0 in Kafka binary mode; ce_type is versioned.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }


def render(folder: Path) -> dict[Path, str]:
    """The files of the catalog, by path, as text."""
    files = {folder / "asyncapi.yaml": yaml.safe_dump(asyncapi(), sort_keys=False)}
    for name, schema in json_schemas().items():
        files[folder / "schemas" / f"{name}.json"] = json.dumps(schema, indent=2) + "\n"
    return files


def compatibility_problems(old: dict[str, Any], new: dict[str, Any], path: str = "") -> list[str]:
    """What in ``new`` breaks a consumer or producer written against ``old``.

    Allowed: new optional properties, new ``$defs``. Not allowed: a removed property, a
    changed type, a property that became required or stopped being required.
    """
    problems: list[str] = []
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    for name, spec in old_props.items():
        if name not in new_props:
            problems.append(f"{path}{name}: removed")
        elif _shape(spec) != _shape(new_props[name]):
            problems.append(f"{path}{name}: type changed")
    if set(old.get("required", [])) != set(new.get("required", [])):
        problems.append(f"{path}: required fields changed")
    for name, sub in old.get("$defs", {}).items():
        if name not in new.get("$defs", {}):
            problems.append(f"$defs.{name}: removed")
        else:
            problems += compatibility_problems(sub, new["$defs"][name], f"{name}.")
    return problems


def _shape(spec: dict[str, Any]) -> str:
    keep = {
        k: v
        for k, v in spec.items()
        if k
        in {"type", "$ref", "anyOf", "items", "enum", "const", "format", "additionalProperties"}
    }
    return json.dumps(keep, sort_keys=True)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/contracts")
    for file, text in render(target).items():
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text)
        sys.stdout.write(f"{file}\n")
