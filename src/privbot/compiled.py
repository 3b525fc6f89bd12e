"""Modules compiled to C with mypyc when privbot is installed (pyproject.toml, hatch_build.py).

Python imports a compiled module in place of its source, so one compiled before its source last
changed would run the old code: a package with such modules refuses it with a clear error.
"""

from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

# an installed wheel writes source and compiled modules within moments of each other
_SLACK = 2.0


def stale(directory: Path) -> list[str]:
    """The sources in `directory` changed after their compiled modules were built."""
    found = []
    for built in directory.iterdir():
        suffix = next((s for s in EXTENSION_SUFFIXES if built.name.endswith(s)), None)
        source = directory / f"{built.name[: -len(suffix)]}.py" if suffix else None
        if source and source.exists():
            if source.stat().st_mtime > built.stat().st_mtime + _SLACK:
                found.append(source.name)
    return sorted(found)


def refuse_stale(package_file: str, package: str) -> None:
    """Called from a package's `__init__` with its `__file__` and `__name__`."""
    directory = Path(package_file).resolve().parent
    if changed := stale(directory):
        raise ImportError(
            f"{package}: {', '.join(changed)} changed after it was compiled; install privbot "
            f"again (pip install -e .) or delete the compiled modules (*.so) in {directory}"
        )
