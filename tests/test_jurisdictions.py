"""Jurisdictions by ISO 3166: the EU-27, Norway and Türkiye preloaded; regions under countries."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from acsreview.web.reviews.models import Jurisdiction
from acsreview.web.reviews.models.jurisdiction import validate_code

pytestmark = pytest.mark.django_db

EU27 = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}


def test_the_eu27_norway_and_turkiye_are_preloaded():
    codes = set(Jurisdiction.objects.values_list("code", flat=True))
    assert EU27 | {"NO", "TR"} <= codes
    assert Jurisdiction.objects.get(code="PT").name == "Portugal"
    assert not Jurisdiction.objects.filter(code__in=EU27, is_demo=True).exists()


@pytest.mark.parametrize("code", ["PT", "ES-CT", "XA", "XA-N", "QZ"])
def test_iso_and_user_assigned_codes_are_accepted(code):
    validate_code(code)


@pytest.mark.parametrize("code", ["ZX", "PT-99", "Portugal", "EU"])
def test_other_codes_are_refused(code):
    with pytest.raises(ValidationError):
        validate_code(code)


def test_a_coordinator_adds_a_region_under_a_country(cast, as_user):
    client = as_user(cast.coordinator)
    spain = Jurisdiction.objects.get(code="ES")
    response = client.post(reverse("reviews:jurisdictions"),
                           {"code": "es-ct", "name": "Catalonia", "parent": spain.pk})
    assert response.status_code == 302
    catalonia = Jurisdiction.objects.get(code="ES-CT")
    assert catalonia.parent == spain and catalonia.lineage() == [catalonia, spain]


def test_a_bad_code_is_refused_with_the_field_named(cast, as_user):
    response = as_user(cast.coordinator).post(reverse("reviews:jurisdictions"),
                                              {"code": "ZX", "name": "Nowhere"})
    assert response.status_code == 200
    assert "ZX is not an ISO 3166-1 alpha-2 country code." in response.content.decode()
    assert not Jurisdiction.objects.filter(code="ZX").exists()
