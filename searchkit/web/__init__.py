"""The web face of searchkit (``searchkit serve``): a Starlette app over the same library as the
command line. ``app`` builds it, ``routes`` holds the pages, ``params`` the search state that lives
in the URL, ``guard`` the Host, token and read-only checks; ``templates/`` and ``static/`` ship in
the package. No search, ranking or highlighting code lives here."""

from searchkit.web.app import create_app

__all__ = ["create_app"]
