"""Changes to a review, each in one transaction with its audit event."""
