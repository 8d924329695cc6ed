"""Settings, read once from environment variables with documented defaults.

Every variable is listed in the README's configuration table; nothing else
configures the service.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .registry import REGISTRY_PATH

#: The repository's ``locales/`` folder when running from a checkout.
DEFAULT_LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"


class ConfigError(ValueError):
    """An environment variable holds a value the service cannot use."""


def env_int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """An integer variable within bounds; anything else is a one-line :class:`ConfigError`."""
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not an integer") from None
    if not low <= value <= high:
        raise ConfigError(f"{name}={value} is outside {low}..{high}")
    return value


def env_flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    """A switch: ``0``, ``false``, ``off`` or ``no`` turn it off, anything else on."""
    raw = env.get(name, "")
    return default if raw == "" else raw.lower() not in ("0", "false", "off", "no")


def _list(raw: str | None) -> tuple[str, ...]:
    return tuple(item.strip() for item in (raw or "").split(",") if item.strip())


def _chains(raw: str | None) -> dict[str, tuple[str, ...]]:
    """Parse ``ERRMSG_FALLBACK`` such as ``pt_BR=es,en;zh_Hant=en``."""
    chains: dict[str, tuple[str, ...]] = {}
    for part in (raw or "").split(";"):
        if not part.strip():
            continue
        locale, sep, rest = part.partition("=")
        if not sep or not locale.strip():
            raise ConfigError(f"ERRMSG_FALLBACK entry {part!r} is not LOCALE=FALLBACK[,FALLBACK…]")
        chains[locale.strip()] = _list(rest)
    return chains


def _watch(env: Mapping[str, str]) -> float | None:
    """``ERRMSG_WATCH_CATALOGS``: seconds between checks for edited catalogs, ``0`` for
    every request; off unless set, except under ``FLASK_DEBUG=1`` (the translator preview)."""
    raw = env.get("ERRMSG_WATCH_CATALOGS", "")
    if raw == "":
        return 0.0 if env.get("FLASK_DEBUG", "0") not in ("0", "false", "") else None
    if raw in ("off", "false"):
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"ERRMSG_WATCH_CATALOGS={raw!r} is not a number of seconds") from None
    if not 0 <= value <= 86400:
        raise ConfigError(f"ERRMSG_WATCH_CATALOGS={raw!r} is outside 0..86400")
    return value


@dataclass(frozen=True)
class Settings:
    """Service settings; :meth:`from_env` documents each variable's name."""

    locales_dir: Path = DEFAULT_LOCALES_DIR
    registry_path: Path = REGISTRY_PATH
    default_locale: str = "en"
    cors_origins: tuple[str, ...] = ("*",)
    help_base_url: str = ""
    cache_max_age: int = 3600
    bundle_max_age: int = 86400
    negotiation_cache_size: int = 4096
    fallback_chains: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fastpath: bool = True
    pseudo_negotiable: tuple[str, ...] = ()
    reload_token: str = ""
    watch_interval: float | None = None
    metrics: bool = True
    #: One JSON line per request on the ``errmsg.access`` logger.
    access_log: bool = True
    #: Let a closely related language serve (CLDR language matching: gsw → de, yue → zh-Hant).
    related_languages: bool = True
    #: Below this share translated, a locale is served only by an explicit ``?lang=``.
    negotiable_percent: int = 80
    #: Where the server's workers share reload generations (set by :mod:`.serve`).
    reload_dir: Path | None = None
    #: How many worker processes serve (``WEB_CONCURRENCY``; 1 in-process).
    workers: int = 1

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        origins = _list(env.get("ERRMSG_CORS_ORIGINS", "*"))
        return cls(
            locales_dir=Path(env.get("ERRMSG_LOCALES_DIR") or DEFAULT_LOCALES_DIR).resolve(),
            registry_path=Path(env.get("ERRMSG_REGISTRY") or REGISTRY_PATH).resolve(),
            default_locale=env.get("ERRMSG_DEFAULT_LOCALE") or "en",
            cors_origins=origins,
            help_base_url=(env.get("ERRMSG_HELP_BASE_URL") or "").rstrip("/"),
            cache_max_age=env_int(env, "ERRMSG_CACHE_MAX_AGE", 3600, 0, 31_536_000),
            bundle_max_age=env_int(env, "ERRMSG_BUNDLE_MAX_AGE", 86400, 0, 31_536_000),
            negotiation_cache_size=env_int(env, "ERRMSG_NEGOTIATION_CACHE_SIZE", 4096, 16, 1_000_000),
            fallback_chains=_chains(env.get("ERRMSG_FALLBACK")),
            fastpath=env_flag(env, "ERRMSG_FASTPATH", True),
            pseudo_negotiable=_list(env.get("ERRMSG_PSEUDO_NEGOTIABLE")),
            reload_token=env.get("ERRMSG_RELOAD_TOKEN", ""),
            watch_interval=_watch(env),
            metrics=env_flag(env, "ERRMSG_METRICS", True),
            access_log=env_flag(env, "ERRMSG_ACCESS_LOG", True),
            negotiable_percent=env_int(env, "ERRMSG_NEGOTIABLE_PERCENT", 80, 0, 100),
            related_languages=env_flag(env, "ERRMSG_RELATED_LANGUAGES", True),
            reload_dir=Path(env["ERRMSG_RELOAD_DIR"]) if env.get("ERRMSG_RELOAD_DIR") else None,
            workers=env_int(env, "WEB_CONCURRENCY", 1, 1, 256),
        )

    @property
    def watch_catalogs(self) -> bool:
        return self.watch_interval is not None
