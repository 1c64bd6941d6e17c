"""``python -m verify`` is the ``verify`` command."""
from .cli import main

raise SystemExit(main())
