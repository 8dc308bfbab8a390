"""The child's Three Houses (drie huizen): the house of worries, of good things and of dreams, filled in by the child
in the child view with a grown-up beside them; the child chooses per item who may see it."""
