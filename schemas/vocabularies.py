"""Controlled vocabularies of the release contract (../shared/contract/RELEASE_SCHEMA.md)."""

ACTOR_TYPES = (
    "country_government",
    "government_agency",
    "company",
    "person",
    "media_outlet",
    "research_firm",
    "industry_body",
    "international_org",
    "other",
)

EVENT_TYPES = (
    "export_control_eased",
    "export_control_tightened",
    "sanction_imposed",
    "tariff_change",
    "procurement_policy",
    "industrial_policy",
    "regulatory_action",
    "product_launch",
    "production_capacity",
    "investment",
    "acquisition",
    "partnership_or_order",
    "financial_results",
    "other",
)

DATE_PRECISIONS = ("day", "month", "quarter", "year", "unknown")
EVENT_STATUSES = ("reported", "reportedly", "planned")
ROLES = ("initiator", "target", "affected", "participant")
METRICS = (
    "market_growth",
    "market_share",
    "production_volume",
    "shipments",
    "revenue",
    "capex",
    "capacity",
    "price",
    "other",
)
COMPARATORS = ("=", ">", ">=", "<", "<=", "~")
RESOLUTION_STATUSES = ("open", "resolved_true", "resolved_false")
