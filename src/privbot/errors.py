"""privbot's exception tree. Expected outcomes (an auto-reply, no intent) are return values;
these are for what went wrong.

    PrivbotError
    ├── ConfigError          a config, intent or template file is invalid (names file and line)
    ├── ParseError           a message cannot be understood; it is quarantined with this reason
    ├── SpoolError           raw bytes could not be stored durably
    ├── SendError            an approved reply could not be handed to SMTP (retried with backoff)
    ├── MailboxError         the IMAP server failed or went away (reconnect with backoff)
    │   └── MailboxLoginError    the IMAP server refused privbot's credentials (slow retry)
    ├── StateError           an action is not allowed in the case's current state
    └── NotFound             no such case, draft or user
"""


class PrivbotError(Exception):
    """Base of every error privbot raises on purpose."""


class ConfigError(PrivbotError):
    pass


class ParseError(PrivbotError):
    pass


class SpoolError(PrivbotError):
    pass


class SendError(PrivbotError):
    pass


class MailboxError(PrivbotError):
    pass


class MailboxLoginError(MailboxError):
    pass


class StateError(PrivbotError):
    pass


class NotFound(PrivbotError):
    pass
