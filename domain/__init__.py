"""Twofold's domain: sign-in, enrollment and factor services below the GraphQL surface.

Services take a `Runtime` (settings, providers, who is calling) and return outcomes; they never
import `graph/` or Strawberry, so the GraphQL layer calls down into them and nothing calls back
up. Cookies, tokens in payloads and union members are the GraphQL layer's business.
"""
