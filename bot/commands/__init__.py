"""One module per `llumi` sub-command; `bot.cli` discovers them.

Each module defines `register(subparsers)`, which adds its parser(s) and sets
`handler=<callable(args) -> int | Awaitable[int]>` with `set_defaults`.
"""
