"""huibao: draft recurring government reports as GB/T 9704 .docx files from YAML input."""

__version__ = "0.1.0"
