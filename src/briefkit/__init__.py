"""briefkit: a sourced fact base in, a policy brief (DOCX, PDF) and a matching deck (PPTX) out."""

__version__ = "0.1.0"
