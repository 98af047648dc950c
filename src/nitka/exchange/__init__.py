"""Exchange of operational information between agencies, each running its own Nitka."""
