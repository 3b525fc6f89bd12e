"""Mail in and out: parsing, screening, intake and sending.

Installing privbot compiles the modules that read every message (parse, feed, prepare, screen)
to C with mypyc where a C compiler is at hand (pyproject.toml); one compiled before its source
last changed is refused (compiled.py).
"""

from privbot.compiled import refuse_stale

refuse_stale(__file__, __name__)
