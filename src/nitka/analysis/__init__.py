"""Joint analysis: link charts, paths, places and timelines over what a user may see."""
