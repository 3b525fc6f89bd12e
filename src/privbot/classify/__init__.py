"""Reading a message: its kind, language and intents.

Installing privbot compiles these modules to C with mypyc where a C compiler is at hand
(pyproject.toml); one compiled before its source last changed is refused (compiled.py).
"""

from privbot.compiled import refuse_stale

refuse_stale(__file__, __name__)
