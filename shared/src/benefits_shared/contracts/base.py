"""The base of every event payload and the registry of types."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

from benefits_shared.cloudevents import CloudEvent, deterministic_id_text, event_type

REGISTRY: dict[str, type[Contract]] = {}
C = TypeVar("C", bound="Contract")


class Contract(BaseModel):
    """A versioned event payload. Subclasses set ``NAME``, ``VERSION`` and ``TOPIC``."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    NAME: ClassVar[str]
    VERSION: ClassVar[int] = 1
    TOPIC: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "NAME" in cls.__dict__:
            REGISTRY[cls.type_name()] = cls

    @classmethod
    def type_name(cls) -> str:
        return event_type(cls.NAME, cls.VERSION)

    def identity(self) -> tuple[str, ...]:
        """The business identity the event id is derived from."""
        raise NotImplementedError

    def event_id(self) -> str:
        """The ``ce_id`` of this event: its type and business identity, hashed."""
        return deterministic_id_text(self.type_name(), *self.identity())

    def to_cloudevent(self, source: str, time: datetime, subject: str | None) -> CloudEvent:
        """The envelope; ``subject`` is a keyed PIN hash (never a PIN) or None."""
        return CloudEvent(
            id=self.event_id(),
            source=source,
            type=self.type_name(),
            time=time,
            data=self.model_dump(mode="json"),
            subject=subject,
        )

    def envelope(self, source: str, time: datetime, subject: str | None) -> CloudEvent:
        """``to_cloudevent`` without ``data``: the headers of a record whose value is
        :meth:`kafka_value` (where events are made by the thousand, as a connector's are)."""
        return CloudEvent(self.event_id(), source, self.type_name(), time, {}, subject)

    def kafka_value(self) -> bytes:
        """The Kafka value: the JSON of ``to_cloudevent(...).value()`` written by pydantic's
        serializer from the model, in a third of the time (floats aside, byte for byte)."""
        return self.model_dump_json().encode()


def parse(event: CloudEvent) -> Contract:
    """The payload model of a CloudEvent; KeyError for a type we do not know."""
    return REGISTRY[event.type].model_validate(event.data)


def parse_as(model: type[C], event: CloudEvent) -> C:
    return model.model_validate(event.data)
