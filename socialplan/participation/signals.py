"""Signals of the participation core that the contribution apps listen to."""

from django.dispatch import Signal

# Sent after contributions changed in a way their apps' stored counts may depend on: hidden or shown
# again by the moderators, or anonymised when their author's account was deleted. Arguments:
# `kind` (a contributions.ContributionKind) and `pks` (the ids of the rows that changed).
contributions_changed = Signal()
