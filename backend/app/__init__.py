"""The notebook service deployed by this repository's pipeline."""
