"""Serving the app with gunicorn, configured from code (no config file to ship)."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from acsreview.web.wsgi import application

        return application


def run(*, host: str, port: int, workers: int) -> None:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    _Server({
        "bind": bind,
        "workers": workers,
        "worker_class": "sync",
        "timeout": 60,
        "graceful_timeout": 20,
        # No access log: it would record visitors' IP addresses (privacy by design).
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "acsreview",
    }).run()
