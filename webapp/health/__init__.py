"""Health: the worker's heartbeat, what the web side reads from it, and the /health endpoint for monitoring."""
