"""The reference single-page app: plain ES modules, HTML and CSS that Twofold serves at `/`.

No build step and no third-party code: the files here are the files the browser runs.
`operations.graphql` holds every GraphQL operation the app sends (named, validated against the
schema by tests/web/test_operations.py), so other clients can reuse the same documents.
"""
