"""The reference single-page app (the `web` package's files), served at `/`.

Only the files named in `_FILES` are served, each with its media type; a request never becomes
a file path. The page's Content-Security-Policy lets it run only its own scripts and styles and
talk only to this origin, so nothing it shows can load code or send data elsewhere.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from graph.documents.reference_app import reference_app_ids
from i18n.web_catalog import catalog_json, languages_json

WEB_PATH = "/web"
_FILES = {
    "app.js": "text/javascript; charset=utf-8",
    "api.js": "text/javascript; charset=utf-8",
    "dom.js": "text/javascript; charset=utf-8",
    "calls.js": "text/javascript; charset=utf-8",
    "format.js": "text/javascript; charset=utf-8",
    "frame.js": "text/javascript; charset=utf-8",
    "router.js": "text/javascript; charset=utf-8",
    "state.js": "text/javascript; charset=utf-8",
    "webauthn.js": "text/javascript; charset=utf-8",
    "i18n.js": "text/javascript; charset=utf-8",
    "language.js": "text/javascript; charset=utf-8",
    "webotp.js": "text/javascript; charset=utf-8",
    "screens/account.js": "text/javascript; charset=utf-8",
    "screens/account-browsers.js": "text/javascript; charset=utf-8",
    "screens/account-keys.js": "text/javascript; charset=utf-8",
    "screens/account-password.js": "text/javascript; charset=utf-8",
    "screens/admin.js": "text/javascript; charset=utf-8",
    "screens/admin-requests.js": "text/javascript; charset=utf-8",
    "screens/holds.js": "text/javascript; charset=utf-8",
    "screens/approve-payment.js": "text/javascript; charset=utf-8",
    "screens/app-setup.js": "text/javascript; charset=utf-8",
    "screens/challenge.js": "text/javascript; charset=utf-8",
    "screens/invite.js": "text/javascript; charset=utf-8",
    "screens/key-registration.js": "text/javascript; charset=utf-8",
    "screens/method-selection.js": "text/javascript; charset=utf-8",
    "screens/password.js": "text/javascript; charset=utf-8",
    "screens/reauth.js": "text/javascript; charset=utf-8",
    "screens/recovery.js": "text/javascript; charset=utf-8",
    "screens/recovery-code.js": "text/javascript; charset=utf-8",
    "screens/sign-in.js": "text/javascript; charset=utf-8",
    "screens/sms-code.js": "text/javascript; charset=utf-8",
    "screens/sms-setup.js": "text/javascript; charset=utf-8",
    "screens/sso.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
    "operations/sign-in.graphql": "application/graphql; charset=utf-8",
    "operations/account.graphql": "application/graphql; charset=utf-8",
    "operations/password-and-invitations.graphql": "application/graphql; charset=utf-8",
    "operations/admin.graphql": "application/graphql; charset=utf-8",
    "operations/transactions.graphql": "application/graphql; charset=utf-8",
    "operations/language.graphql": "application/graphql; charset=utf-8",
}
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        # The QR code arrives as SVG text and is shown as a data: image.
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    # Small files that change with each release: revalidate rather than guess.
    "Cache-Control": "no-cache",
}


@cache
def _content(name: str) -> bytes:
    return (files("web") / name).read_bytes()


async def serve_page(_: Request) -> Response:
    return Response(_content("index.html"), media_type="text/html; charset=utf-8", headers=_HEADERS)


async def serve_approval_page(_: Request) -> Response:
    """The same page one level down: its relative `web/` links climb back to the app's files."""
    page = _content("index.html").replace(b'"web/', b'"../web/')
    return Response(page, media_type="text/html; charset=utf-8", headers=_HEADERS)


async def serve_file(request: Request) -> Response:
    name = request.path_params["name"]
    media_type = _FILES.get(name)
    if media_type is None:
        return PlainTextResponse("Not Found", status_code=404)
    return Response(_content(name), media_type=media_type, headers=_HEADERS)


# A catalog changes only with a release: a browser may keep it an hour, then revalidates.
_CATALOG_HEADERS = {**_HEADERS, "Cache-Control": "public, max-age=3600"}


async def serve_languages(_: Request) -> Response:
    """The languages the app may choose from (`i18n/web_catalog.py`)."""
    return Response(languages_json(), media_type="application/json", headers=_CATALOG_HEADERS)


async def serve_catalog(request: Request) -> Response:
    """One language's catalog of the app's texts; 404 for a language it does not speak."""
    body = catalog_json(request.path_params["locale"])
    if body is None:
        return PlainTextResponse("Not Found", status_code=404)
    return Response(body, media_type="application/json", headers=_CATALOG_HEADERS)


async def serve_document_ids(_: Request) -> Response:
    """operationName -> trusted document id: the app sends ids, never document texts."""
    return JSONResponse(reference_app_ids(), headers=_HEADERS)


def web_routes() -> list[Route]:
    return [
        Route("/", serve_page, methods=["GET"]),
        # The pages emailed links open (the token follows `#`, so it never reaches a server).
        Route("/reset-password", serve_page, methods=["GET"]),
        Route("/accept-invitation", serve_page, methods=["GET"]),
        # A payments service links here: the app opens its 'Approve Payment' screen for the id.
        Route("/approve/{approval_id}", serve_approval_page, methods=["GET"]),
        # Beside the app's files, so the page finds them from / and from /approve/<id> alike.
        Route(f"{WEB_PATH}/i18n/languages.json", serve_languages, methods=["GET"]),
        Route(f"{WEB_PATH}/i18n/{{locale}}.json", serve_catalog, methods=["GET"]),
        Route(f"{WEB_PATH}/documents.json", serve_document_ids, methods=["GET"]),
        # `path` lets a name hold web/screens/; still only the names in _FILES are served.
        Route(f"{WEB_PATH}/{{name:path}}", serve_file, methods=["GET"]),
    ]
