"""Statistics: one module per procedure, each returning tidy DataFrames (numbers stay numeric)."""
