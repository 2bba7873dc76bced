"""Review through pull requests: canonical formatting, semantic diff, documents as text."""
