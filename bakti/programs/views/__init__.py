"""The programs pages, one module per section."""
