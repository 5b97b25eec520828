"""Versioned GM/IM prompt templates (models/prompts/*.toml) and their rendering.

The post is fenced: it goes between <post> tags in the user turn, with any
fence or chat-template markers inside it neutralised, so text such as
"ignore previous instructions" or a fake `<|im_start|>system` cannot steer
the model's role. The model's text is only ever a draft a human reviews.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .domain import ModelRole
from .errors import ConfigError
from .ports import ChatMessage

# Fence tags the templates use, and chat-template specials (ChatML, Llama, Gemma, Mistral).
FENCE_TAGS = ("post", "reply")
_FENCE = re.compile(rf"</?\s*({'|'.join(FENCE_TAGS)})\s*>", re.IGNORECASE)
_SPECIAL = re.compile(r"<\|[^|>]{0,40}\|>|<\/?s>|\[/?INST\]|<start_of_turn>|<end_of_turn>", re.IGNORECASE)


# Where generation must end: a closing fence (the reply is over), a <post> opened on a
# new line after the reply (the model is about to quote the member back), a chat turn
# starting, or a heading/label that starts a new section. Opening tags at the very
# start are not stops: the default model often wraps its reply in <post> or <reply>
# (about 1 in 5 improvements), which would come back empty; `replies.strip_markup`
# unwraps them instead. Tags it invents (<response>, <pre>) stop when they close.
STOP_SEQUENCES = (
    *(f"</{tag}>" for tag in FENCE_TAGS),
    "\n<post>",
    "</response>",
    "</pre>",
    "<|im_end|>",
    "<|im_start|>",
    "<|endoftext|>",
    "<|eot_id|>",
    "<|end|>",
    "</s>",
    "<end_of_turn>",
    "[INST]",
    "\nUser:",
    "\nHuman:",
    "\nAssistant:",
    "\n### ",
)


def fence(text: str) -> str:
    """Make quoted member text unable to close its fence or open a chat turn."""
    text = _FENCE.sub(lambda m: m.group(0).replace("<", "‹").replace(">", "›"), text)
    return _SPECIAL.sub(" ", text)


@dataclass(frozen=True, slots=True)
class PromptTemplate:
    role: ModelRole
    version: str
    system: str
    user: str
    # Phrases of the instructions a reply may repeat word for word, and phrases only a
    # model talking about its prompt writes (see replies.CopyGuard).
    quotable: tuple[str, ...] = ()
    echo_markers: tuple[str, ...] = ()

    @property
    def instructions(self) -> str:
        """The template's own words (system prompt and user turn without the data): never to be echoed."""
        return f"{self.system}\n{self.user.format(post='', reply='', guidance='')}"

    def render(self, post: str, *, reply: str | None = None, guidance: str = "") -> list[ChatMessage]:
        guidance_block = f"Community guidance: {fence(guidance.strip())}\n\n" if guidance.strip() else ""
        user = self.user.format(post=fence(post), reply=fence(reply or ""), guidance=guidance_block)
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]


def load_prompt(prompts_dir: Path, role: ModelRole) -> PromptTemplate:
    path = prompts_dir / f"{role.value}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        template = PromptTemplate(
            role,
            str(data["version"]),
            str(data["system"]).strip(),
            str(data["user"]),
            _phrases(data, "quotable", path),
            _phrases(data, "echo_markers", path),
        )
    except FileNotFoundError:
        raise ConfigError(f"prompt template {path} does not exist") from None
    except (tomllib.TOMLDecodeError, KeyError, UnicodeDecodeError) as err:
        raise ConfigError(f"prompt template {path} is invalid ({type(err).__name__}: {err})") from None
    if role is ModelRole.IM and "{reply}" not in template.user:
        raise ConfigError(f"prompt template {path}: the IM template must contain {{reply}}")
    if "{post}" not in template.user:
        raise ConfigError(f"prompt template {path}: the template must contain {{post}}")
    return template


def _phrases(data: dict[str, object], key: str, path: Path) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"prompt template {path}: {key} must be a list of strings")
    return tuple(value)
