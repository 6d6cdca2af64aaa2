import pycountry


def language_name(code: str) -> str:
    """The English name of an ISO 639 code: 'French' for 'fr' (XLSForm wants English names)."""
    lang = pycountry.languages.get(alpha_2=code) or pycountry.languages.get(alpha_3=code)
    return lang.name if lang else code


def xlsform_language(code: str) -> str:
    """XLSForm's language label, with the code ODK and Kobo read: ``English (en)``."""
    return f"{language_name(code)} ({code})"
