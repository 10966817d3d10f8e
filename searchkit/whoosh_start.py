"""Import Whoosh without two standard-library packages it never uses here.

``whoosh.compat`` imports ``urllib.request`` (for a download helper searchkit never calls) and the
``cached_property`` package imports ``asyncio`` (for async properties Whoosh does not have). The two
cost 40-50 ms of a command-line search's ~150. While Whoosh is first imported, stand-ins take their
places: ``urlretrieve`` imports the real module when called, and ``cached_property`` gets an
``asyncio`` whose ``iscoroutinefunction`` is the standard one (``inspect``'s) and whose other
names import the real package. Nothing else sees the stand-ins: they leave ``sys.modules`` as soon
as Whoosh is imported, and a package already imported is used as it is.

``whoosh.query`` imports ``whoosh.lang.morph_en`` for its ``Variations`` query (searchkit does
its own variants), whose import compiles a few hundred English suffix rules: another 15-20 ms. Its
stand-in stays: the first call of ``variations`` or the first look at any other name loads the real
module in its place.

Imported for its effect by ``searchkit/__init__.py``, which costs nothing: the stand-ins are put in
place by a finder only when something first imports Whoosh.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
import types
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import importlib.abc


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


#: ``co_flags`` bit of a function defined with ``async def`` (``inspect.CO_COROUTINE``).
_CO_COROUTINE = 0x80


def is_coroutine_function(func: Any) -> bool:
    """``asyncio.iscoroutinefunction`` for the plain functions Whoosh decorates, without
    importing ``inspect`` (15 ms): only an ``async def`` function's code has the coroutine flag."""
    code = getattr(func, "__code__", None)
    return code is not None and bool(code.co_flags & _CO_COROUTINE)


def _import_whoosh() -> None:
    stand_ins = {}
    if "urllib.request" not in sys.modules:
        request = _Later("urllib.request")
        request.urlretrieve = _urlretrieve  # type: ignore[attr-defined]
        stand_ins["urllib.request"] = request
    if "asyncio" not in sys.modules:
        aio = _Later("asyncio")
        aio.iscoroutinefunction = is_coroutine_function  # type: ignore[attr-defined]
        stand_ins["asyncio"] = aio
    sys.modules.update(stand_ins)
    try:
        import cached_property  # noqa: F401
        import whoosh.compat  # noqa: F401
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


_MORPH = "whoosh.lang.morph_en"


def _real_morph() -> types.ModuleType:
    """The real ``whoosh.lang.morph_en``, loaded in the stand-in's place on first use."""
    real = sys.modules.get(_MORPH)
    if real is not None and not isinstance(real, _LaterMorph):
        return real
    import whoosh.lang

    spec = importlib.machinery.PathFinder.find_spec(_MORPH, whoosh.lang.__path__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[_MORPH] = module
    spec.loader.exec_module(module)
    return module


class _LaterMorph(types.ModuleType):
    """The stand-in for ``whoosh.lang.morph_en``: every name comes from the real module."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(_real_morph(), name)


def _variations(word: str) -> Any:
    return _real_morph().variations(word)


class _MorphLoader:
    """The loader of the stand-in (a plain object: ``importlib.abc`` would import
    ``importlib.resources`` and ``tempfile``)."""

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = _LaterMorph(_MORPH)
        module.variations = _variations  # type: ignore[attr-defined]
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        pass


class _FirstMorphImport:
    """A finder consulted before the others: the first import of ``whoosh.lang.morph_en`` gets
    the stand-in, then the finder leaves."""

    @classmethod
    def find_spec(cls, name: str, path: Any = None, target: Any = None) -> Any:
        if name != _MORPH:
            return None
        if cls in sys.meta_path:
            sys.meta_path.remove(cls)
        return importlib.machinery.ModuleSpec(_MORPH, cast("importlib.abc.Loader", _MorphLoader()))


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
if _MORPH not in sys.modules:
    sys.meta_path.insert(0, _FirstMorphImport)
