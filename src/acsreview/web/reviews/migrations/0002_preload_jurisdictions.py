"""The EU-27, Norway and Türkiye, preloaded by ISO 3166 code (names from pycountry)."""

import pycountry
from django.db import migrations

PRELOADED = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "NO", "TR",
]


def name_of(code):
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name


def preload(apps, schema_editor):
    Jurisdiction = apps.get_model("reviews", "Jurisdiction")
    for code in PRELOADED:
        Jurisdiction.objects.get_or_create(code=code, defaults={"name": name_of(code)})


def unload(apps, schema_editor):
    apps.get_model("reviews", "Jurisdiction").objects.filter(
        code__in=PRELOADED, reviews__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]
    operations = [migrations.RunPython(preload, unload)]
