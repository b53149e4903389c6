"""What the process page shows of surveys, meetings and interviews."""

from django import template

from socialplan.participation.models import Process

from ..selectors import ProcessEngagement, process_engagement

register = template.Library()


@register.simple_tag
def engagement_summary(process: Process) -> ProcessEngagement:
    return process_engagement(process)
