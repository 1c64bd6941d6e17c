"""verify/dynamics."""
