"""Tortoise models and the pure MFA state machine. Nothing here imports the GraphQL layer."""

MODEL_MODULES = [
    "models.company",
    "models.user",
    "models.session",
    "models.flow",
    "models.send_slot",
    "models.login_throttle",
    "models.known_device",
    "models.audit_event",
    "models.security_key",
    "models.trusted_browser",
    "models.passkey_challenge",
    "models.outbox",
    "models.sms_delivery",
    "models.signing_key",
    "models.service_client",
    "models.webhook",
    "models.invitation",
    "models.password_reset",
    "models.transaction_approval",
    "models.sso",
]
