"""The kernel process (worker side) and its server-side client."""
