"""Pages for people, organizations, affiliations and the rows that link them."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from coffeechat.accounts.models import MyAffiliation
from coffeechat.core.pages import confirm_delete, form_page, paginate
from coffeechat.core.scoping import form_data, get_owned_or_404, owned
from coffeechat.network import services
from coffeechat.network.forms import (
    AffiliationForm,
    EmploymentForm,
    MembershipForm,
    MyAffiliationForm,
    OrganizationForm,
    PersonForm,
    TieForm,
)
from coffeechat.network.models import (
    Affiliation,
    AffiliationKind,
    Employment,
    Level,
    Membership,
    Organization,
    Person,
    Source,
    Tag,
    Tie,
)
from coffeechat.network.pickers import ORGANIZATION_SUGGESTIONS, PICKER_SIZE, QUERY_SUFFIX

TIMELINE_LENGTH = 50

# People ---------------------------------------------------------------------


@login_required
def organization_names(request: HttpRequest) -> HttpResponse:
    """At most 20 of the user's organizations whose name holds the text typed, as the
    ``<option>``s of an :class:`~coffeechat.network.pickers.OrganizationNameInput`."""
    field = request.GET.get("field", "")
    typed = request.GET.get(field if FIELD_NAME.fullmatch(field) else "q", "")
    return render(
        request,
        "network/_organization_datalist.html#options",
        {"names": services.organization_suggestions(request.user, typed, ORGANIZATION_SUGGESTIONS)},
    )


@login_required
@vary_on_headers("HX-Request")
def person_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    query = request.GET.get("q", "").strip()
    people = services.people_for_list(user)
    filters = {
        "level": request.GET.get("level", ""),
        "source": request.GET.get("source", ""),
        "tag": request.GET.get("tag", ""),
        "dnc": request.GET.get("dnc", ""),
    }
    if filters["level"]:
        people = people.filter(level=filters["level"])
    if filters["source"]:
        people = people.filter(source=filters["source"])
    if filters["tag"]:
        people = people.filter(tags__name=filters["tag"])
    if filters["dnc"] == "1":
        people = people.filter(do_not_contact=True)
    page = paginate(request, services.searched(people, query))
    context = {
        "page": page,
        "query": query,
        "filters": filters,
        "levels": Level.choices,
        "sources": Source.choices,
        "tags": owned(Tag, user).values_list("name", flat=True),
        "filtered": bool(query or any(filters.values())),
    }
    template = "network/person_list.html"
    if request.htmx and request.htmx.target == "people-rows":  # type: ignore[attr-defined]
        template += "#rows"
    return render(request, template, context)


def _person_form_page(
    request: HttpRequest, form: PersonForm, person: Person | None
) -> HttpResponse:
    def save() -> Person:
        data = form.cleaned_data
        return services.save_person(
            request.user,
            form.instance,
            emails=data["emails"],
            phones=data["phones"],
            tags=data["tag_names"],
        )

    return form_page(
        request,
        form,
        "network/person_form.html",
        success=lambda saved: f"Saved {saved.full_name}.",
        save=save,
        extra={"person": person},
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(form_data(request), owner=request.user)
    return _person_form_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def person_update(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_owned_or_404(Person, request.user, pk=person_id)
    form = PersonForm(form_data(request), instance=person, owner=request.user)
    return _person_form_page(request, form, person)


FIELD_NAME = re.compile(r"[\w-]{1,100}")


@login_required
def person_search(request: HttpRequest) -> HttpResponse:
    """The best matches for a person picker, as radio buttons named after its field."""
    field = request.GET.get("field", "")
    if not FIELD_NAME.fullmatch(field):
        field = "person"
    query = " ".join(request.GET.get(field + QUERY_SUFFIX, request.GET.get("q", "")).split())
    people = services.find_people(owned(Person, request.user), query, PICKER_SIZE + 1)
    return render(
        request,
        "network/_person_picker.html#results",
        {
            "name": field,
            "query": query,
            "people": people[:PICKER_SIZE],
            "more": len(people) > PICKER_SIZE,
            "searched": True,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_delete(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_owned_or_404(Person, request.user, pk=person_id)
    return confirm_delete(request, person, person.full_name, "network:person-list")


# Employment, membership, tie (edited from the person page) ------------------


@login_required
@require_http_methods(["GET", "POST"])
def employment_create(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_owned_or_404(Person, request.user, pk=person_id)
    form = EmploymentForm(form_data(request), owner=request.user)
    form.instance.person = person
    return _employment_form_page(request, form, person)


@login_required
@require_http_methods(["GET", "POST"])
def employment_update(request: HttpRequest, employment_id: int) -> HttpResponse:
    employment = get_owned_or_404(
        Employment.objects.select_related("person", "organization"), request.user, pk=employment_id
    )
    form = EmploymentForm(form_data(request), instance=employment, owner=request.user)
    return _employment_form_page(request, form, employment.person)


def _employment_form_page(
    request: HttpRequest, form: EmploymentForm, person: Person
) -> HttpResponse:
    return form_page(
        request,
        form,
        "network/employment_form.html",
        success=f"Saved the job of {person.full_name}.",
        save=lambda: services.save_employment(
            request.user, form.instance, form.cleaned_data["organization_name"]
        ),
        back=person,
        extra={
            "person": person,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def employment_delete(request: HttpRequest, employment_id: int) -> HttpResponse:
    employment = get_owned_or_404(
        Employment.objects.select_related("organization"), request.user, pk=employment_id
    )
    return confirm_delete(
        request,
        employment,
        str(employment),
        "network:person-detail",
        person_id=employment.person_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_create(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_owned_or_404(Person, request.user, pk=person_id)
    form = MembershipForm(form_data(request), owner=request.user)
    form.instance.person = person
    return form_page(
        request,
        form,
        "network/membership_form.html",
        success="Saved the affiliation.",
        back=person,
        extra={"person": person},
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_update(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = get_owned_or_404(
        Membership.objects.select_related("person"), request.user, pk=membership_id
    )
    form = MembershipForm(form_data(request), instance=membership, owner=request.user)
    return form_page(
        request,
        form,
        "network/membership_form.html",
        success="Saved the affiliation.",
        back=membership.person,
        extra={"person": membership.person},
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_delete(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = get_owned_or_404(
        Membership.objects.select_related("person", "affiliation"), request.user, pk=membership_id
    )
    return confirm_delete(
        request,
        membership,
        str(membership),
        "network:person-detail",
        person_id=membership.person_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def tie_create(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_owned_or_404(Person, request.user, pk=person_id)
    form = TieForm(form_data(request), owner=request.user, initial={"to_person": person.pk})
    return form_page(
        request,
        form,
        "network/tie_form.html",
        success="Saved the tie.",
        back=person,
        extra={"person": person},
    )


@login_required
@require_http_methods(["GET", "POST"])
def tie_update(request: HttpRequest, tie_id: int) -> HttpResponse:
    tie = get_owned_or_404(Tie.objects.select_related("to_person"), request.user, pk=tie_id)
    form = TieForm(form_data(request), instance=tie, owner=request.user)
    return form_page(
        request,
        form,
        "network/tie_form.html",
        success="Saved the tie.",
        back=tie.to_person,
        extra={"person": tie.to_person},
    )


@login_required
@require_http_methods(["GET", "POST"])
def tie_delete(request: HttpRequest, tie_id: int) -> HttpResponse:
    tie = get_owned_or_404(
        Tie.objects.select_related("from_person", "to_person"), request.user, pk=tie_id
    )
    return confirm_delete(
        request, tie, str(tie), "network:person-detail", person_id=tie.to_person_id
    )


# Organizations --------------------------------------------------------------


@login_required
@vary_on_headers("HX-Request")
def organization_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    organizations = (
        owned(Organization, request.user)
        .annotate(
            current_count=Count(
                "employments", filter=Q(employments__is_current=True), distinct=True
            ),
            former_count=Count(
                "employments", filter=Q(employments__is_current=False), distinct=True
            ),
        )
        .order_by("name", "pk")
    )
    for word in query.split():
        organizations = organizations.filter(
            Q(name__icontains=word) | Q(industry__icontains=word) | Q(location__icontains=word)
        )
    template = "network/organization_list.html"
    if request.htmx and request.htmx.target == "organization-rows":  # type: ignore[attr-defined]
        template += "#rows"
    return render(request, template, {"page": paginate(request, organizations), "query": query})


def save_organization(user: Any, organization: Organization) -> Organization:
    """The network service's save; a name another organization has is the name's error."""
    try:
        return services.save_organization(user, organization, {})
    except services.OrganizationExists as exc:
        existing = exc.existing
        message = format_html(
            'You already have this organization: <a href="{}">{}</a>. '
            "Open it, or choose another name.",
            existing.get_absolute_url(),
            existing.name,
        )
        raise ValidationError({"name": message}) from None


@login_required
@require_http_methods(["GET", "POST"])
def organization_create(request: HttpRequest) -> HttpResponse:
    form = OrganizationForm(form_data(request), owner=request.user)
    return form_page(
        request,
        form,
        "network/organization_form.html",
        success="Saved the organization.",
        save=lambda: save_organization(request.user, form.instance),
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_update(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = get_owned_or_404(Organization, request.user, pk=organization_id)
    form = OrganizationForm(form_data(request), instance=organization, owner=request.user)
    return form_page(
        request,
        form,
        "network/organization_form.html",
        success="Saved the organization.",
        save=lambda: save_organization(request.user, form.instance),
        back=organization,
        extra={"organization": organization},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_delete(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = get_owned_or_404(Organization, request.user, pk=organization_id)
    return confirm_delete(request, organization, organization.name, "network:organization-list")


# Affiliations ---------------------------------------------------------------


@login_required
def affiliation_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    affiliations = (
        owned(Affiliation, request.user)
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name", "pk")
    )
    if kind:
        affiliations = affiliations.filter(kind=kind)
    return render(
        request,
        "network/affiliation_list.html",
        {"page": paginate(request, affiliations), "kind": kind, "kinds": AffiliationKind.choices},
    )


@login_required
def affiliation_detail(request: HttpRequest, affiliation_id: int) -> HttpResponse:
    affiliation = get_owned_or_404(
        Affiliation.objects.select_related("organization"), request.user, pk=affiliation_id
    )
    members = (
        owned(Membership, request.user)
        .filter(affiliation=affiliation)
        .select_related("person")
        .order_by("class_year", "person__last_name", "person__first_name", "pk")
    )
    return render(
        request,
        "network/affiliation_detail.html",
        {
            "affiliation": affiliation,
            "page": paginate(request, members),
            "mine": owned(MyAffiliation, request.user).filter(affiliation=affiliation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def affiliation_create(request: HttpRequest) -> HttpResponse:
    return _affiliation_form_page(request, AffiliationForm(form_data(request), owner=request.user))


@login_required
@require_http_methods(["GET", "POST"])
def affiliation_update(request: HttpRequest, affiliation_id: int) -> HttpResponse:
    affiliation = get_owned_or_404(Affiliation, request.user, pk=affiliation_id)
    form = AffiliationForm(form_data(request), instance=affiliation, owner=request.user)
    return _affiliation_form_page(request, form, affiliation)


def _affiliation_form_page(
    request: HttpRequest, form: AffiliationForm, affiliation: Affiliation | None = None
) -> HttpResponse:
    return form_page(
        request,
        form,
        "network/affiliation_form.html",
        success="Saved the affiliation.",
        save=lambda: services.save_affiliation(
            request.user, form.instance, form.cleaned_data["organization_name"]
        ),
        back=affiliation,
        extra={"affiliation": affiliation} if affiliation else None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def affiliation_delete(request: HttpRequest, affiliation_id: int) -> HttpResponse:
    affiliation = get_owned_or_404(Affiliation, request.user, pk=affiliation_id)
    return confirm_delete(request, affiliation, affiliation.name, "network:affiliation-list")


def _my_affiliation_page(request: HttpRequest, form: MyAffiliationForm) -> HttpResponse:
    return form_page(
        request,
        form,
        "network/myaffiliation_form.html",
        success="Saved your affiliation.",
        save=lambda: services.save_my_affiliation(
            request.user,
            form.instance,
            new_name=form.cleaned_data.get("new_name", ""),
            new_kind=form.cleaned_data.get("new_kind", ""),
        ),
        back="accounts:profile",
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_affiliation_create(request: HttpRequest) -> HttpResponse:
    return _my_affiliation_page(request, MyAffiliationForm(form_data(request), owner=request.user))


@login_required
@require_http_methods(["GET", "POST"])
def my_affiliation_update(request: HttpRequest, my_affiliation_id: int) -> HttpResponse:
    item = get_owned_or_404(MyAffiliation, request.user, pk=my_affiliation_id)
    form = MyAffiliationForm(form_data(request), instance=item, owner=request.user)
    return _my_affiliation_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def my_affiliation_delete(request: HttpRequest, my_affiliation_id: int) -> HttpResponse:
    item = get_owned_or_404(
        MyAffiliation.objects.select_related("affiliation"), request.user, pk=my_affiliation_id
    )
    return confirm_delete(
        request,
        item,
        f"{item.affiliation} from your affiliations",
        "accounts:profile",
        kind="affiliation of yours",
    )
