"""Test data: factories and the cast of personas every permission test uses."""

from dataclasses import dataclass

import factory

from acsreview.web.accounts.models import User
from acsreview.web.reviews.models import Jurisdiction, Membership, Review, Role

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.django.Password(PASSWORD)


class JurisdictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jurisdiction
        django_get_or_create = ["code"]

    code = "XA"
    name = factory.LazyAttribute(lambda o: f"Fictional {o.code}")
    is_demo = True


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    round = 2026
    instrument_id = "acs-diagnostic"
    instrument_version = "1.0"


@dataclass
class Cast:
    coordinator: User
    xa_lead: User
    xa_contributor: User
    xb_viewer: User
    outsider: User  # signed in, but with no role anywhere: refused everything
    xa: Jurisdiction
    xb: Jurisdiction
    xa_review: Review
    xb_review: Review


def make_cast() -> Cast:
    xa = JurisdictionFactory(code="XA")
    xb = JurisdictionFactory(code="XB")

    def member(email, jurisdiction, role):
        user = UserFactory(email=email)
        Membership.objects.create(user=user, jurisdiction=jurisdiction, role=role)
        return user

    return Cast(
        coordinator=UserFactory(email="coordinator@example.org", is_coordinator=True,
                                is_staff=True, is_superuser=True),
        xa_lead=member("lead.xa@example.org", xa, Role.LEAD),
        xa_contributor=member("contributor.xa@example.org", xa, Role.CONTRIBUTOR),
        xb_viewer=member("viewer.xb@example.org", xb, Role.VIEWER),
        outsider=UserFactory(email="outsider@example.org"),
        xa=xa, xb=xb,
        xa_review=ReviewFactory(jurisdiction=xa, round=2026),
        xb_review=ReviewFactory(jurisdiction=xb, round=2026),
    )
