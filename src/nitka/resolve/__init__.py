"""Entity resolution: the same person across sources and scripts, merged reversibly."""
