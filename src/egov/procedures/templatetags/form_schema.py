"""``{% load form_schema %}``: show the answers of a procedure's electronic form.

``{% for entry in dossier.form_data|form_entries:dossier.procedure_version.form_schema %}``
gives ``entry.label``, ``entry.value`` (dates dd/mm/yyyy, choices by label, Có/Không) and
``entry.section``, in the order of the form (see ``procedures/formschema.py``).
"""

from __future__ import annotations

from typing import Any

from django import template

from egov.procedures.formschema import Entry, form_entries

register = template.Library()


@register.filter(name="form_entries")
def form_entries_filter(data: Any, schema: Any) -> list[Entry]:
    if not data:
        return []
    return form_entries(schema, data)
