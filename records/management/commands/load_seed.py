"""Load the seed fixture into a database that holds no curated records yet."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from records.models import Agreement, Event, Source


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
