"""Reading a message: its kind, language and intents.

Installing privbot compiles these modules to C with mypyc where a C compiler is at hand
(pyproject.toml), and Python imports a compiled module in place of its source. One compiled
before its source last changed would run the old rules, so it is refused with a clear error.
"""

from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

_HERE = Path(__file__).resolve().parent
# an installed wheel writes source and compiled modules within moments of each other
_SLACK = 2.0


def _stale() -> list[str]:
    stale = []
    for built in _HERE.iterdir():
        suffix = next((s for s in EXTENSION_SUFFIXES if built.name.endswith(s)), None)
        source = _HERE / f"{built.name[: -len(suffix)]}.py" if suffix else None
        if source and source.exists():
            if source.stat().st_mtime > built.stat().st_mtime + _SLACK:
                stale.append(source.name)
    return sorted(stale)


if _stale():
    raise ImportError(
        f"privbot.classify: {', '.join(_stale())} changed after it was compiled; install "
        f"privbot again (pip install -e .) or delete the compiled modules (*.so) in {_HERE}"
    )
