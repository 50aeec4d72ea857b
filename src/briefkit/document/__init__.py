"""The document model and the Markdown -> model parser."""
