"""Load the seed fixture into a database that holds no curated records yet."""

from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

from records.models import Agreement, Event, Source

SEED_REASON = "Loaded from the seed data"


class Command(BaseCommand):
    help = (
        "Load fixtures/seed.json unless the database already holds curated records. Used on every "
        "start (make run, docker compose): reloading would revert curators' edits to seed records. "
        "To reload on purpose, run `manage.py loaddata seed`."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if Source.objects.exists() or Event.objects.exists() or Agreement.objects.exists():
            self.stdout.write("The database already holds curated records; the seed was not loaded again.")
            return
        call_command("loaddata", "seed", verbosity=options["verbosity"])
        record_first_versions()


def record_first_versions() -> None:
    """Give every row without history its first version, so its first edit can be undone.

    loaddata saves raw, which history skips (only its many-to-many updates leave a trace).
    """
    for model in apps.get_app_config("records").get_models():
        if not hasattr(model._meta, "simple_history_manager_attribute"):
            continue
        pk_name = model._meta.pk.attname
        # The database was empty: every history row so far comes from this load.
        model.history.filter(history_change_reason__isnull=True).update(history_change_reason=SEED_REASON)
        missing = list(model._base_manager.exclude(pk__in=model.history.values(pk_name)))
        model.history.bulk_history_create(missing, default_change_reason=SEED_REASON)
