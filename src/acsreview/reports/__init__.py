"""Reports and exports: documents and files made from the instrument and review data."""
