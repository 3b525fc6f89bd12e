"""Build hook: compile the classifier (src/privbot/classify) and the mail modules that read
every message (pyproject.toml names them) to C with mypyc through hatch-mypyc; where that cannot
be done (no C compiler), install them as pure Python, which reads mail the same way, slower."""

from typing import Any

from hatch_mypyc.plugin import MypycBuildHook


class CompileWherePossible(MypycBuildHook):  # type: ignore[misc]  # hatch-mypyc has no types
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        try:
            super().initialize(version, build_data)
        except Exception as error:  # the compiler's own message says why
            self.app.display_warning(
                f"privbot: the classifier and mail reading are installed uncompiled: {error}"
            )


def get_build_hook() -> type[MypycBuildHook]:
    return CompileWherePossible
