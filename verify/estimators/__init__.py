"""verify/estimators."""
