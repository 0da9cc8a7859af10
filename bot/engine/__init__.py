"""The channel-agnostic engine: from a user's text to a reply object."""
