"""``python -m oauth_debug``: the same as the ``oauth-debug`` command."""

from .cli import main

main()
