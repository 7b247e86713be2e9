"""Rebuild fixtures/seed.json from fixtures/curated/seed.yaml (see records/seed.py)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from records.seed import OUTPUT_FILE, SeedError, build_fixture, render


class Command(BaseCommand):
    help = "Validate the curated seed file and write the seed fixture (fixtures/seed.json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail if fixtures/seed.json is not what the curated file builds.",
        )

    def handle(self, *args: Any, check: bool, **options: Any) -> None:
        try:
            fixture = build_fixture()
        except SeedError as error:
            raise CommandError(f"The curated seed file is inconsistent: {error}") from error
        text = render(fixture)
        if check:
            current = OUTPUT_FILE.read_text(encoding="utf-8") if OUTPUT_FILE.exists() else ""
            if current != text:
                raise CommandError(f"{OUTPUT_FILE} is out of date: run `python manage.py build_seed`.")
            self.stdout.write(f"{OUTPUT_FILE.name} is up to date ({len(fixture)} objects).")
            return
        OUTPUT_FILE.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(fixture)} objects to {OUTPUT_FILE}."))
