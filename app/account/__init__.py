"""The signed-in person's account as clients see it: composed from auth, councils and officers."""
