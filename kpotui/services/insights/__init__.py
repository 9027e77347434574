"""The questions of DOMAIN.md, each answered by aggregate SQL (never by loading tables).

Every function takes ``today`` (default: :func:`kpotui.services.clock.today`) so answers
are reproducible. Money comes back as Decimal, grouped by currency: amounts in different
currencies are never added together.
"""

from kpotui.services.insights.activities import (
    AtRisk,
    Matrix,
    MatrixCell,
    Retention,
    retention,
    sourcing_matrix,
)
from kpotui.services.insights.deadlines import (
    DueItem,
    DueWork,
    NoticeFigures,
    Renewal,
    due_work,
    renewals,
)
from kpotui.services.insights.decisions import (
    DecisionItem,
    DecisionLog,
    provider_decisions,
    quarter_of,
)
from kpotui.services.insights.providers import (
    SPEND_MEANS,
    ActivityCost,
    Concentration,
    ProviderCost,
    Reliability,
    Share,
    concentration,
    contract_spend,
    provider_costs,
    providers_without_work,
    reliability,
)
from kpotui.services.insights.summary import summary
from kpotui.services.statuses import LIVE_CONTRACT, OPEN_DELIVERABLE, OUTSOURCED, SPENDING_CONTRACT

__all__ = [
    "LIVE_CONTRACT",
    "OPEN_DELIVERABLE",
    "OUTSOURCED",
    "SPENDING_CONTRACT",
    "SPEND_MEANS",
    "ActivityCost",
    "AtRisk",
    "Concentration",
    "DecisionItem",
    "DecisionLog",
    "DueItem",
    "DueWork",
    "Matrix",
    "MatrixCell",
    "NoticeFigures",
    "ProviderCost",
    "Reliability",
    "Renewal",
    "Retention",
    "Share",
    "concentration",
    "contract_spend",
    "due_work",
    "provider_costs",
    "provider_decisions",
    "providers_without_work",
    "quarter_of",
    "reliability",
    "renewals",
    "retention",
    "sourcing_matrix",
    "summary",
]
