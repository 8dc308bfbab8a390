"""Words & Pictures: the story and the picture plan for the child."""
