"""What a chat adapter is given to serve: the settings, the service and the models' status.

`bot.bootstrap.App` is the one implementation; adapters type against this, so
they depend on the core and not on the composition root.
"""

from __future__ import annotations

from typing import Protocol

from .config import Settings
from .errors import LlumiError
from .llm import RoleBackends
from .service import DraftService


class AppContext(Protocol):
    @property
    def settings(self) -> Settings: ...

    @property
    def service(self) -> DraftService: ...

    @property
    def backends(self) -> RoleBackends | None: ...


class PlatformUnavailable(LlumiError):
    """A chat platform could not be reached, or did not answer, while the bot started.

    The message names the platform, the cause and what to check; never the token.
    """

    @classmethod
    def unreachable(cls, platform: str, err: BaseException) -> PlatformUnavailable:
        return cls(
            f"[{platform}] cannot reach {platform.capitalize()} ({type(err).__name__}): check this "
            "machine's network connection, DNS and proxy settings, then start again"
        )

    @classmethod
    def timed_out(cls, platform: str, seconds: float | None = None) -> PlatformUnavailable:
        within = f" within {seconds:g} s" if seconds else " in time"
        return cls(
            f"[{platform}] {platform.capitalize()} did not answer{within}: check the network "
            "connection (a firewall or proxy may hold the connection), then start again"
        )

    @classmethod
    def failing(cls, platform: str, status: int | str) -> PlatformUnavailable:
        return cls(
            f"[{platform}] {platform.capitalize()} answered with a server error ({status}): it may be "
            "having problems; try again in a few minutes"
        )
