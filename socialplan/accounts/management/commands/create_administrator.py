"""manage.py create_administrator [--email admin@example.org]

Creates the platform administrator with a generated password, printed once.
Does nothing (and prints nothing secret) when the administrator exists.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from socialplan.accounts.services import create_administrator


class Command(BaseCommand):
    help = "Create the platform administrator with a generated password, printed once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default="admin@example.org")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        user, password = create_administrator(email=email)
        if password is None:
            self.stdout.write(f"The administrator {user.email} already exists; its password is unchanged.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                "\nAdministrator created. Write the password down: it is shown only this once.\n"
                f"  email:    {user.email}\n  password: {password}\n"
            )
        )
