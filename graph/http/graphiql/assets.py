"""GraphiQL's third-party files, served by Twofold itself so the development IDE needs no CDN.

`manifest.json` (written by scripts/refresh_graphiql.py) lists each file: its npm package,
version, path inside the package, the name Twofold serves it under, and its sha384 for the
page's subresource-integrity check. Only names in the manifest are served: a request never
becomes a file path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import PurePosixPath

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

ASSETS_PATH = "/graphiql/assets"
_HERE = files("graph.http.graphiql")
_MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
# Each name carries its version, so its bytes never change: browsers may keep it for a year.
_CACHE_FOREVER = "public, max-age=31536000, immutable"


@dataclass(frozen=True)
class Asset:
    package: str
    version: str
    file: str
    """The path inside the npm package, which is also its path on unpkg and its mirrors."""
    name: str
    sha384: str
    """Base64 of the file's SHA-384."""

    @property
    def integrity(self) -> str:
        return f"sha384-{self.sha384}"

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[PurePosixPath(self.name).suffix]

    @property
    def is_stylesheet(self) -> bool:
        return self.name.endswith(".css")

    def url(self, cdn: str) -> str:
        """Where the page loads it from: a CDN laid out like unpkg, or (no CDN) Twofold itself.

        The bundled URL is relative to the page at /graphql, so it also works under a path
        prefix added by a reverse proxy.
        """
        if cdn:
            return f"{cdn.rstrip('/')}/{self.package}@{self.version}/{self.file}"
        return f"{ASSETS_PATH.lstrip('/')}/{self.name}"


@cache
def bundled_assets() -> tuple[Asset, ...]:
    """The manifest's files, in the order the page must load them."""
    manifest = json.loads((_HERE / "manifest.json").read_text(encoding="utf-8"))
    return tuple(
        Asset(
            package=entry["package"],
            version=entry["version"],
            file=entry["file"],
            name=entry["name"],
            sha384=entry["sha384"],
        )
        for entry in manifest["files"]
    )


@cache
def _content(name: str) -> bytes:
    return (_HERE / "static" / name).read_bytes()


async def serve_asset(request: Request) -> Response:
    wanted = request.path_params["name"]
    asset = next((a for a in bundled_assets() if a.name == wanted), None)
    if asset is None:
        return PlainTextResponse("Not Found", status_code=404)
    return Response(
        _content(asset.name),
        media_type=asset.media_type,
        headers={"Cache-Control": _CACHE_FOREVER, "X-Content-Type-Options": "nosniff"},
    )


def asset_route() -> Route:
    return Route(f"{ASSETS_PATH}/{{name}}", serve_asset, methods=["GET"])
