"""Config stage: read config.toml into frozen dataclasses and refuse anything invalid.

Takes the path of a config.toml (and the environment, for `${VAR}` secrets); gives a `Config` with the
monitor settings, sources and watchlists, or a `ConfigError` naming file, line and key. Also owns what
every stage needs to keep secrets out of text: `redact` and `masked_url`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.exports import lazy_exports

if TYPE_CHECKING:
    from monitor.config.durations import format_duration as format_duration
    from monitor.config.durations import parse_digest as parse_digest
    from monitor.config.durations import parse_duration as parse_duration
    from monitor.config.loader import MIN_INTERVAL as MIN_INTERVAL
    from monitor.config.loader import SOURCE_TYPES as SOURCE_TYPES
    from monitor.config.loader import Config as Config
    from monitor.config.loader import MonitorSettings as MonitorSettings
    from monitor.config.loader import config_summary as config_summary
    from monitor.config.loader import default_config_path as default_config_path
    from monitor.config.loader import load_config as load_config
    from monitor.config.secrets import redact as redact
    from monitor.config.secrets import register_secret as register_secret
    from monitor.config.targets import apprise_silenced as apprise_silenced
    from monitor.config.targets import is_valid_url as is_valid_url
    from monitor.config.targets import masked_url as masked_url
    from monitor.config.targets import url_problem as url_problem

# name → the module that defines it, imported on first use (see monitor/exports.py for why).
EXPORTS = {
    "Config": "loader",
    "MIN_INTERVAL": "loader",
    "MonitorSettings": "loader",
    "SOURCE_TYPES": "loader",
    "apprise_silenced": "targets",
    "config_summary": "loader",
    "default_config_path": "loader",
    "format_duration": "durations",
    "is_valid_url": "targets",
    "load_config": "loader",
    "masked_url": "targets",
    "parse_digest": "durations",
    "parse_duration": "durations",
    "redact": "secrets",
    "register_secret": "secrets",
    "url_problem": "targets",
}
__all__ = sorted(EXPORTS)
__getattr__ = lazy_exports(__name__, EXPORTS)
