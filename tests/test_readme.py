"""The sysadmin parts of README.md say what the code does: the [web] and [relay] examples load
into the settings they describe, and the serve options it names exist."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from privbot.config import load_config

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _toml_blocks() -> list[str]:
    return re.findall(r"```toml\n(.*?)```", README, re.S)


def _block_with(header: str) -> str:
    (block,) = [b for b in _toml_blocks() if b.lstrip().startswith(header)]
    return block


def test_web_example_documents_every_web_setting(tmp_path: Path) -> None:
    block = _block_with("[web]")
    settings = tomllib.loads(block)["web"]
    assert set(settings) == {
        "host",
        "port",
        "public_url",
        "https_only",
        "trusted_proxies",
        "session_hours",
        "session_idle_minutes",
        "language",
    }
    path = tmp_path / "privbot.toml"
    path.write_text(block, encoding="utf-8")
    cfg = load_config(env={"PRIVBOT_HOME": str(tmp_path), "PRIVBOT_CONFIG": str(path)})
    assert (cfg.web_host, cfg.web_port, cfg.public_url, cfg.https_only) == (
        settings["host"],
        settings["port"],
        settings["public_url"],
        settings["https_only"],
    )
    assert cfg.trusted_proxies == ("127.0.0.1/32",)
    assert (cfg.session_hours, cfg.session_idle_minutes) == (
        settings["session_hours"],
        settings["session_idle_minutes"],
    )
    # ...and they are all there are: the keys config.py reads from [web]
    source = (Path(__file__).resolve().parents[1] / "src/privbot/config.py").read_text()
    assert set(re.findall(r'\bweb\.get\("(\w+)"', source)) == set(settings)


def test_relay_example_for_postfix_loads(tmp_path: Path) -> None:
    block = _block_with('[relay]\nhost = "127.0.0.1"')
    path = tmp_path / "privbot.toml"
    path.write_text(block, encoding="utf-8")
    cfg = load_config(env={"PRIVBOT_HOME": str(tmp_path), "PRIVBOT_CONFIG": str(path)})
    assert cfg.relay is not None and (cfg.relay.host, cfg.relay.port) == ("127.0.0.1", 25)
    assert "transport_maps = hash:/etc/postfix/transport" in README
    assert "smtp:[127.0.0.1]:%d" % cfg.intake_port in README


def test_serve_options_and_imap_port_are_documented(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "privbot", "serve", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "PRIVBOT_HOME": str(tmp_path), "COLUMNS": "200"},
        timeout=60,
        check=True,
    )
    for option in ("--smtp-port", "--web-port"):
        assert option in done.stdout and option in README
    assert "`[imap] port`" in README and "privbot.processed" in README


def test_two_mailbox_example_loads_with_each_company(tmp_path: Path) -> None:
    block = _block_with("[[mailbox]]")
    shipped = (Path(__file__).resolve().parents[1] / "company.toml").read_text(encoding="utf-8")
    (tmp_path / "company.toml").write_text(shipped, encoding="utf-8")
    (tmp_path / "nordvik" / "replies" / "sv").mkdir(parents=True)
    (tmp_path / "nordvik" / "company.toml").write_text(
        shipped.replace("IT-team Stockholm AB", "Nordvik Konsult AB"), encoding="utf-8"
    )
    secret = tmp_path / "nordvik-imap"
    secret.write_text("s3cret\n", encoding="utf-8")
    path = tmp_path / "privbot.toml"
    path.write_text(block.replace("/run/secrets/nordvik-imap", str(secret)), encoding="utf-8")
    cfg = load_config(env={"PRIVBOT_HOME": str(tmp_path), "PRIVBOT_CONFIG": str(path)})
    default, nordvik = cfg.mailboxes
    assert (default.key, default.reference_prefix) == ("default", "DS")
    assert default.company["name"] == "IT-team Stockholm AB"
    assert (nordvik.key, nordvik.reference_prefix) == ("nordvik", "NK")
    assert nordvik.company["name"] == "Nordvik Konsult AB"
    assert nordvik.replies_dir == tmp_path / "nordvik" / "replies"
    assert nordvik.identity_close_days == 30 and nordvik.imap is not None
    assert nordvik.imap.host == "imap.nordvik.example" and nordvik.imap.password == "s3cret"
    assert "gdpr@nordvik.example" in cfg.addresses
    # the options the section names exist
    done = subprocess.run(
        [sys.executable, "-m", "privbot", "poll", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "PRIVBOT_HOME": str(tmp_path), "COLUMNS": "200"},
        timeout=60,
        check=True,
    )
    assert "--mailbox" in done.stdout and "privbot poll --mailbox nordvik" in README
