"""Reading every OCDS file shape in a stream, and refusing broken files with a clear message."""

import gzip
import io
import json
import os
import re
import tracemalloc

import ijson
import pytest

from socialplan.opportunities.ocds import OcdsError, ReleaseError, iter_releases, parse_release

from .conftest import ANAC_HISTORY, ANAC_SAMPLE, write_json


def release(ocid: str, **fields) -> dict:
    return {"ocid": ocid, "id": f"{ocid}-1", "date": "2025-01-08T10:00:00Z", "tag": ["tender"], **fields}


def package(releases: list, **metadata) -> dict:
    return {
        "uri": "https://example.org/p.json",
        "version": "1.1",
        "publishedDate": "2025-01-08T10:00:00Z",
        "publisher": {"name": "Esempio"},
        **metadata,
        "releases": releases,
    }


def test_the_anac_sample_is_read_as_a_list_of_compiled_releases() -> None:
    releases = list(iter_releases(ANAC_SAMPLE))
    assert len(releases) == 12
    assert releases[0].ocid == "ocds-hu01ve-8114164"
    assert [raw.index for raw in releases] == list(range(12))
    assert releases[3].location == "anac_sample_compiled_releases.json, release 4"


def test_the_anac_history_is_read_as_json_lines_with_line_numbers() -> None:
    releases = list(iter_releases(ANAC_HISTORY))
    assert len(releases) == 48
    assert all(raw.ocid and raw.ocid.startswith("ocds-hu01ve-") for raw in releases)
    assert releases[-1].line == 48
    assert releases[-1].location == "anac_history.jsonl, line 48"


def test_a_release_package(tmp_path) -> None:
    path = write_json(tmp_path / "p.json", package([release("ocds-a-1"), release("ocds-a-2")]))
    assert [raw.ocid for raw in iter_releases(path)] == ["ocds-a-1", "ocds-a-2"]


def test_a_record_package_gives_the_compiled_release_or_else_the_latest_release(tmp_path) -> None:
    records = [
        {"ocid": "ocds-a-1", "compiledRelease": release("ocds-a-1", id="compiled"), "releases": [release("ocds-a-1")]},
        {
            "ocid": "ocds-a-2",
            "releases": [
                release("ocds-a-2", id="new", date="2025-02-01T00:00:00Z"),
                release("ocds-a-2", id="old", date="2025-01-01T00:00:00Z"),
            ],
        },
    ]
    path = write_json(
        tmp_path / "r.json",
        {
            "uri": "u",
            "version": "1.1",
            "publisher": {"name": "x"},
            "publishedDate": "2025-01-01T00:00:00Z",
            "records": records,
        },
    )
    assert [raw.data["id"] for raw in iter_releases(path)] == ["compiled", "new"]


def test_a_top_level_array_of_releases(tmp_path) -> None:
    path = write_json(tmp_path / "a.json", [release("ocds-a-1"), release("ocds-a-2"), release("ocds-a-3")])
    assert [raw.index for raw in iter_releases(path)] == [0, 1, 2]


def test_json_lines_are_recognised_by_content_and_a_line_may_hold_a_package(tmp_path) -> None:
    path = tmp_path / "export.json"
    path.write_text(
        json.dumps(release("ocds-a-1"))
        + "\n\n"
        + json.dumps(package([release("ocds-a-2"), release("ocds-a-3")]))
        + "\n"
    )
    releases = list(iter_releases(path))
    assert [(raw.ocid, raw.line) for raw in releases] == [("ocds-a-1", 1), ("ocds-a-2", 3), ("ocds-a-3", 3)]


def test_a_stream_that_cannot_seek_is_read(anac_releases) -> None:
    data = json.dumps(package(anac_releases)).encode()

    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self.stream = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def readinto(self, buffer) -> int:
            chunk = self.stream.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    assert len(list(iter_releases(Pipe()))) == 12


def test_truncated_json_names_the_file_and_the_release(tmp_path, anac_releases) -> None:
    data = json.dumps(package(anac_releases))
    path = tmp_path / "cut.json"
    path.write_text(data[: len(data) // 2])
    with pytest.raises(OcdsError, match=r"cut\.json, release \d+: truncated JSON"):
        list(iter_releases(path))


def test_invalid_json_names_the_line(tmp_path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(release("ocds-a-1")) + '\n{"ocid": "ocds-a-2",, }\n')
    with pytest.raises(OcdsError, match=r"bad\.jsonl, line 2: invalid JSON"):
        list(iter_releases(path))


def test_invalid_json_at_the_start(tmp_path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"releases" [}')
    with pytest.raises(OcdsError, match=r"bad\.json, start of file: invalid JSON"):
        list(iter_releases(path))


@pytest.mark.parametrize(
    ("metadata", "message"),
    [({"version": "1.0"}, "OCDS version '1.0'"), ({"version": None}, "OCDS 1.0 is implied")],
)
def test_a_package_of_another_ocds_version_is_refused(tmp_path, metadata, message) -> None:
    value = package([release("ocds-a-1")], **metadata)
    if metadata["version"] is None:
        del value["version"]
    path = write_json(tmp_path / "old.json", value)
    with pytest.raises(OcdsError, match=message):
        list(iter_releases(path))


def test_a_version_written_after_the_releases_is_checked_too(tmp_path) -> None:
    path = tmp_path / "late.json"
    path.write_text(json.dumps({"releases": [release("ocds-a-1")], "uri": "u", "version": "2.0"}))
    with pytest.raises(OcdsError, match=re.escape("OCDS version '2.0'")):
        list(iter_releases(path))


def test_a_release_without_ocid_is_refused_alone(tmp_path) -> None:
    path = write_json(tmp_path / "p.json", package([release("ocds-a-1"), {"id": "x"}, release("ocds-a-3")]))
    parsed, refused = [], []
    for raw in iter_releases(path):
        try:
            parsed.append(parse_release(raw).ocid)
        except ReleaseError as error:
            refused.append(str(error))
    assert parsed == ["ocds-a-1", "ocds-a-3"]
    assert refused == ["p.json, release 2: the release has no ocid"]


def test_a_value_that_is_not_ocds_is_refused(tmp_path) -> None:
    path = tmp_path / "n.json"
    path.write_text("42")
    with pytest.raises(OcdsError, match="expected an object or an array"):
        list(iter_releases(path))


def write_large_package(path, anac_releases, megabytes: int) -> int:
    """A release package of about `megabytes` MB, written release by release."""
    count = 0
    with path.open("w", encoding="utf-8") as stream:
        stream.write(
            '{"uri": "https://example.org/big.json", "version": "1.1", "publisher": {"name": "x"}, '
            '"publishedDate": "2025-01-01T00:00:00Z", "releases": ['
        )
        size = 0
        while size < megabytes * 2**20:
            for item in anac_releases:
                chunk = json.dumps({**item, "ocid": f"ocds-big-{count}"})
                stream.write(("," if count else "") + chunk)
                size += len(chunk) + 1
                count += 1
        stream.write("]}")
    return count


@pytest.mark.parametrize(
    "megabytes",
    [
        30,
        pytest.param(
            200,
            marks=pytest.mark.skipif(not os.environ.get("OCDS_LARGE_FILE_TEST"), reason="set OCDS_LARGE_FILE_TEST=1"),
        ),
    ],
)
def test_memory_stays_flat_whatever_the_file_size(tmp_path, anac_releases, megabytes) -> None:
    path = tmp_path / "big.json"
    written = write_large_package(path, anac_releases, megabytes)
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_releases(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == written
    # The head buffer (64 KB) plus one release at a time: far below the file size.
    assert peak < 4 * 2**20, f"peak {peak / 2**20:.1f} MB for a {megabytes} MB file"


def test_a_gzipped_json_lines_file_is_read(tmp_path) -> None:
    path = tmp_path / "2025.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.write(ANAC_HISTORY.read_text(encoding="utf-8"))
    releases = list(iter_releases(path))
    assert len(releases) == 48
    assert releases[0].location == "2025.jsonl, line 1"


def test_a_damaged_gzip_file_is_refused(tmp_path) -> None:
    path = tmp_path / "cut.json.gz"
    path.write_bytes(gzip.compress(ANAC_SAMPLE.read_bytes())[:2000])
    with pytest.raises(OcdsError, match=r"cut\.json"):
        list(iter_releases(path))


def test_a_single_release_a_byte_order_mark_and_a_text_stream(tmp_path) -> None:
    path = tmp_path / "one.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(release("ocds-a-1")).encode())
    assert [raw.ocid for raw in iter_releases(path)] == ["ocds-a-1"]
    with path.open(encoding="utf-8-sig") as text:
        assert [raw.ocid for raw in iter_releases(text)] == ["ocds-a-1"]
    assert [raw.ocid for raw in iter_releases(io.StringIO(json.dumps([release("ocds-a-2")])))] == ["ocds-a-2"]


def test_a_release_that_is_not_an_object_is_refused_alone(tmp_path) -> None:
    path = write_json(tmp_path / "a.json", [release("ocds-a-1"), "ocds-a-2"])
    raw = list(iter_releases(path))
    assert parse_release(raw[0]).ocid == "ocds-a-1"
    with pytest.raises(ReleaseError, match=r"a\.json, release 2: a release must be a JSON object, not str"):
        parse_release(raw[1])


def test_a_version_that_is_not_a_string_is_refused(tmp_path) -> None:
    path = write_json(tmp_path / "p.json", package([release("ocds-a-1")], version=1.1))
    with pytest.raises(OcdsError, match='"version" must be a string'):
        list(iter_releases(path))


def test_the_compiled_parser_is_used() -> None:
    # The pure Python backend is about ten times slower: an install without the wheel's C code shows here.
    assert ijson.backend == "yajl2_c"
