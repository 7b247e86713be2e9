"""Writes with rules that span records: the review workflow, stale-edit checks, restoring.

The admin, the API and the import all call these, so a rule holds however a change arrives.
Each function is all-or-nothing: it checks every record first and changes none when one fails.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Prefetch
from django.utils import timezone

from records.models import Agreement, Citation, CuratedRecord, Event, Observation, PublicationStatus

# The kinds of record that must cite a source before they are published.
CITED_MODELS: tuple[type[CuratedRecord], ...] = (Event, Agreement, Observation)

# Rows deleted with a record (by cascade) are restored with it when their deletion falls this
# close to the record's own; a row deleted separately, earlier or later, stays deleted.
CASCADE_WINDOW = datetime.timedelta(seconds=5)


class WorkflowError(Exception):
    """A change refused; ``problems`` says, record by record, why."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(" ".join(problems))


class StaleRecordError(Exception):
    """The record changed since the person (or client) saving it read it."""

    def __init__(self, record: str, changed_by: str, changed_at: datetime.datetime | None, deleted: bool) -> None:
        self.record, self.changed_by, self.changed_at, self.deleted = record, changed_by, changed_at, deleted
        when = timezone.localtime(changed_at).strftime("%d %b %Y %H:%M %Z") if changed_at else "an unknown time"
        verb = "deleted" if deleted else "changed"
        super().__init__(f"“{record}” was {verb} by {changed_by} at {when} since you opened it.")


@dataclass(frozen=True)
class Transition:
    verb: str  # "publish": what the person does
    done: str  # "published": what the record becomes, for messages and history
    allowed_from: frozenset[str]
    allowed_label: str  # which records may take this step, for the refusal message
    target: str
    needs_publish_permission: bool


SUBMIT = Transition(
    "submit for review",
    "submitted for review",
    frozenset({PublicationStatus.DRAFT}),
    "a draft",
    PublicationStatus.IN_REVIEW,
    needs_publish_permission=False,
)
PUBLISH = Transition(
    "publish",
    "published",
    frozenset({PublicationStatus.IN_REVIEW}),
    "a record in review",
    PublicationStatus.PUBLISHED,
    needs_publish_permission=True,
)
WITHDRAW = Transition(
    "withdraw",
    "withdrawn to draft",
    frozenset({PublicationStatus.IN_REVIEW, PublicationStatus.PUBLISHED}),
    "a record in review or published",
    PublicationStatus.DRAFT,
    needs_publish_permission=True,
)


def can_publish(user: Any, model: type[models.Model]) -> bool:
    """Whether ``user`` holds the Editor's right to publish and withdraw records of ``model``."""
    return bool(user.has_perm(f"records.publish_{model._meta.model_name}"))


def submit_for_review(*, records: Iterable[CuratedRecord], by: Any) -> int:
    """Draft → in review. Any curator may submit."""
    return _apply(SUBMIT, records, by)


def publish(*, records: Iterable[CuratedRecord], by: Any) -> int:
    """In review → published, for an editor, and only for records that can be checked by the public."""
    return _apply(PUBLISH, records, by)


def withdraw(*, records: Iterable[CuratedRecord], by: Any) -> int:
    """Published or in review → draft, for an editor: the record disappears from public view."""
    return _apply(WITHDRAW, records, by)


def publication_problems(record: CuratedRecord) -> list[str]:
    """Why ``record`` cannot be published yet; empty when it can.

    Reads ``record.citations`` (and an observation's indicator): prefetch them for many records.
    """
    problems = []
    if isinstance(record, CITED_MODELS) and not any(
        citation.source.status == PublicationStatus.PUBLISHED for citation in record.citations.all()
    ):
        problems.append(
            f"“{record}” cannot be published: it has no citation to a published source. "
            "Add a citation (and publish its source) first."
        )
    if isinstance(record, Observation) and record.indicator.status != PublicationStatus.PUBLISHED:
        problems.append(f"“{record}” cannot be published before its indicator “{record.indicator}”.")
    return problems


def _apply(transition: Transition, records: Iterable[CuratedRecord], by: Any) -> int:
    records = list(records)
    if not records:
        return 0
    model = type(records[0])
    plural = model._meta.verbose_name_plural
    with transaction.atomic():
        if transition.needs_publish_permission and not can_publish(by, model):
            raise WorkflowError([f"You may not {transition.verb} {plural}: that is for an editor."])
        if not by.has_perm(f"records.change_{model._meta.model_name}"):
            raise WorkflowError([f"You may not change {plural}."])
        locked = _locked(model, [record.pk for record in records])
        problems = []
        for record in locked:
            if record.status not in transition.allowed_from:
                problems.append(
                    f"“{record}” is {record.get_status_display().lower()}; "
                    f"only {transition.allowed_label} can be {transition.done}."
                )
            elif transition.target == PublicationStatus.PUBLISHED:
                problems += publication_problems(record)
        if problems:
            raise WorkflowError(problems)
        for record in locked:
            record.status = transition.target
            record.updated_by = by
            record._history_user = by
            record._change_reason = transition.done.capitalize()
            record.save(update_fields=["status", "updated_by", "updated_at"])
    return len(locked)


def _locked(model: type[CuratedRecord], pks: list[Any]) -> list[CuratedRecord]:
    queryset = model._base_manager.select_for_update().filter(pk__in=pks).order_by("pk")
    if issubclass(model, CITED_MODELS):
        # select_for_update cannot lock the nullable side of an outer join; prefetch instead.
        queryset = queryset.prefetch_related(Prefetch("citations", queryset=Citation.objects.select_related("source")))
    if model is Observation:
        queryset = queryset.prefetch_related("indicator")
    return list(queryset)


def ensure_unchanged(*, model: type[models.Model], pk: Any, seen_version: int) -> None:
    """Lock the record and raise ``StaleRecordError`` if it moved on from ``seen_version``.

    Call inside the transaction that saves it, so nobody can slip in between check and save.
    """
    current = model._base_manager.select_for_update().filter(pk=pk).first()
    if current is not None and current.version == seen_version:
        return
    if current is None:
        last = model.history.filter(**{model._meta.pk.attname: pk}).order_by("-history_date").first()
        label = str(last.instance) if last else f"{model._meta.verbose_name} {pk}"
        raise StaleRecordError(
            label, _user_label(last.history_user if last else None), last and last.history_date, True
        )
    who, when = last_change(current)
    raise StaleRecordError(str(current), who, when, False)


def last_change(record: models.Model) -> tuple[str, datetime.datetime | None]:
    """Who changed ``record`` last, and when, from its history."""
    entry = record.history.order_by("-history_date").select_related("history_user").first()
    if entry is None:
        return "someone", None
    return _user_label(entry.history_user), entry.history_date


def _user_label(user: Any) -> str:
    return user.get_username() if user is not None else "someone"


def deleted_records(model: type[models.Model]) -> list[Any]:
    """The last historical version of each deleted ``model`` record, newest deletion first."""
    pk_name = model._meta.pk.attname
    deletions = (
        model.history.filter(history_type="-")
        .exclude(**{f"{pk_name}__in": model._base_manager.values("pk")})
        .select_related("history_user")
        .order_by("-history_date")
    )
    seen, latest = set(), []
    for entry in deletions:
        key = getattr(entry, pk_name)
        if key not in seen:
            seen.add(key)
            latest.append(entry)
    return latest


def restore_deleted(*, model: type[models.Model], pk: Any, by: Any) -> models.Model:
    """Bring back a deleted record as it was, with its links and the rows deleted with it.

    A published record comes back published only for someone who may publish; anyone else
    gets it back as a draft, to go through review again.
    """
    with transaction.atomic():
        return _restore_one(model, pk, by)


def _restore_one(model: type[models.Model], pk: Any, by: Any) -> models.Model:
    pk_name = model._meta.pk.attname
    label = model._meta.verbose_name
    if model._base_manager.filter(pk=pk).exists():
        raise WorkflowError([f"This {label} exists; there is nothing to restore."])
    history = model.history.filter(**{pk_name: pk}).order_by("-history_date", "-history_id")
    deletion = history.first()
    if deletion is None or deletion.history_type != "-":
        raise WorkflowError([f"No deleted {label} with id {pk} is known."])
    before = history.exclude(history_type="-").first()

    record = deletion.instance
    record.version = deletion.version + 1
    if isinstance(record, CuratedRecord):
        if record.status == PublicationStatus.PUBLISHED and not can_publish(by, model):
            record.status = PublicationStatus.DRAFT
        record.updated_by = by
    record._history_user = by
    record._change_reason = "Restored after deletion"
    try:
        with transaction.atomic():
            record.save(force_insert=True)
    except IntegrityError as error:
        raise WorkflowError(
            [f"“{record}” cannot be restored: another record now holds its slug or key ({error})."]
        ) from error
    if hasattr(deletion, "created_at"):
        # Saving as new stamped today's date; the record was created when it first was.
        model._base_manager.filter(pk=pk).update(created_at=deletion.created_at)

    if before is not None:
        for field in getattr(before, "_history_m2m_fields", []):
            target = field.m2m_reverse_field_name()
            ids = getattr(before, field.name).values_list(f"{target}_id", flat=True)
            getattr(record, field.name).set(list(ids))

    for relation in model._meta.related_objects:
        child = relation.related_model
        if relation.on_delete is not models.CASCADE or not hasattr(child, "history"):
            continue
        child_pk = child._meta.pk.attname
        deleted_children = (
            child.history.filter(
                history_type="-",
                history_date__gte=deletion.history_date - CASCADE_WINDOW,
                history_date__lte=deletion.history_date + CASCADE_WINDOW,
                **{relation.field.attname: pk},
            )
            .exclude(**{f"{child_pk}__in": child._base_manager.values("pk")})
            .values_list(child_pk, flat=True)
            .distinct()
        )
        for child_id in list(deleted_children):
            if not child._base_manager.filter(pk=child_id).exists():
                _restore_one(child, child_id, by)
    return record
