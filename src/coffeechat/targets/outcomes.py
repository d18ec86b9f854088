"""How applications fare: sent cold versus through a referral."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef

from coffeechat.core.scoping import owned
from coffeechat.targets.models import (
    SENT_STATUSES,
    Application,
    ApplicationChannel,
    ApplicationEvent,
    ApplicationStatus,
)


@dataclass(frozen=True, slots=True)
class ChannelOutcome:
    label: str
    sent: int
    interviews: int
    offers: int

    @property
    def interview_rate(self) -> int | None:
        return round(100 * self.interviews / self.sent) if self.sent else None

    @property
    def offer_rate(self) -> int | None:
        return round(100 * self.offers / self.sent) if self.sent else None


@dataclass(frozen=True, slots=True)
class Outcomes:
    cold: ChannelOutcome
    referral: ChannelOutcome

    @property
    def summary(self) -> str:
        cold, referral = self.cold, self.referral
        if not cold.sent and not referral.sent:
            return "No applications sent yet."
        parts = []
        for outcome in (cold, referral):
            if outcome.sent:
                interviews = "interview" if outcome.interviews == 1 else "interviews"
                offers = "offer" if outcome.offers == 1 else "offers"
                parts.append(
                    f"{outcome.label}: {outcome.sent} sent, {outcome.interviews} {interviews} "
                    f"({outcome.interview_rate}%), {outcome.offers} {offers}"
                )
        text = "; ".join(parts) + "."
        if (
            cold.sent
            and referral.sent
            and (referral.interview_rate or 0) > (cold.interview_rate or 0)
        ):
            text += " Referrals are working better for you: more warm paths, fewer cold sends."
        return text


def application_outcomes(owner: Any) -> Outcomes:
    """Applications sent cold (job board, direct) and through a referral, with results."""
    interviewed = ApplicationEvent.objects.filter(
        application=OuterRef("pk"), status=ApplicationStatus.INTERVIEWING
    )
    offered = ApplicationEvent.objects.filter(
        application=OuterRef("pk"), status=ApplicationStatus.OFFER
    )
    rows = (
        owned(Application, owner)
        .filter(status__in=SENT_STATUSES)
        .annotate(interviewed=Exists(interviewed), offered=Exists(offered))
        .values_list("channel", "status", "interviewed", "offered")
    )
    counts = {"cold": [0, 0, 0], "referral": [0, 0, 0]}
    for channel, status, had_interview, had_offer in rows:
        bucket = counts["referral" if channel == ApplicationChannel.REFERRAL else "cold"]
        bucket[0] += 1
        if had_interview or status in {ApplicationStatus.INTERVIEWING, ApplicationStatus.OFFER}:
            bucket[1] += 1
        if had_offer or status == ApplicationStatus.OFFER:
            bucket[2] += 1
    return Outcomes(
        ChannelOutcome("Cold (job board or direct)", *counts["cold"]),
        ChannelOutcome("Through a referral", *counts["referral"]),
    )
