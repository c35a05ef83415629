"""The fields staff edit on leads, visits and key enterprises: the forms, the services and the
imports use the same lists."""

# Fields staff may edit on a lead (the node, the dates and the indicators are the services').
EDITABLE_FIELDS = (
    "company",
    "credit_code",
    "contact_name",
    "phone",
    "email",
    "country",
    "province",
    "city",
    "industry",
    "industry_code",
    "chain",
    "chain_link",
    "amount",
    "foreign_amount",
    "jobs",
    "annual_output",
    "annual_tax",
    "interest",
    "message",
    "likelihood",
    "team",
    "park",
    "town",
)

VISIT_FIELDS = (
    "direction",
    "visited_on",
    "delegation",
    "country",
    "province",
    "city",
    "people",
    "leader",
    "purpose",
    "outcome",
)

KEY_ENTERPRISE_FIELDS = (
    "name",
    "credit_code",
    "country",
    "province",
    "city",
    "chain",
    "chain_link",
    "industry",
    "revenue",
    "ranking",
    "contact_name",
    "contact_phone",
    "contact_status",
    "last_contact_on",
    "note",
)
