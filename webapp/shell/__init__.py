"""The installable app shell: manifest, service worker, offline page and the install guide."""
