"""Request parameters shared by the routers: ids and pages the database can take.

Ids and offsets are 64-bit integers in the database; a larger number makes
PostgreSQL fail ("bigint out of range") and SQLite overflow, which would be
a 500. Bounding them in the parameters makes such requests a 422 and puts
the bounds in the OpenAPI document.
"""

from ninja import Field
from ninja.pagination import LimitOffsetPagination

BIGINT_MAX = 2**63 - 1


class Pagination(LimitOffsetPagination):
    """ninja's limit/offset pages (`items` and the total `count`) with a bounded offset."""

    class Input(LimitOffsetPagination.Input):
        offset: int = Field(0, ge=0, le=BIGINT_MAX)
