"""Build hook: compile the classifier (src/privbot/classify) to C with mypyc through
hatch-mypyc; where that cannot be done (no C compiler), install it as pure Python, which reads
mail the same way at about half the speed."""

from typing import Any

from hatch_mypyc.plugin import MypycBuildHook


class CompileWherePossible(MypycBuildHook):  # type: ignore[misc]  # hatch-mypyc has no types
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        try:
            super().initialize(version, build_data)
        except Exception as error:  # the compiler's own message says why
            self.app.display_warning(f"privbot: the classifier is installed uncompiled: {error}")


def get_build_hook() -> type[MypycBuildHook]:
    return CompileWherePossible
