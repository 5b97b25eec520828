"""Versioned GM/IM prompt templates (models/prompts/*.toml) and their rendering.

Templates are per model family: `prompts_dir/<family>/<role>.toml` when the
registry names a family that has one (e.g. `qwen2/gm.toml`), else
`prompts_dir/<role>.toml` (written for SmolLM2, the fallback). A template may
carry worked examples (sent as earlier chat turns), its own `max_tokens` and
extra `stop` sequences (measured for that family), and for the IM a `mode`:
"rewrite" (the model writes the whole reply) or "edit" (the model writes only
the pieces `editing.EditPlan` asks for; the supporter's sentences are kept).

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


IM_MODES = ("rewrite", "edit")


@dataclass(frozen=True, slots=True)
class Example:
    """One worked example, sent as a user turn and the assistant's answer before the real post."""

    post: str
    answer: str
    reply: str = ""  # the supporter's reply (IM examples)
    tasks: str = ""  # what the model was asked to write (IM "edit" examples)


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
    examples: tuple[Example, ...] = ()
    max_tokens: int | None = None  # None: the settings' `[models] max_tokens`
    stop: tuple[str, ...] = ()  # added to STOP_SEQUENCES
    mode: str = "rewrite"
    family: str | None = None  # None: the fallback templates
    # Added to the user turn when the screen flagged the post: what a reply to a member
    # who may be at risk has to do (the model cannot be trusted to notice the risk itself).
    at_risk: str = ""

    @property
    def instructions(self) -> str:
        """The template's own words (system prompt and user turn without the data): never to be echoed."""
        return f"{self.system}\n{self.at_risk}\n{self.user.format(post='', reply='', guidance='', tasks='')}"

    @property
    def stop_sequences(self) -> tuple[str, ...]:
        return (*STOP_SEQUENCES, *(s for s in self.stop if s not in STOP_SEQUENCES))

    def render(
        self,
        post: str,
        *,
        reply: str | None = None,
        guidance: str = "",
        tasks: str = "",
        at_risk: bool = False,
    ) -> list[ChatMessage]:
        """The chat: system prompt, worked examples, then the post (with the at-risk note
        when the screen flagged it)."""
        messages: list[ChatMessage] = [{"role": "system", "content": self.system}]
        for ex in self.examples:
            messages.append({"role": "user", "content": self._user(ex.post, ex.reply, "", ex.tasks)})
            messages.append({"role": "assistant", "content": ex.answer})
        user = self._user(post, reply or "", guidance, tasks)
        if at_risk and self.at_risk:
            user = f"{self.at_risk}\n\n{user}"
        messages.append({"role": "user", "content": user})
        return messages

    def _user(self, post: str, reply: str, guidance: str, tasks: str) -> str:
        guidance_block = f"Community guidance: {fence(guidance.strip())}\n\n" if guidance.strip() else ""
        return self.user.format(post=fence(post), reply=fence(reply), guidance=guidance_block, tasks=tasks)


def prompt_path(prompts_dir: Path, role: ModelRole, family: str | None = None) -> Path:
    """The family's template when there is one, else the fallback."""
    if family:
        own = prompts_dir / family / f"{role.value}.toml"
        if own.is_file():
            return own
    return prompts_dir / f"{role.value}.toml"


def load_prompt(prompts_dir: Path, role: ModelRole, family: str | None = None) -> PromptTemplate:
    path = prompt_path(prompts_dir, role, family)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        template = PromptTemplate(
            role,
            str(data["version"]),
            str(data["system"]).strip(),
            str(data["user"]),
            _phrases(data, "quotable", path),
            _phrases(data, "echo_markers", path),
            _examples(data, path),
            _max_tokens(data, path),
            _phrases(data, "stop", path),
            str(data.get("mode", "rewrite")),
            path.parent.name if path.parent != prompts_dir else None,
            str(data.get("at_risk", "")).strip(),
        )
    except FileNotFoundError:
        raise ConfigError(f"prompt template {path} does not exist") from None
    except (tomllib.TOMLDecodeError, KeyError, UnicodeDecodeError) as err:
        raise ConfigError(f"prompt template {path} is invalid ({type(err).__name__}: {err})") from None
    _validate(template, path)
    return template


def _validate(template: PromptTemplate, path: Path) -> None:
    if template.role is ModelRole.IM and "{reply}" not in template.user:
        raise ConfigError(f"prompt template {path}: the IM template must contain {{reply}}")
    if "{post}" not in template.user:
        raise ConfigError(f"prompt template {path}: the template must contain {{post}}")
    if template.mode not in IM_MODES or (template.mode == "edit" and template.role is not ModelRole.IM):
        raise ConfigError(f"prompt template {path}: mode must be 'rewrite', or 'edit' for an IM")
    if template.mode == "edit" and "{tasks}" not in template.user:
        raise ConfigError(f"prompt template {path}: an 'edit' IM template must contain {{tasks}}")


_EXAMPLE_KEYS = {"post", "answer", "reply", "tasks"}


def _examples(data: dict[str, object], path: Path) -> tuple[Example, ...]:
    value = data.get("examples", [])
    try:
        if not isinstance(value, list):
            raise TypeError
        if any(set(e) - _EXAMPLE_KEYS for e in value):
            # A key written after [[examples]] belongs to the last example, not the template.
            raise ConfigError(
                f"prompt template {path}: an example has keys other than {sorted(_EXAMPLE_KEYS)}; "
                "template settings must come before the first [[examples]]"
            )
        return tuple(
            Example(
                str(e["post"]), str(e["answer"]).strip(), str(e.get("reply", "")), str(e.get("tasks", ""))
            )
            for e in value
        )
    except (TypeError, KeyError, AttributeError):
        raise ConfigError(
            f"prompt template {path}: examples must be tables with 'post' and 'answer'"
        ) from None


def _max_tokens(data: dict[str, object], path: Path) -> int | None:
    value = data.get("max_tokens")
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 8 <= value <= 8192:
        raise ConfigError(f"prompt template {path}: max_tokens must be a whole number from 8 to 8192")
    return value


def _phrases(data: dict[str, object], key: str, path: Path) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"prompt template {path}: {key} must be a list of strings")
    return tuple(value)
