"""What privbot reads once at start-up and hands to every stage: the config and its data files.

`Context.load` validates every rule file and template (a bad one raises ConfigError naming the
file, and the line for TOML), so a running service never meets a broken data file. `serve`,
the CLI and the tests build one and pass it down instead of loose (config, intents, replies).
"""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass

from privbot.cases import deadline
from privbot.cases.third_party import ThirdPartyRules
from privbot.classify.intents import RuleSet, load_intents
from privbot.config import Config
from privbot.mailboxes import load_replies
from privbot.models import utcnow
from privbot.policy.questions import answerer_for
from privbot.replies import Replies

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Context:
    """The config (with its mailboxes: each one's company facts, addresses and prefix), the
    intent and screening rules (`ruleset`), the reply templates (each mailbox's laid over the
    shipped ones) and the third-party phrases."""

    config: Config
    ruleset: RuleSet
    replies: Replies
    third_party: ThirdPartyRules

    @classmethod
    def load(cls, config: Config) -> Context:
        """Load and validate the data files; a bad one raises ConfigError naming it."""
        return cls(
            config,
            load_intents(config.intents_dir),
            load_replies(config),  # with each mailbox's own templates laid over
            ThirdPartyRules.load(config.intents_dir),
        )

    def warm(self) -> None:
        """Load now what the pipeline would load at its first question: each mailbox's policy
        answerer (a few seconds: the lemma dictionaries) and the holidays deadlines are counted
        with. The worker calls this at start-up."""
        deadline.warm(utcnow().date(), self.config.eves_are_holidays)
        for box in self.config.mailboxes:
            if box.policy_file is None:
                continue
            try:
                answerer_for(self.config, box)
            except Exception as exc:  # the pipeline meets it again, per message, and says so
                log.error("policy of mailbox %s not loaded (%s)", box.key, type(exc).__name__)
        # What is loaded by now stays for the process's life (rules, lexicons, lemma tables):
        # the garbage collector need not walk it at every full collection again.
        gc.freeze()

    @property
    def own_addresses(self) -> tuple[str, ...]:
        """privbot's own addresses: mail from them is never a request."""
        return (*self.config.addresses, self.config.from_address)

    @property
    def staff_domains(self) -> frozenset[str]:
        """The domains of privbot's own addresses: a forward from there names the requester."""
        return frozenset(a.rpartition("@")[2] for a in self.own_addresses)
