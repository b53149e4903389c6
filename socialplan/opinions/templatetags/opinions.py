"""The opinion conversations of a process, for its page."""

from django import template

from socialplan.opinions import selectors
from socialplan.opinions.models import Conversation
from socialplan.participation.models import Process

register = template.Library()


@register.simple_tag
def conversations_of(process: Process) -> list[Conversation]:
    return selectors.conversations_of(process)
