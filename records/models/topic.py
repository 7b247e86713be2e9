"""Topics: the controlled list of subjects records are filed under."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from records.models.base import VersionedMixin


class TopicManager(models.Manager):
    def get_by_natural_key(self, slug: str) -> Topic:
        return self.get(slug=slug)


class Topic(VersionedMixin, models.Model):
    """A subject such as "Trade" or "Borders". Reference data: always public."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    objects = TopicManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)
