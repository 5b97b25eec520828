"""Settings: one model, from a TOML file plus `LLUMI_…` environment variables.

Precedence (highest first): environment (`LLUMI_DISCORD__TOKEN`, nested with
`__`), a model promoted with `llumi models promote` (`<data_dir>/models.toml`,
for `[models] gm` / `im` only), the TOML file, built-in defaults. Every section forbids unknown keys so
a typo fails at start with a message naming the field.
"""

from __future__ import annotations

import json
import os
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from .crisis_resources import normalise_region
from .errors import ConfigError

DEFAULT_CONFIG_FILE = Path("config.toml")
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODELS_DIR = REPO_ROOT / "models"
PROMOTED_FILE = "models.toml"  # in the data dir: the GM / IM promoted by `llumi models promote`
ROLES = ("gm", "im")


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class SamplingSettings(Section):
    temperature: float = Field(0.7, ge=0.0, le=2.0, description="0 = greedy and repeatable")
    top_p: float = Field(0.9, gt=0.0, le=1.0)
    top_k: int = Field(40, ge=0)
    repeat_penalty: float = Field(1.1, ge=0.5, le=2.0)
    seed: int | None = Field(None, description="fixed seed for repeatable drafts; none = random")


class RemoteSettings(Section):
    """An in-house OpenAI-compatible server (llama.cpp server, vLLM, Ollama)."""

    base_url: str = "http://127.0.0.1:8080/v1"
    api_key: SecretStr | None = None
    model: str = ""  # the server's model name; empty = the role's model id
    retries: int = Field(2, ge=0, le=10)
    backoff_s: float = Field(0.5, ge=0.0)


class ModelsSettings(Section):
    registry: Path = DEFAULT_MODELS_DIR / "registry.toml"
    prompts_dir: Path = DEFAULT_MODELS_DIR / "prompts"
    gm: str = "qwen2.5-coder-1.5b-instruct"
    im: str = "qwen2.5-coder-1.5b-instruct"
    backend: Literal["llama_cpp", "openai_compat"] = "llama_cpp"
    n_ctx: int = Field(0, ge=0, description="0 = sized to prompt + max_tokens, capped by the model")
    n_threads: int = Field(0, ge=0, description="0 = physical cores")
    n_gpu_layers: int = Field(0, ge=-1)
    max_tokens: int = Field(256, ge=8, le=8192)
    max_post_chars: int = Field(6000, ge=200, description="longer posts are truncated with a note")
    timeout_s: float = Field(120.0, gt=0)
    max_queue: int = Field(32, ge=1)
    prefix_cache: bool = True
    n_drafts_max: int = Field(5, ge=1, le=10)
    sampling: SamplingSettings = SamplingSettings()
    remote: RemoteSettings = RemoteSettings()


# The database URL schemes llumi can serve (each mapped to its async driver in storage.db).
DATABASE_SCHEMES = (
    "sqlite",
    "sqlite+aiosqlite",
    "sqlite+pysqlite",
    "postgres",
    "postgresql",
    "postgresql+asyncpg",
    "postgresql+psycopg",
    "postgresql+psycopg2",
)


class StorageSettings(Section):
    data_dir: Path = Path("data")
    url: str = ""  # empty = sqlite file llumi.sqlite3 in data_dir; or postgresql+asyncpg://…

    @field_validator("url")
    @classmethod
    def _supported_scheme(cls, url: str) -> str:
        scheme, sep, _ = url.partition("://")
        if url and (not sep or scheme.lower() not in DATABASE_SCHEMES):
            raise ValueError(
                f"unsupported database URL scheme {scheme if sep else url!r}; "
                "use sqlite+aiosqlite:///path or postgresql+asyncpg://user:password@host/db"
            )
        return url

    def database_url(self) -> str:
        if self.url:
            return self.url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'llumi.sqlite3').as_posix()}"


class DiscordSettings(Section):
    enabled: bool = False
    token: SecretStr | None = None
    guild_ids: list[int] = Field(
        default_factory=list, description="sync commands here (fast); empty = global"
    )
    stream_edit_interval_s: float = Field(1.2, ge=0.2)


class TelegramSettings(Section):
    enabled: bool = False
    token: SecretStr | None = None
    base_url: str = ""  # empty = the official Bot API
    stream_edit_interval_s: float = Field(1.5, ge=0.2)
    edit_timeout_s: float = Field(600.0, ge=10)
    rate_limit: bool = True


class SafetySettings(Section):
    region: str = "international"
    check_outputs: bool = True
    max_regenerations: int = Field(2, ge=0, le=5)
    model_second_opinion: bool = False
    semantic: bool = True

    @field_validator("region")
    @classmethod
    def _known_region(cls, region: str) -> str:
        try:
            normalise_region(region)
        except ConfigError as err:
            raise ValueError(str(err)) from None
        return region


class PrivacySettings(Section):
    store_content: Literal["none", "redacted", "full"] = "redacted"
    retention_days: int = Field(30, ge=0, description="0 = keep content only until the draft is closed")
    redact_before_model: bool = True
    # A pending draft nobody acted on is closed (expired) after this long; with store_content
    # "none" its text is then gone. TOML: "24:00:00", "P1D", or seconds.
    pending_ttl: timedelta = Field(timedelta(hours=24), gt=timedelta(0))


class LearningSettings(Section):
    enabled: bool = False


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="LLUMI_", env_nested_delimiter="__", extra="forbid", validate_default=True
    )

    models: ModelsSettings = ModelsSettings()
    storage: StorageSettings = StorageSettings()
    discord: DiscordSettings = DiscordSettings()
    telegram: TelegramSettings = TelegramSettings()
    safety: SafetySettings = SafetySettings()
    privacy: PrivacySettings = PrivacySettings()
    learning: LearningSettings = LearningSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The file's values arrive as init kwargs; the environment wins over them.
        return (env_settings, init_settings)


def _env_source(loc: tuple[int | str, ...]) -> str | None:
    """The environment variable that set this field (`LLUMI_MODELS__MAX_TOKEN`), if one did."""
    wanted = "LLUMI_" + "__".join(str(p) for p in loc).upper()
    return next((f"environment variable {name}" for name in os.environ if name.upper() == wanted), None)


def _format_error(err: ValidationError, source: str) -> str:
    first = err.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "(root)"
    kind = first["type"]
    first["msg"] = first["msg"].removeprefix("Value error, ")  # our validators' own messages
    env = _env_source(first["loc"])
    if env is not None:
        if kind == "extra_forbidden":
            return f"{env}: unknown setting '{field}' (check the spelling against config.example.toml)"
        return f"{env}: setting '{field}': {first['msg']}"
    if kind == "extra_forbidden":
        return f"{source}: unknown setting '{field}' (check the spelling against config.example.toml)"
    return f"{source}: setting '{field}': {first['msg']}"


def load_settings(path: str | Path | None = None, *, use_file: bool = True, **overrides: Any) -> Settings:
    """Read settings; `path=None` uses ./config.toml when present, else defaults.

    `use_file=False` ignores any file (tests); `overrides` are section dicts.

    Raises ConfigError with a one-line, field-named message on any problem.
    """
    explicit = path is not None
    file = Path(path) if path is not None else DEFAULT_CONFIG_FILE
    data: dict[str, Any] = {}
    if use_file and file.exists():
        data = read_toml(file)
    elif use_file and explicit:
        raise ConfigError(f"config file {file} does not exist")
    for section, values in overrides.items():
        _deep_merge(data.setdefault(section, {}), values)
    try:
        settings = Settings(**data)
    except ValidationError as err:
        source = str(file) if use_file and file.exists() else "settings"
        raise ConfigError(_format_error(err, source)) from None
    settings = _resolve_relative(settings, file.parent if use_file and file.exists() else Path.cwd())
    return _apply_promotions(settings)


def read_toml(path: Path) -> dict[str, Any]:
    """A settings file's tables, or ConfigError naming the file and what is wrong with it."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None
    except OSError as err:
        raise ConfigError(f"{path}: cannot read: {err.strerror}") from None


def promoted_path(data_dir: Path) -> Path:
    return data_dir / PROMOTED_FILE


def read_promotions(data_dir: Path) -> dict[str, str]:
    """{role: model name} promoted in `<data_dir>/models.toml` (empty when nothing was promoted)."""
    path = promoted_path(data_dir)
    if not path.is_file():
        return {}
    data = read_toml(path)
    bad = next((k for k, v in data.items() if k not in ROLES or not isinstance(v, str) or not v), None)
    if bad is not None:
        raise ConfigError(
            f"{path}: '{bad}' must be gm or im = \"model name\" (written by llumi models promote)"
        )
    return {k: str(v) for k, v in data.items()}


def write_promotions(data_dir: Path, promoted: dict[str, str]) -> Path:
    """Write `{role: name}` to `<data_dir>/models.toml` (replaced atomically)."""
    path = promoted_path(data_dir)
    lines = ["# The GM / IM this community uses, written by `llumi models promote`.\n"]
    lines += [f"{role} = {json.dumps(promoted[role])}\n" for role in ROLES if role in promoted]
    tmp = path.with_suffix(".toml.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text("".join(lines), encoding="utf-8")
        tmp.replace(path)
    except OSError as err:
        raise ConfigError(f"cannot write {path}: {err.strerror or err}") from None
    return path


def env_sets_model(role: str) -> str | None:
    """The environment variable that sets `[models] <role>`, if one does (it wins over a promotion)."""
    return _env_source(("models", role))


def _apply_promotions(settings: Settings) -> Settings:
    for role, name in read_promotions(settings.storage.data_dir).items():
        if env_sets_model(role) is None:
            setattr(settings.models, role, name)
    return settings


def _deep_merge(into: dict[str, Any], values: dict[str, Any]) -> None:
    for key, value in values.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _deep_merge(into[key], value)
        else:
            into[key] = value


def _resolve_relative(settings: Settings, base: Path) -> Settings:
    """Relative paths in a config file are relative to that file, as people expect."""
    if not settings.storage.data_dir.is_absolute():
        settings.storage.data_dir = (base / settings.storage.data_dir).resolve()
    for name in ("registry", "prompts_dir"):
        value: Path = getattr(settings.models, name)
        if not value.is_absolute():
            setattr(settings.models, name, (base / value).resolve())
    return settings


def physical_cores() -> int:
    """Physical cores (llama.cpp gains nothing from SMT siblings)."""
    try:
        cores = set()
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            phys = core = None
            for line in f:
                if line.startswith("physical id"):
                    phys = line.split(":")[1].strip()
                elif line.startswith("core id"):
                    core = line.split(":")[1].strip()
                    cores.add((phys, core))
        if cores:
            return max(1, min(len(cores), len(os.sched_getaffinity(0))))
    except OSError:
        pass
    return max(1, (os.cpu_count() or 2) // 2)
