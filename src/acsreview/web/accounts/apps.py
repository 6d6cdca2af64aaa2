from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "acsreview.web.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Connects the receiver that applies a person's language when they sign in.
        from . import language  # noqa: F401
