"""Create the local admin account for the embedded development database, printing its password once."""

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection


class Command(BaseCommand):
    help = (
        "Create a superuser with a random password on the embedded SQLite development database "
        "and print the password once. Refuses any other database, and runs only with DEBUG on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        if connection.vendor != "sqlite" or not settings.DEBUG:
            raise CommandError(
                "ensure_dev_admin only runs on the embedded SQLite development database with DEBUG on. "
                "On any other database create accounts with `manage.py createsuperuser`."
            )
        user_model = get_user_model()
        if user_model.objects.filter(username=username).exists():
            self.stdout.write(
                f"The local admin account '{username}' exists; its password was printed when it was created "
                f"(reset it with `python manage.py changepassword {username}`)."
            )
            return
        password = secrets.token_urlsafe(18)
        user_model.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the local admin account for http://127.0.0.1:8000/admin/\n"
                f"    username: {username}\n"
                f"    password: {password}\n"
                f"This password is shown only now."
            )
        )
