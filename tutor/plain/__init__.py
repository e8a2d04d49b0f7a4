"""The plain line mode: the tutor as lines of text and one command per line.

For screen readers, pipes and `TERM=dumb`: nothing is redrawn, no colour, no box drawing and no
escape sequence is ever written; every change of state is a new line. The same lessons, engine
records, quiz grading and progress store as the Textual app (never imported here), so a learner
can switch between the two and resume at the same unit and step.

Modules: `text` (cleaning and Rich → plain text), `describe` (records and charts in words),
`questions` (one question's dialogue), `session` (the lesson driver and the lesson list).
"""
