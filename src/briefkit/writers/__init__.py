"""Writers: each takes the document model and a theme, and knows one format."""
