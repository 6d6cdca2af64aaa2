"""The instruments the web app knows: the shipped ones and those in the data folder."""

from __future__ import annotations

from functools import cache

from django.conf import settings

from acsreview.core.instrument import Instrument, Library


@cache
def app_library() -> Library:
    extra = settings.DATA_DIR / "instruments"
    library = Library([extra] if extra.is_dir() else [])
    library.raise_if_problems()
    return library


def instrument_of(review) -> Instrument:
    """The instrument version a review is answered against (never a newer one)."""
    return app_library().get(review.instrument_id, review.instrument_version)


def localized_instrument_of(review, lang: str | None) -> Instrument:
    library = app_library()
    inst = instrument_of(review)
    lang = (lang or "en").split("-")[0]
    return library.localized(inst, lang) if lang in library.languages(inst) else inst
