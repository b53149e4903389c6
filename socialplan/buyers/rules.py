"""Who may act for a buyer, and who reports the social value of its contracts.

- The plan office (plan editors and platform admins) decides requests to act
  for a buyer and may do everything a buyer's member does.
- An approved member of a buyer writes, publishes, edits and closes the
  buyer's own opportunities and states the social value of its awards.
- An approved member of a supplier organization (the ecosystem's
  `Membership`) reports what the contract delivered.
- Any registered user may ask to act for a buyer.

Views pass the object; with none, a rule asks whether the user holds the role
anywhere (for the links of the area's home page).
"""

from typing import Any

import rules

from socialplan.accounts.rules import is_plan_office, is_registered
from socialplan.ecosystem.models import Membership
from socialplan.opportunities.models import Award, Buyer, Opportunity, SocialValueCommitment

from .models import BuyerMembership, OpportunityDraft


def buyer_id_of(obj: Any) -> int | None:
    """The buyer an object belongs to, as a primary key."""
    if isinstance(obj, Buyer):
        return obj.pk
    if isinstance(obj, Opportunity | OpportunityDraft):
        return obj.buyer_id
    if isinstance(obj, Award):
        return obj.opportunity.buyer_id
    if isinstance(obj, SocialValueCommitment):
        return obj.award.opportunity.buyer_id
    return None


@rules.predicate
def is_member_of_buyer(user: Any, obj: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    memberships = BuyerMembership.objects.filter(user=user, status=BuyerMembership.Status.APPROVED)
    if obj is None:
        return memberships.exists()
    buyer_id = buyer_id_of(obj)
    return buyer_id is not None and memberships.filter(buyer_id=buyer_id).exists()


@rules.predicate
def is_member_of_supplier(user: Any, obj: Any) -> bool:
    """An approved member of an ecosystem organization that won the award (or the commitment's award)."""
    if not getattr(user, "is_authenticated", False):
        return False
    memberships = Membership.objects.filter(user=user, status=Membership.Status.APPROVED)
    if obj is None:
        return memberships.filter(organization__awards_won__isnull=False).exists()
    if not isinstance(obj, SocialValueCommitment | Award):
        return False
    award_id = obj.award_id if isinstance(obj, SocialValueCommitment) else obj.pk
    return memberships.filter(organization__awards_won__award_id=award_id).exists()


rules.add_perm("buyers.ask_to_act_for_buyer", is_registered)
rules.add_perm("buyers.decide_buyer_membership", is_plan_office)
rules.add_perm("buyers.manage_buyer_opportunities", is_plan_office | is_member_of_buyer)
rules.add_perm("buyers.commit_social_value", is_plan_office | is_member_of_buyer)
rules.add_perm("buyers.report_social_value_delivery", is_plan_office | is_member_of_supplier)
