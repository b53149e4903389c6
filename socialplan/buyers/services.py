"""Writes of the buyers' area: acting for a buyer, publishing its opportunities, their social value.

Every function checks the user's permission first (rules.py), so no page,
command or API can bypass it. Opportunities are written only through the
registry's own services (`opportunities.services`), and social value through
`opportunities.social_value`: the rules of the law, of values and of periods
are the same wherever an opportunity comes from. Every refusal is a
ValidationError keyed by field, raised before anything is written.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socialplan.ecosystem.audit import attribute
from socialplan.ecosystem.rules import require_perm
from socialplan.opportunities.models import (
    Award,
    Buyer,
    Opportunity,
    SocialValueCommitment,
    SocialValueDelivery,
    SocialValueMeasure,
)
from socialplan.opportunities.services import DocumentSpec, LotSpec, create_opportunity, update_opportunity
from socialplan.opportunities.social_value import commit_social_value, report_delivery
from socialplan.territory.models import Comune

from .models import BuyerMembership, OpportunityDraft

# Memberships ----------------------------------------------------------------------------------------------------


def _compact(codice_fiscale: str) -> str:
    return codice_fiscale.replace(" ", "").strip().upper()


@transaction.atomic
def request_buyer_membership(*, user: Any, buyer: Buyer, message: str = "") -> BuyerMembership:
    """Ask to act for a buyer of the registry. A rejected request may be asked again."""
    require_perm(user, "buyers.ask_to_act_for_buyer", buyer)
    membership = BuyerMembership.objects.select_for_update().filter(user=user, buyer=buyer).first()
    _refuse_if_pending_or_member(membership, buyer.name)
    membership = membership or BuyerMembership(user=user, buyer=buyer)
    membership.status = BuyerMembership.Status.REQUESTED
    membership.message = message.strip()
    membership.decided_by, membership.decided_at, membership.note = None, None, ""
    attribute(membership, user=user, reason="Asked to act for the buyer")
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        # The same user asked twice at the same moment: the first request stands.
        _refuse_if_pending_or_member(BuyerMembership(status=BuyerMembership.Status.REQUESTED), buyer.name)
    return membership


def _refuse_if_pending_or_member(membership: BuyerMembership | None, name: str) -> None:
    if membership is not None and membership.status == BuyerMembership.Status.APPROVED:
        raise ValidationError(_("You already act for %(buyer)s."), code="already_member", params={"buyer": name})
    if membership is not None and membership.status == BuyerMembership.Status.REQUESTED:
        raise ValidationError(
            _("You have already asked to act for %(buyer)s: the request is waiting for a decision."),
            code="already_requested",
            params={"buyer": name},
        )


@dataclass(frozen=True)
class NewBuyer:
    name: str
    codice_fiscale: str
    kind: str
    website: str = ""


@transaction.atomic
def propose_buyer(*, user: Any, new_buyer: NewBuyer, message: str = "") -> BuyerMembership:
    """Ask to register a buyer that is not in the registry yet, and to act for it once approved."""
    require_perm(user, "buyers.ask_to_act_for_buyer")
    membership = BuyerMembership(
        user=user,
        proposed_name=new_buyer.name.strip(),
        proposed_codice_fiscale=_compact(new_buyer.codice_fiscale),
        proposed_kind=new_buyer.kind,
        proposed_website=new_buyer.website.strip(),
        message=message.strip(),
    )
    errors = _new_buyer_errors(membership)
    if _proposal_pending(membership.proposed_codice_fiscale, user=user):
        errors.setdefault("codice_fiscale", []).append(
            str(_("You have already asked to register this buyer: the request is waiting for a decision."))
        )
    if errors:
        raise ValidationError(errors)
    attribute(membership, user=user, reason="Asked to register a new buyer")
    membership.save()
    return membership


def _proposal_pending(codice_fiscale: str, *, user: Any) -> bool:
    return BuyerMembership.objects.filter(
        user=user, buyer__isnull=True, proposed_codice_fiscale=codice_fiscale, status=BuyerMembership.Status.REQUESTED
    ).exists()


# The form's names of the proposed fields.
PROPOSED = {
    "proposed_name": "name",
    "proposed_codice_fiscale": "codice_fiscale",
    "proposed_kind": "kind",
    "proposed_website": "website",
}


def _new_buyer_errors(membership: BuyerMembership) -> dict[str, list[str]]:
    """The proposed buyer checked as the registry checks a buyer: a valid codice fiscale no other buyer has."""
    errors: dict[str, list[str]] = {}
    try:
        membership.clean_fields(exclude=["user", "buyer", "decided_by"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(PROPOSED.get(name, name), []).extend(messages)
    if not membership.proposed_name:
        errors.setdefault("name", []).append(str(_("Give the buyer's name.")))
    if not membership.proposed_kind:
        errors.setdefault("kind", []).append(str(_("Choose the kind of buyer.")))
    if "codice_fiscale" not in errors and Buyer.objects.filter(codice_fiscale=membership.proposed_codice_fiscale):
        errors["codice_fiscale"] = [
            str(_("A buyer with this codice fiscale is already registered: ask to act for it instead."))
        ]
    return errors


@transaction.atomic
def decide_buyer_membership(
    *, membership: BuyerMembership, user: Any, approve: bool, note: str = ""
) -> BuyerMembership:
    """Approve or reject a request, once: the row is locked, so a second decision at the same moment changes
    nothing. Approving a proposed buyer checks it again (its codice fiscale may have been taken since) and
    creates it."""
    require_perm(user, "buyers.decide_buyer_membership", membership)
    locked = BuyerMembership.objects.select_for_update().get(pk=membership.pk)
    if locked.status != BuyerMembership.Status.REQUESTED:
        raise ValidationError(
            _("This request has already been decided: %(status)s."),
            code="already_decided",
            params={"status": locked.get_status_display()},
        )
    if approve and locked.buyer_id is None:
        errors = _new_buyer_errors(locked)
        if errors:
            raise ValidationError([message for messages in errors.values() for message in messages])
        locked.buyer = Buyer.objects.create(
            name=locked.proposed_name,
            codice_fiscale=locked.proposed_codice_fiscale,
            kind=locked.proposed_kind,
            website=locked.proposed_website,
        )
    locked.status = BuyerMembership.Status.APPROVED if approve else BuyerMembership.Status.REJECTED
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.note = note.strip()
    attribute(locked, user=user, reason="Request approved" if approve else "Request rejected")
    locked.save()
    return locked


# Opportunities --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpportunitySpec:
    """What the buyer's form gives the registry's service: the fields, and the lists that replace the saved ones."""

    fields: Mapping[str, Any]
    cpv_codes: Sequence[str] = ()
    comuni: Sequence[Comune] = ()
    lots: Sequence[LotSpec] = ()
    documents: Sequence[DocumentSpec] = field(default_factory=tuple)


@transaction.atomic
def save_draft(
    *, user: Any, buyer: Buyer, title: str, data: Mapping[str, Any], draft: OpportunityDraft | None = None
) -> OpportunityDraft:
    """Keep the form as typed; it is checked in full when published."""
    require_perm(user, "buyers.manage_buyer_opportunities", draft or buyer)
    if draft is not None and (draft.buyer_id != buyer.pk or draft.opportunity_id is not None):
        raise ValidationError(_("This draft has already been published."), code="published")
    if not title.strip():
        raise ValidationError({"title_it": [_("A draft needs at least its title in Italian.")]})
    draft = draft or OpportunityDraft(buyer=buyer, created_by=user)
    draft.title = title.strip()
    draft.data = dict(data)
    draft.save()
    return draft


@transaction.atomic
def publish_opportunity(
    *, user: Any, buyer: Buyer, spec: OpportunitySpec, draft: OpportunityDraft | None = None
) -> Opportunity:
    """Publish an opportunity of `buyer` (open from today's publication date or the one given) through the
    registry's service; the draft, if any, is kept as the record of who wrote it."""
    require_perm(user, "buyers.manage_buyer_opportunities", draft or buyer)
    if draft is not None:
        draft = OpportunityDraft.objects.select_for_update().get(pk=draft.pk)
        if draft.buyer_id != buyer.pk or draft.opportunity_id is not None:
            raise ValidationError(_("This draft has already been published."), code="published")
    opportunity = create_opportunity(
        cpv_codes=spec.cpv_codes,
        comuni=spec.comuni,
        lots=spec.lots,
        documents=spec.documents,
        **{**spec.fields, "buyer": buyer, "status": Opportunity.Status.OPEN, "source": Opportunity.Source.MANUAL},
    )
    draft = draft or OpportunityDraft(buyer=buyer, created_by=user, title=opportunity.title or "")
    draft.opportunity = opportunity
    draft.save()
    return opportunity


def _require_editable(user: Any, opportunity: Opportunity) -> None:
    require_perm(user, "buyers.manage_buyer_opportunities", opportunity)
    # An imported opportunity is its OCDS release's: the next import would overwrite a change made here.
    if opportunity.source != Opportunity.Source.MANUAL:
        raise ValidationError(
            _("This opportunity comes from an OCDS import: change it at its source."), code="imported"
        )


def edit_opportunity(*, user: Any, opportunity: Opportunity, spec: OpportunitySpec) -> Opportunity:
    """Change a published opportunity of the buyer; its status and buyer stay."""
    _require_editable(user, opportunity)
    fields = {name: value for name, value in spec.fields.items() if name not in ("buyer", "status", "source")}
    return update_opportunity(
        opportunity,
        cpv_codes=spec.cpv_codes,
        comuni=spec.comuni,
        lots=spec.lots,
        documents=spec.documents,
        **fields,
    )


def close_opportunity(*, user: Any, opportunity: Opportunity) -> Opportunity:
    """No more answers: an open or planned opportunity becomes closed."""
    _require_editable(user, opportunity)
    if opportunity.status not in (Opportunity.Status.OPEN, Opportunity.Status.PLANNED):
        raise ValidationError(
            _("Only an open or planned opportunity can be closed; this one is %(status)s."),
            code="not_open",
            params={"status": opportunity.get_status_display()},
        )
    return update_opportunity(opportunity, status=Opportunity.Status.CLOSED)


# Social value ---------------------------------------------------------------------------------------------------


def state_commitment(
    *, user: Any, award: Award, measure: SocialValueMeasure, quantity: Decimal, period_start: date, period_end: date
) -> SocialValueCommitment:
    """The buyer states what the supplier of one of its awards commits to."""
    require_perm(user, "buyers.commit_social_value", award)
    if award.status != Award.Status.ACTIVE:
        raise ValidationError(_("This award is cancelled: it has no social value to commit."), code="cancelled")
    return commit_social_value(
        award=award, measure=measure, quantity=quantity, period_start=period_start, period_end=period_end
    )


def report_supplier_delivery(
    *,
    user: Any,
    commitment: SocialValueCommitment,
    period_start: date,
    period_end: date,
    quantity: Decimal,
    note: str = "",
) -> SocialValueDelivery:
    """A member of the supplier reports what was delivered of a commitment in a period."""
    require_perm(user, "buyers.report_social_value_delivery", commitment)
    return report_delivery(
        commitment=commitment,
        period_start=period_start,
        period_end=period_end,
        quantity=quantity,
        reported_by=user,
        note=note.strip(),
    )
