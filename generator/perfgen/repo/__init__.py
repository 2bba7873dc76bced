"""A county's own sources repository: editor support, hooks and CI set up by ``perfgen init``."""
