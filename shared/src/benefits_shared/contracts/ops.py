"""``ops-commands`` and ``ops-replies``: what ops staff ask the services, and their answers.

The ops service never writes another service's tables (ADR 12): it publishes a command on
``ops-commands``, keyed by the command id (a cancel by the id of the command it cancels,
so that both are on one partition, in order). Each service consumes the topic with a group
of its own and ignores the types that are not its own: the eligibility engine runs
replays and shadow runs and takes cancellations; the notifier retries parked notices. They
answer on ``ops-replies``, keyed by the command id, which the ops service projects.

A command's id is chosen by whoever sends it (a uuid4) and is its identity: the same
command delivered twice is run once. Commands are imperative (``ReplayCases``), answers
past-tense facts (``ReplayProgressed``). Payloads may carry PINs (the selection of one
person, a recipient in a difference); keys never do.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from benefits_shared.contracts.base import Contract
from benefits_shared.topics import OPS_COMMANDS, OPS_REPLIES

SelectionKind = Literal["topic_time", "topic_offsets", "person", "everything"]
ReplayMode = Literal["dry_run", "apply", "shadow"]
RunState = Literal["started", "running", "completed", "cancelled", "failed"]


class ReplaySelection(BaseModel):
    """Which recorded events (and so which cases) a replay or shadow run covers.

    - ``topic_time``: the records of ``topic`` whose timestamp is in [``since``, ``until``)
      (either end open when None);
    - ``topic_offsets``: the records of ``topic`` partition ``partition`` with offsets
      ``offset_from`` … ``offset_to`` inclusive (``offset_to`` None: to the end);
    - ``person``: every case that names ``pin`` (as child, parent, holder, deceased,
      informant);
    - ``everything``: every case the engine knows.

    ``topic`` is the catalog name (``life-events``); a service maps it to its own.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    kind: SelectionKind
    topic: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    partition: int | None = Field(default=None, ge=0)
    offset_from: int | None = Field(default=None, ge=0)
    offset_to: int | None = Field(default=None, ge=0)
    pin: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> ReplaySelection:
        if self.kind in ("topic_time", "topic_offsets") and not self.topic:
            raise ValueError(f"a {self.kind} selection names its topic")
        if self.kind == "topic_offsets" and (self.partition is None or self.offset_from is None):
            raise ValueError("an offset selection names its partition and first offset")
        if self.kind == "person" and not self.pin:
            raise ValueError("a person selection names the PIN")
        return self

    def describe(self) -> str:
        """What is selected, in words, without the PIN."""
        if self.kind == "topic_time":
            since = self.since.isoformat(timespec="minutes") if self.since else "the start"
            until = self.until.isoformat(timespec="minutes") if self.until else "now"
            return f"{self.topic} from {since} to {until}"
        if self.kind == "topic_offsets":
            end = self.offset_to if self.offset_to is not None else "the end"
            return f"{self.topic}[{self.partition}] offsets {self.offset_from}…{end}"
        if self.kind == "person":
            return "the cases of one person"
        return "every case"


class OpsCommand(Contract):
    """What every command carries: its id, who asked and why (for the audit log)."""

    TOPIC: ClassVar[str] = OPS_COMMANDS.name

    command_id: str
    requested_by: str
    reason: str = ""

    def identity(self) -> tuple[str, ...]:
        return (self.command_id,)


class ReplayCases(OpsCommand):
    """Re-decide the selected cases with the current facts and parameters.

    ``dry_run`` publishes nothing and reports the decisions that would differ from each
    case's last published one; ``apply`` publishes exactly those, once. ``horizon``: the
    day up to which a monthly allowance is valued in AZN (None: the engine's today).
    """

    NAME: ClassVar[str] = "replay-cases"

    selection: ReplaySelection
    mode: Literal["dry_run", "apply"] = "dry_run"
    horizon: date | None = None


class RunShadow(OpsCommand):
    """Decide the selected cases under changed parameters and report what would differ.

    ``parameter_files``: file name (``birth_grant.yaml``) → its full YAML text; each
    replaces the packaged file of that name. Nothing is published, stored or paid.
    """

    NAME: ClassVar[str] = "run-shadow"

    selection: ReplaySelection
    parameter_files: dict[str, str]
    label: str = "uploaded"
    horizon: date | None = None


class CancelCommand(OpsCommand):
    """Stop a running replay or shadow run after the slice in hand (keyed by its id)."""

    NAME: ClassVar[str] = "cancel-command"

    target_command_id: str


class RetryNotice(OpsCommand):
    """Give a notice parked as undeliverable a fresh set of attempts (same key and body)."""

    NAME: ClassVar[str] = "retry-notice"

    notice_id: str


class DecisionSide(BaseModel):
    """One side of a difference: a decision as published (old) or as it would be (new).

    ``worth``: what it gives in AZN (a grant's amount, an allowance's payroll through the
    run's horizon, anything else 0). ``error``: the rules could not decide (a parameter
    not in force), then every other field is empty.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    decision_id: str | None = None
    outcome: str | None = None
    reason: str | None = None
    recipient_pin: str | None = None
    amount: Decimal | None = None
    worth: Decimal = Decimal("0.00")
    rule_version: str | None = None
    parameters: dict[str, str] = Field(default_factory=dict)
    error: str | None = None


class CaseDifference(BaseModel):
    """A case whose decision would change: old (None: never decided) and new.

    ``delta``: new worth minus old worth, in AZN; 0 when the rules could not decide
    (``new.error``): such a case is shown, never counted as money saved.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    case_id: str
    benefit: str
    old: DecisionSide | None = None
    new: DecisionSide
    delta: Decimal


class ReplayProgressed(Contract):
    """A step of a replay or shadow run, in order (``seq`` from 0).

    ``started`` carries the number of cases selected; each ``running`` step the cases done
    so far and the differences found in its slice (so a large run never makes a large
    record); the last is ``completed``, ``cancelled`` or ``failed`` (with ``error``), with
    the run's totals. ``published``: decisions put in the outbox so far (apply only).
    """

    NAME: ClassVar[str] = "replay-progressed"
    TOPIC: ClassVar[str] = OPS_REPLIES.name

    command_id: str
    seq: int
    mode: ReplayMode
    state: RunState
    selection: str
    cases_total: int
    cases_done: int
    differences: tuple[CaseDifference, ...] = ()
    changed_so_far: int = 0
    delta_so_far: Decimal = Decimal("0.00")
    published: int = 0
    horizon: date | None = None
    error: str | None = None

    def identity(self) -> tuple[str, ...]:
        return (self.command_id, str(self.seq))


class NoticeRetryAnswered(Contract):
    """The notifier's answer to ``RetryNotice``: ``retried`` (pending again, to be sent
    with the same key and body), ``not_parked`` (it was not parked: nothing done) or
    ``unknown_notice``."""

    NAME: ClassVar[str] = "notice-retry-answered"
    TOPIC: ClassVar[str] = OPS_REPLIES.name

    command_id: str
    notice_id: str
    outcome: Literal["retried", "not_parked", "unknown_notice"]
    state: str | None = None

    def identity(self) -> tuple[str, ...]:
        return (self.command_id,)
