"""Children: the household's children as records without a sign-in (add, change, remove and undo, their safety
persons), and the list other capabilities read through `services.current`."""
