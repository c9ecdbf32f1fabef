"""Values the whole suite shares, so a test, a helper and a served process agree on them.

Every test user's password, the number enrollment flows type in (as stored, E.164), and the
secret key the app seals phone numbers and signs sessions with.
"""

PASSWORD = "correct horse battery"
PHONE = "+12015550123"
SECRET_KEY = "test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
