"""Keeping search documents current (see records/search.py).

Infrastructure, not rules: a record's searchable text changes when it is saved (loaddata
included), when one of its citations is saved or deleted, and when a source it cites is saved
(its quotes count only while the source is published).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from records import search
from records.models import Agreement, Citation, Event, Source

SEARCHABLE = (Event, Agreement, Source)


def refresh_record(sender: Any, instance: Any, **kwargs: Any) -> None:
    search.refresh(instance)


def refresh_citing_records(sender: Any, instance: Source, **kwargs: Any) -> None:
    # A source's quotes count for search only while it is published (records/search.py).
    for model, field in ((Event, "citations__source"), (Agreement, "citations__source")):
        for record in model._base_manager.filter(**{field: instance}).distinct():
            search.refresh(record)


def refresh_cited_record(sender: Any, instance: Citation, **kwargs: Any) -> None:
    # By id: when a record is deleted its citations go first, and the record may be half gone.
    for model, pk in ((Event, instance.event_id), (Agreement, instance.agreement_id)):
        record = model._base_manager.filter(pk=pk).first() if pk is not None else None
        if record is not None:
            search.refresh(record)


def connect() -> None:
    for model in SEARCHABLE:
        post_save.connect(refresh_record, sender=model, dispatch_uid=f"search-{model.__name__}")
    post_save.connect(refresh_citing_records, sender=Source, dispatch_uid="search-source-status")
    post_save.connect(refresh_cited_record, sender=Citation, dispatch_uid="search-citation-save")
    post_delete.connect(refresh_cited_record, sender=Citation, dispatch_uid="search-citation-delete")
