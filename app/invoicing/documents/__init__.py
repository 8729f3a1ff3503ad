"""A finished invoice or credit note and its three renderings (DESIGN.md: one package, the
document model and one module per format):

- `model`: `InvoiceDocument` and its parts, built from what is stored (`build_document`);
- `ubl`: `render_ubl(doc) -> bytes`, UBL 2.1 XML following PEPPOL BIS Billing 3.0;
- `pdf`: `render_pdf(doc) -> bytes`, an A4 "VAT invoice" for people;
- `csv`: `render_csv(doc) -> str`, one row per line.

The EN 16931 checker the tests run on our UBL lives in tests/invoicing/en16931.py.
"""

from app.invoicing.documents.csv import CSV_COLUMNS, render_csv
from app.invoicing.documents.model import (
    CURRENCY,
    VAT_CATEGORIES,
    VAT_CATEGORY_BY_TREATMENT,
    DocumentKind,
    DocumentLine,
    InvoiceDocument,
    LineKind,
    Party,
    PaymentDetails,
    VatCategory,
    VatSubtotal,
    build_document,
    compute_vat_breakdown,
    format_date_long,
    make_line,
    normalise_vat_number,
    split_address,
    terms_text,
    vat_label,
    vat_treatment_category,
    xml_safe,
)
from app.invoicing.documents.pdf import render_pdf
from app.invoicing.documents.ubl import (
    CREDIT_NOTE_TYPE_CODE,
    CUSTOMIZATION_ID,
    INVOICE_TYPE_CODE,
    NAMESPACES,
    NS_CAC,
    NS_CBC,
    NS_CREDIT_NOTE,
    NS_EXT,
    NS_INVOICE,
    PAYMENT_MEANS_CREDIT_TRANSFER,
    PROFILE_ID,
    VATEX_OUTSIDE_SCOPE,
    render_ubl,
)

__all__ = [
    "CREDIT_NOTE_TYPE_CODE",
    "CSV_COLUMNS",
    "CURRENCY",
    "CUSTOMIZATION_ID",
    "INVOICE_TYPE_CODE",
    "NAMESPACES",
    "NS_CAC",
    "NS_CBC",
    "NS_CREDIT_NOTE",
    "NS_EXT",
    "NS_INVOICE",
    "PAYMENT_MEANS_CREDIT_TRANSFER",
    "PROFILE_ID",
    "VATEX_OUTSIDE_SCOPE",
    "VAT_CATEGORIES",
    "VAT_CATEGORY_BY_TREATMENT",
    "DocumentKind",
    "DocumentLine",
    "InvoiceDocument",
    "LineKind",
    "Party",
    "PaymentDetails",
    "VatCategory",
    "VatSubtotal",
    "build_document",
    "compute_vat_breakdown",
    "format_date_long",
    "make_line",
    "normalise_vat_number",
    "render_csv",
    "render_pdf",
    "render_ubl",
    "split_address",
    "terms_text",
    "vat_label",
    "vat_treatment_category",
    "xml_safe",
]
