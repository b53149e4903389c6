"""OCDS (Open Contracting Data Standard 1.1) reading, parsing and export, on plain data.

`iter_releases` streams releases out of any common file shape, `parse_release`
turns one into a `ParsedRelease` with its problems, `release_package` and
`write_release_package` publish `ExportOpportunity` values, and
`validation_errors` checks a package against the official schema. Nothing here
touches the database: the import and export services do.
"""

from .export import (
    ExportAward,
    ExportDocument,
    ExportError,
    ExportItem,
    ExportLot,
    ExportOpportunity,
    ExportParty,
    release_package,
    write_release_package,
)
from .parse import ParsedRelease, Problem, parse_release
from .reader import OcdsError, RawRelease, ReleaseError, iter_releases
from .validation import validation_errors

__all__ = [
    "ExportAward",
    "ExportDocument",
    "ExportError",
    "ExportItem",
    "ExportLot",
    "ExportOpportunity",
    "ExportParty",
    "OcdsError",
    "ParsedRelease",
    "Problem",
    "RawRelease",
    "ReleaseError",
    "iter_releases",
    "parse_release",
    "release_package",
    "validation_errors",
    "write_release_package",
]
