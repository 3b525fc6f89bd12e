"""`privbot chat` in the terminal: questions in, answers with their section out."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from privbot.cli import app


def test_terminal_chat(home: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["chat"],
        input="Hur länge sparar ni mina uppgifter?\nWho receives my data?\n",
        env={"PRIVBOT_HOME": str(home)},
    )
    assert result.exit_code == 0, result.output
    assert "avsnitt 8.1" in result.output and "section 9.1" in result.output
