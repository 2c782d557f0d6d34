"""Who is asking: accounts and signing in, the check every service call makes of its caller, the
reach of their reading, and the access log."""
