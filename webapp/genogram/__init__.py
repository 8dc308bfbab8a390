"""A simple genogram: three generations around the child (grandparents; parents, their new partners, aunts and
uncles; the children), who lives in the household, who died, and how couples stand (together, separated, no
contact), drawn as an SVG family tree for the first network meeting."""
