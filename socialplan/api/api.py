"""The Ninja API object: each domain app owns its router and schemas."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Social economy plan API",
    version="1.0.0",
    urls_namespace="api",
)
