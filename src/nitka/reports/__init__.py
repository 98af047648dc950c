"""Reports and exports made from the store for people outside the unit."""
