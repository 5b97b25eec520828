"""Composition root: builds settings, database, models, safety and the service.

Nothing is built at import time; `open_app` builds what a command needs and
closes it again; `build_service` is the one place the service is wired. The
CLI, `llumi run` and the tests are the callers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from llumi_core import retention
from llumi_core.config import Settings, load_settings
from llumi_core.domain import Actor, ModelRole, Platform
from llumi_core.errors import ConfigError, ModelError, StorageError
from llumi_core.evaluation.preference import default_preference_model
from llumi_core.llm import RoleBackends, build_backends
from llumi_core.llm.registry import settings_registry
from llumi_core.logging_guard import register_secret
from llumi_core.ports import Repositories
from llumi_core.prompts import PromptTemplate, load_prompt
from llumi_core.safety import Safety
from llumi_core.service import DraftService, RoleModel
from llumi_core.storage.db import create_engine, session_factory, upgrade_schema
from llumi_core.storage.durable import ContentPolicy, build_repositories

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    repos: Repositories
    safety: Safety
    backends: RoleBackends | None
    _service: DraftService | None

    @property
    def service(self) -> DraftService:
        if self._service is None:
            raise RuntimeError("this command opened the app without models")
        return self._service


def settings_from(config_path: str | Path | None) -> Settings:
    settings = load_settings(config_path)
    for token in (settings.discord.token, settings.telegram.token, settings.models.remote.api_key):
        if token is not None:
            register_secret(token.get_secret_value())
    return settings


def role_prompt(settings: Settings, role: ModelRole) -> PromptTemplate:
    """The role's prompt template written for its model's family (registry `family`), else the fallback."""
    name = getattr(settings.models, role.value)
    registry = settings_registry(settings)
    family = registry.resolve(name, need_file=False).family if name in registry else None
    return load_prompt(settings.models.prompts_dir, role, family)


def check_models(settings: Settings, *, deep: bool = False) -> list[str]:
    """Resolve GM and IM (registry entry, file present, prompt templates); raise ConfigError.

    `deep` (`llumi config check`): also read each GGUF's header, metadata and tensor table
    (vocabulary-only, no weights), which finds a truncated or corrupt file.
    """
    lines = []
    registry = settings_registry(settings)
    for role in ModelRole:
        name = getattr(settings.models, role.value)
        prompt = role_prompt(settings, role)
        if settings.models.backend == "llama_cpp":
            spec = registry.resolve(name)
            if spec.path is None:
                raise ConfigError(
                    f"setting 'models.{role.value}': model '{name}' has no GGUF file in the registry"
                )
            _check_gguf(spec.path, f"models.{role.value}")
            facts = f" {_inspect(spec.path, f'models.{role.value}')}" if deep else ""
            lines.append(f"{role.value}: {name} -> {spec.path}{facts} (prompt {prompt.version})")
        else:
            lines.append(
                f"{role.value}: {name} at {settings.models.remote.base_url} (prompt {prompt.version})"
            )
    return lines


def _inspect(path: Path, field: str) -> str:
    from llumi_core.llm.model_file import inspect_gguf

    try:
        return inspect_gguf(path).line()
    except ModelError as err:
        raise ConfigError(f"setting '{field}': {err}") from None


def _check_gguf(path: Path, field: str) -> None:
    try:
        with path.open("rb") as f:
            magic = f.read(4)
    except OSError as err:
        raise ConfigError(f"setting '{field}': model file {path} cannot be read ({err.strerror})") from None
    if magic != b"GGUF":
        raise ConfigError(
            f"setting '{field}': model file {path} is not a GGUF file (corrupt or wrong format)"
        )


def build_service(
    settings: Settings, *, backends: RoleBackends, repos: Repositories, safety: Safety | None = None
) -> DraftService:
    """The one place the service is wired: each role's backend with its model family's prompt.

    `open_app` calls it, and so do tests that bring their own backends (a fake, or a model
    loaded once per module). The repositories belong to an open database, so the caller
    passes them; `safety` defaults to the settings' own.
    """
    gm_prompt = role_prompt(settings, ModelRole.GM)
    return DraftService(
        RoleModel(backends.gm, gm_prompt),
        RoleModel(backends.im, role_prompt(settings, ModelRole.IM)),
        repos,
        safety or Safety(settings.safety, settings.privacy),
        settings,
        # Best-of-n: several drafts are shown best first by the community preference model
        # (None without the sentence encoder: then in the order they were written).
        ranker=default_preference_model(prompt=gm_prompt),
    )


@asynccontextmanager
async def open_app(
    settings: Settings, *, load_models: bool = True, backends: RoleBackends | None = None
) -> AsyncIterator[App]:
    """Open the database (upgrading its schema) and, if asked, load the models.

    `backends`: models already loaded by the caller, who also closes them (tests share one
    model across a module); by default the models are loaded here and closed on exit.
    """
    engine = create_engine(settings.storage.database_url())
    owned: RoleBackends | None = None
    repos: Repositories | None = None
    try:
        await upgrade_schema(engine)
        safety = Safety(settings.safety, settings.privacy)
        policy = ContentPolicy(settings.privacy.store_content, safety.redact_text)
        repos = build_repositories(session_factory(engine), policy=policy)
        # Drafts whose request died (a killed process) are closed before anything else runs.
        await retention.sweep(repos, settings, SYSTEM_ACTOR)
        service = None
        if load_models:
            check_models(settings)
            # The semantic safety layers load in a worker thread, once, before the first post.
            await asyncio.to_thread(safety.warm)
            if backends is None:
                backends = owned = await build_backends(settings)
            service = build_service(settings, backends=backends, repos=repos, safety=safety)
        yield App(settings, repos, safety, backends if load_models else None, service)
    finally:
        if owned is not None:
            await owned.aclose()
        if repos is not None:
            await _close_command(repos)
        await engine.dispose()


SYSTEM_ACTOR = Actor(Platform.CLI, "system", "llumi")


async def _close_command(repos: Repositories) -> None:
    """A CLI command's drafts close with it; writes storage refused get a last chance."""
    try:
        report = await retention.close_cli_drafts(repos, SYSTEM_ACTOR)
    except StorageError as err:
        log.warning("could not close this command's drafts: %s", err)
        return
    if report.unsaved:
        log.warning(
            "the database is unavailable: the text shown was NOT saved; "
            "its draft is closed as failed when llumi next starts"
        )
