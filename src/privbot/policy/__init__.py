"""The privacy policy and answers from it, for the chat and for drafts that answer a question.

`document.py` splits the policy into sections, `rank.py` ranks them for a question, `answer.py`
answers (vetted topic answers or a quoted sentence, always citing), `texts.py` holds the wording
(the `chat/` data folder), and `questions.py` answers the questions of a mailed request. Nothing
here knows a case or a conversation: `chat/` and `cases/` both build on it.
"""
