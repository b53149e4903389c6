"""manage.py export_organizations --format csv|xlsx|json [--output FILE]"""

from pathlib import Path
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialplan.ecosystem.exports import FORMATS, export_organizations


class Command(BaseCommand):
    help = "Export the directory of organizations (public fields, the import template's columns) to CSV, XLSX or JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", dest="file_format", choices=FORMATS, default="csv", help="default csv")
        parser.add_argument("--output", type=Path, help="the file to write (default: standard output)")

    def handle(self, *args: Any, file_format: str, output: Path | None, **options: Any) -> None:
        if output is None:
            out: Any = self.stdout._out
            binary = getattr(out, "buffer", None)
            if file_format == "xlsx" and (binary is None or out.isatty()):
                raise CommandError("XLSX is binary: give --output FILE.")
            export_organizations(file_format=file_format, stream=binary or cast(IO[bytes], _TextStream(out)))
            return
        try:
            with output.open("wb") as stream:
                export_organizations(file_format=file_format, stream=stream)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error}") from error
        self.stderr.write(self.style.SUCCESS(f"Wrote {output}."))


class _TextStream:
    """Bytes written to a text stream (standard output replaced by a StringIO, as in tests)."""

    def __init__(self, text: IO[str]) -> None:
        self.text = text

    def write(self, data: bytes) -> int:
        return self.text.write(data.decode("utf-8"))
