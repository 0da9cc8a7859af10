"""Loading and validating the YAML content that staff edit."""
