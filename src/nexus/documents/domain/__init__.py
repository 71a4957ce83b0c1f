"""The documents context's domain: cases, exhibits and everything that hangs off them."""
