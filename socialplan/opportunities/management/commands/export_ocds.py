"""manage.py export_ocds [--output FILE] [--uri URI]"""

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from socialplan.opportunities.ocds_export import export_ocds


class Command(BaseCommand):
    help = (
        "Write every opportunity of the registry (demo ones excepted) as an OCDS 1.1 release package, "
        "to a file or to standard output. See docs/ocds.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="the file to write (default: standard output)")
        parser.add_argument("--uri", default="", help="where the package will be published (default: the site's)")

    def handle(self, *args: Any, output: Path | None, uri: str, **options: Any) -> None:
        address = uri or f"{settings.PORTAL_BASE_URL}/ocds/release-package.json"
        if output is None:
            count = export_ocds(sys.stdout, uri=address)
            return
        with output.open("w", encoding="utf-8") as stream:
            count = export_ocds(stream, uri=address)
        self.stderr.write(f"{count} releases written to {output}.")
