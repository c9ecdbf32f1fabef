"""`python -m graph.cli`, as the tests, the benchmark and the HTTP audit start Twofold."""

from graph.cli import main

raise SystemExit(main())
