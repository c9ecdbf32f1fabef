"""Start-up wiring every Twofold process shares: the database, the providers, the logs."""
