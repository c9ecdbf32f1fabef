"""GraphiQL for development, with its files shipped inside the package so it works offline."""
