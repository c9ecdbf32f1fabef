"""The reference single-page app: plain ES modules, HTML and CSS that Twofold serves at `/`.

No build step and no third-party code: the files here are the files the browser runs.
`operations/` holds every GraphQL operation the app sends, a file per area (named, validated
against the schema by tests/web/test_web_files.py), so other clients can reuse the same documents.
"""
