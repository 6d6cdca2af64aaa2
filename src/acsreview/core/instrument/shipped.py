"""The shipped instrument's groups and languages, for commands and tests that enumerate them."""

from .library import shipped_library

SHIPPED_ID = "acs-diagnostic"


def shipped_groups() -> list[str]:
    return [g.id for g in shipped_library().get(SHIPPED_ID).stakeholder_groups]


def shipped_languages() -> list[str]:
    library = shipped_library()
    return library.languages(library.get(SHIPPED_ID))
