"""Fields as users see them, on screens and in messages (``accepted_date`` -> ``Accepted
date``): one place for the forms, the detail views and the services' messages.

Imports nothing, so that the first screen paints before the data model loads.
"""

LABELS = {
    "nda_signed": "NDA signed",
    "in_house_estimate": "In-house estimate",
    "in_house_monthly_cost": "In-house cost / month",
    "outsourced_monthly_cost": "Outsourced cost / month",
    "contact_email": "Contact e-mail",
}
"""Labels that capitalising the field name gets wrong."""


def label(field_name: str) -> str:
    """A field as users see it, on screens and in messages: ``service_line`` ->
    ``Service line``."""
    return LABELS.get(field_name) or field_name.replace("_", " ").capitalize()
