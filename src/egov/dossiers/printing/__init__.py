"""Printed forms of the one-stop shop (PDF via WeasyPrint) and the dossier register (PDF, Excel).

See README.md in this folder: forms, numbering per legal basis, ``EGOV_FORMS_BASIS``.
"""

from egov.dossiers.printing.register import (
    register_html,
    register_pdf,
    register_rows,
    register_xlsx,
)
from egov.dossiers.printing.registry import (
    FORMS,
    FormNotApplicable,
    FormNotInBasis,
    FormSpec,
    FormUnknown,
    current_basis,
    forms_for_dossier,
    forms_in,
    get_form,
)
from egov.dossiers.printing.render import form_filename, render_form_html, render_form_pdf

__all__ = [
    "FORMS",
    "FormNotApplicable",
    "FormNotInBasis",
    "FormSpec",
    "FormUnknown",
    "current_basis",
    "form_filename",
    "forms_for_dossier",
    "forms_in",
    "get_form",
    "register_html",
    "register_pdf",
    "register_rows",
    "register_xlsx",
    "render_form_html",
    "render_form_pdf",
]
