"""Import Whoosh without two standard-library packages it never uses here.

``whoosh.compat`` imports ``urllib.request`` (for a download helper searchkit never calls) and the
``cached_property`` package imports ``asyncio`` (for async properties Whoosh does not have). The two
cost 40-50 ms of a command-line search's ~150. While Whoosh is first imported, stand-ins take their
places: ``urlretrieve`` imports the real module when called, and ``cached_property`` gets an
``asyncio`` whose ``iscoroutinefunction`` is the standard one (``inspect``'s) and whose other
names import the real package. Nothing else sees the stand-ins: they leave ``sys.modules`` as soon
as Whoosh is imported, and a package already imported is used as it is.

Imported for its effect by ``searchkit/__init__.py``, which costs nothing: the stand-ins are put in
place by a finder only when something first imports Whoosh.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import types
from typing import Any


class _Later(types.ModuleType):
    """A stand-in for a module: names not set on it come from the real module, imported then."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


def _import_whoosh() -> None:
    stand_ins = {}
    if "urllib.request" not in sys.modules:
        request = _Later("urllib.request")
        request.urlretrieve = _urlretrieve  # type: ignore[attr-defined]
        stand_ins["urllib.request"] = request
    if "asyncio" not in sys.modules:
        aio = _Later("asyncio")
        aio.iscoroutinefunction = inspect.iscoroutinefunction  # type: ignore[attr-defined]
        stand_ins["asyncio"] = aio
    sys.modules.update(stand_ins)
    try:
        import cached_property  # noqa: F401
        import whoosh.compat  # noqa: F401
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


class _FirstWhooshImport:
    """A finder consulted before the others: on the first import of Whoosh it imports Whoosh's
    compatibility module with the stand-ins in place, then leaves (the normal finders do the rest)."""

    @classmethod
    def find_spec(cls, name: str, path: Any = None, target: Any = None) -> None:
        if name == "whoosh" or name == "cached_property":
            if cls in sys.meta_path:
                sys.meta_path.remove(cls)
            _import_whoosh()


if "whoosh" not in sys.modules:
    sys.meta_path.insert(0, _FirstWhooshImport)
