"""Stream OCDS releases out of a file of any common shape, with flat memory.

Shapes read: a release package (`{"version": "1.1", ..., "releases": [...]}`),
a record package (`{"records": [{"compiledRelease": ..., "releases": [...]}]}`),
a list of (compiled) releases (a top-level array, or an object whose only array
is `releases` and which carries no package metadata, as ANAC's sample does),
a single release, and JSON Lines (one release or package per line); any of
them gzip-compressed when the file name ends in `.gz`.

Nothing loads the whole file: arrays are walked item by item with ijson (its C
backend when installed), JSON Lines line by line. Each release comes with its
position (array index or line number) so that every message can name it.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

# ijson picks its fastest backend by itself: yajl2_c, compiled in the wheel.
import ijson

# The OCDS version this reader accepts: packages declare "major.minor"; a package
# without "version" is OCDS 1.0 (the field arrived in 1.1) and is refused.
SUPPORTED_VERSION = "1.1"
PACKAGE_METADATA = frozenset(
    {"uri", "version", "publisher", "publishedDate", "extensions", "license", "publicationPolicy"}
)
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")
UTF8_BOM = b"\xef\xbb\xbf"
# How far into the file the package metadata may reach before its releases start.
HEAD_LIMIT = 16 * 1024 * 1024
CHUNK = 64 * 1024


class Readable(Protocol):
    """A binary stream: a file opened "rb", a gzip file, a socket reader, io.BytesIO."""

    def read(self, size: int = -1, /) -> bytes | None: ...


class OcdsError(Exception):
    """The file cannot be read as OCDS: the message names the file, the position and the reason."""


class ReleaseError(OcdsError):
    """One release cannot be used; the other releases of the file can."""


@dataclass(frozen=True)
class RawRelease:
    """One release as found in the file, with where it was found."""

    data: Any
    source: str
    index: int  # 0-based position in its array (or in its line's package)
    line: int | None = None

    @property
    def location(self) -> str:
        if self.line is not None:
            return f"{self.source}, line {self.line}" + (f", release {self.index + 1}" if self.index else "")
        return f"{self.source}, release {self.index + 1}"

    @property
    def ocid(self) -> str | None:
        ocid = self.data.get("ocid") if isinstance(self.data, dict) else None
        return ocid if isinstance(ocid, str) and ocid.strip() else None


def iter_releases(
    path_or_file: str | Path | Readable | io.TextIOBase, *, json_lines: bool | None = None
) -> Iterator[RawRelease]:
    """Yield every release of the file; raise OcdsError when the file as a whole is unreadable.

    A release without ocid is still yielded (`parse_release` rejects it with a
    ReleaseError): the caller reports it and goes on with the others.
    `json_lines` forces or forbids the JSON Lines reading; by default the file
    name or, failing that, the content decides.
    """
    if isinstance(path_or_file, str | Path):
        path = Path(path_or_file)
        compressed = path.suffix.lower() == ".gz"
        try:
            stream = gzip.open(path, "rb") if compressed else path.open("rb")  # noqa: SIM115 (closed below)
        except OSError as error:
            raise OcdsError(f"{path}: cannot be opened ({error.strerror})") from error
        # ANAC publishes its releases as `2025.jsonl.gz`: the name without `.gz` tells the shape.
        name = path.stem if compressed else path.name
        with stream:
            try:
                yield from _iter_stream(stream, name, json_lines)
            except (gzip.BadGzipFile, EOFError) as error:
                raise OcdsError(f"{path.name}: damaged gzip file ({error})") from error
    else:
        name = str(getattr(path_or_file, "name", "<stream>"))
        yield from _iter_stream(_binary(path_or_file), Path(name).name, json_lines)


def _binary(stream: Any) -> Readable:
    if isinstance(stream, io.TextIOBase):
        # A text stream: read its bytes, or (in memory already) encode it.
        return stream.buffer if hasattr(stream, "buffer") else io.BytesIO(stream.read().encode())
    return stream  # type: ignore[no-any-return]


def _iter_stream(stream: Readable, source: str, json_lines: bool | None) -> Iterator[RawRelease]:
    head = stream.read(CHUNK) or b""
    if head.startswith(UTF8_BOM):
        head = head[len(UTF8_BOM) :]
    whole = _Replay(head, stream)
    if json_lines is None:
        json_lines = source.lower().endswith(JSON_LINES_SUFFIXES) or _looks_like_json_lines(head)
    if json_lines:
        yield from _iter_json_lines(whole, source)
    else:
        yield from _iter_json(whole, source)


def _looks_like_json_lines(head: bytes) -> bool:
    """True when the first line is a whole JSON object and another value follows it."""
    first, newline, rest = head.lstrip().partition(b"\n")
    if not newline or not first.startswith(b"{") or not rest.strip():
        return False
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


class _Replay(io.RawIOBase):
    """The bytes already read from a stream, then the rest of the stream: works on pipes too."""

    def __init__(self, head: bytes, rest: Readable) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size < 0:
                data, self._head = self._head + (self._rest.read() or b""), b""
                return data
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._rest.read(size) or b""

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class _Recording(io.RawIOBase):
    """Keeps what is read (while looking for the releases) so that the real pass can start over."""

    def __init__(self, stream: io.RawIOBase) -> None:
        self._stream = stream
        self.recorded: list[bytes] = []
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size) or b""
        self.recorded.append(data)
        self.size += len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _iter_json_lines(stream: io.RawIOBase, source: str) -> Iterator[RawRelease]:
    reader = io.BufferedReader(stream, CHUNK)
    for line_number, line in enumerate(reader, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as error:
            raise OcdsError(f"{source}, line {line_number}: invalid JSON ({_reason(error)})") from error
        if isinstance(value, dict) and isinstance(value.get("releases"), list):
            _check_version(value, source, f"line {line_number}")
            for index, release in enumerate(value["releases"]):
                yield RawRelease(release, source, index, line_number)
        elif isinstance(value, dict) and isinstance(value.get("records"), list):
            _check_version(value, source, f"line {line_number}")
            for index, record in enumerate(value["records"]):
                yield RawRelease(_release_of_record(record), source, index, line_number)
        else:
            yield RawRelease(value, source, 0, line_number)


def _iter_json(stream: io.RawIOBase, source: str) -> Iterator[RawRelease]:
    shape = _scan_head(stream, source)
    replay = _Replay(b"".join(shape.recording.recorded), stream)
    if shape.kind == "array":
        yield from _items(replay, "item", source, lambda item: item)
        return
    if shape.kind == "release":
        if PACKAGE_METADATA & shape.metadata.keys():
            raise OcdsError(f"{source}: a package without releases or records")
        yield from _items(replay, "", source, lambda item: item)
        return
    key = shape.kind
    pick = _release_of_record if key == "records" else (lambda item: item)
    if PACKAGE_METADATA & shape.metadata.keys():
        _check_version(shape.metadata, source, "package")
        yield from _items(replay, f"{key}.item", source, pick)
    elif shape.keys_before:
        # Keys before the array, none of them OCDS package metadata: a plain
        # list of releases wrapped in an object (ANAC's `_note`, `_source`...).
        yield from _items(replay, f"{key}.item", source, pick)
    else:
        # The array opens the object: metadata, if any, follows it and is
        # checked once the releases are read.
        observer = _TopLevelObserver(replay)
        yield from _items(observer.events(), f"{key}.item", source, pick)
        if PACKAGE_METADATA & observer.metadata.keys():
            _check_version(observer.metadata, source, "package")


@dataclass
class _Shape:
    kind: str  # "array", "release", "releases" or "records"
    metadata: dict[str, Any]
    keys_before: list[str]
    recording: _Recording


def _scan_head(stream: io.RawIOBase, source: str) -> _Shape:
    """Read just enough of the file to know its shape and the metadata before its releases."""
    recording = _Recording(stream)
    metadata: dict[str, Any] = {}
    keys: list[str] = []
    field: str | None = None  # the top-level metadata field being built
    builder = ijson.ObjectBuilder()
    try:
        for prefix, event, value in ijson.parse(recording, buf_size=CHUNK):
            if prefix == "":
                if event == "start_array":
                    return _Shape("array", metadata, keys, recording)
                if event == "map_key":
                    keys.append(value)
                    field = value if value in PACKAGE_METADATA else None
                    builder = ijson.ObjectBuilder()
                elif event == "end_map":
                    return _Shape("release", metadata, keys, recording)
                elif event != "start_map":
                    raise OcdsError(f"{source}: a JSON {event} is not OCDS; expected an object or an array")
            elif prefix in ("releases", "records") and event == "start_array":
                return _Shape(prefix, metadata, keys[:-1], recording)
            elif field is not None and (prefix == field or prefix.startswith(field + ".")):
                # A top-level metadata field: built whole (they are small).
                builder.event(event, value)
                if prefix == field and event not in ("start_map", "start_array"):
                    metadata[field] = builder.value
                    field = None
            if recording.size > HEAD_LIMIT:
                raise OcdsError(f"{source}: no releases or records within the first {HEAD_LIMIT // 2**20} MB")
    except ijson.JSONError as error:
        raise OcdsError(f"{source}, start of file: {_reason(error)}") from error
    raise OcdsError(f"{source}: empty file")


class _TopLevelObserver:
    """Passes parse events through, keeping the top-level scalar fields seen on the way."""

    def __init__(self, stream: io.RawIOBase) -> None:
        self._stream = stream
        self.metadata: dict[str, Any] = {}

    def events(self) -> Iterator[tuple[str, str, Any]]:
        for prefix, event, value in ijson.parse(self._stream, buf_size=CHUNK):
            if "." not in prefix and prefix in PACKAGE_METADATA and event in ("string", "number"):
                self.metadata[prefix] = value
            yield prefix, event, value


def _items(stream: Any, prefix: str, source: str, pick: Any) -> Iterator[RawRelease]:
    index = 0
    try:
        for item in ijson.items(stream, prefix, use_float=True):
            yield RawRelease(pick(item), source, index)
            index += 1
    except ijson.JSONError as error:
        raise OcdsError(f"{source}, release {index + 1}: {_reason(error)}") from error


def _release_of_record(record: Any) -> Any:
    """OCDS records: the compiled release when published, else the most recent release."""
    if not isinstance(record, dict):
        return record
    if isinstance(record.get("compiledRelease"), dict):
        return record["compiledRelease"]
    releases = [release for release in record.get("releases") or [] if isinstance(release, dict)]
    if releases and all("date" in release for release in releases):
        return max(releases, key=lambda release: str(release["date"]))
    if releases:
        return releases[-1]
    return {"ocid": record.get("ocid")} if record.get("ocid") else record


def _check_version(metadata: dict[str, Any], source: str, where: str) -> None:
    version = metadata.get("version")
    if version is None:
        raise OcdsError(
            f'{source}, {where}: no "version" field, so OCDS 1.0 is implied; only OCDS {SUPPORTED_VERSION} is read'
        )
    if not isinstance(version, str):
        raise OcdsError(f'{source}, {where}: "version" must be a string such as "{SUPPORTED_VERSION}"')
    if version != SUPPORTED_VERSION:
        raise OcdsError(f"{source}, {where}: OCDS version {version!r}; only OCDS {SUPPORTED_VERSION} is read")


def _reason(error: Exception) -> str:
    """Truncated or invalid, with the first line of the parser's message (yajl adds a drawing of the spot)."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    # Every backend says "premature EOF" or "Incomplete JSON content" when the file stops early.
    truncated = "premature EOF" in message or "Incomplete JSON" in message
    return f"{'truncated' if truncated else 'invalid'} JSON ({message})"
