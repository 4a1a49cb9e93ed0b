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
RESOLUTION_METHODS = ("observation", "manual")

# Why a figure of a forecast-like sentence is no forecast (table `refused_figures`), with an example of each.
REFUSAL_REASONS = {
    "count": "a bare count or a duration: \"140 entities\", \"over 15 years\"",
    "conversion": "a conversion of the figure before it: \"344 billion yuan (about US$47.5 billion)\"",
    "comparison": "a reference figure: \"compared with the roughly 20% premium at launch\"",
    "vague": "no figure to check: \"billions of dollars\"",
    "qualifier": "it qualifies another figure: \"plus or minus 2%\", \"$23.28 a share\"",
    "attribute": "it names what a thing is: \"its $2 billion campus\", \"a 25% tax credit\"",
    "base_of_change": "the base a change starts from: \"from 15,000 wafers a month to 25,000\"",
    "rate": "a tariff's or duty's rate: \"a 25% tariff\"",
    "ownership": "a stake or ownership share: \"at least 50% owned by\", \"a 10% stake\"",
    "support": "a government's budget, loans or aid, which are events: \"15 trillion won in cheap loans\"",
    "background": "an opening phrase describing the subject: \"With some 1,000 engineers, the firm ...\"",
    "fact_multiple": "a multiple stated as a fact: \"the chip doubles the number of channels\"",
    "past_period": "about a period that ended before publication: \"revenue rose 40% in 2023\"",
    "plan_this_year": "\"will\" alone, for the current year: \"will invest 114 billion yuan\"",
    "price_target": "a broker's target for a share price: \"a price target of $225\"",
}

# What became of an input the build saw (`coverage.outcome`).
COVERAGE_OUTCOMES = ("coded", "no_event", "duplicate", "quarantined")

# Why a row of the previous release is gone (`removed.reason`).
REMOVAL_REASONS = {
    "document_removed": "its document (every document reporting it, for an event or actor) is no longer in the "
                        "sources",
    "document_changed": "its document's file is still there but holds another text, which is another document",
    "extraction_changed": "its documents are still there: the extractor, or the reviewed knowledge it reads "
                          "(registry, lexicons), no longer yields the row, or gives it another key",
    "curation": "the curation file took it out: a dropped event (with its actors and reports) or forecast, or "
                "an actor merged into another (`id_redirects`)",
}

# What a decision of the curation file does (table `curation_log`; pipeline/release/curation.py).
CURATION_ACTIONS = (
    "drop_event",
    "drop_forecast",
    "retype_event",
    "redate_event",
    "set_event_actors",
    "merge_actors",
    "add_alias",
    "set_actor",
    "split_alias",
    "add_event",
    "add_forecast",
)

# What a document was read from (`documents.format`).
SOURCE_FORMATS = ("text", "jsonl", "html", "rss", "atom", "pdf")
# Where a document's published date came from (`documents.published_source`), in the order they are tried.
PUBLISHED_SOURCES = ("front_matter", "format_metadata", "dateline", "url_path")
